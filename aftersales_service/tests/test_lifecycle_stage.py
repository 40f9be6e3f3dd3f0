"""P1.3: lifecycle stage — new (0-3 months), stable (> 3 months), churn risk."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AftersalesCase

TODAY = "2026-06-30"


@tagged("post_install", "-at_install", "aftersales")
class TestLifecycleStage(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._tier("STD", 10)
        cls.company.write({"aftersales_new_customer_months": 3, "aftersales_churn_months": 6})

    def stage_after_purchases(self, *dates):
        partner = self._create_customer("Customer")
        for day in dates:
            self._invoice(partner, 100, day)
        with freeze_time(TODAY):
            self.recompute_tiers()
        return self.partner_in(partner).aftersales_lifecycle_stage

    def test_first_purchase_exactly_3_months_ago_is_new(self):
        self.assertEqual(self.stage_after_purchases("2026-03-30"), "new")

    def test_first_purchase_3_months_and_a_day_ago_is_stable(self):
        self.assertEqual(self.stage_after_purchases("2026-03-29"), "stable")

    def test_first_purchase_today_is_new(self):
        self.assertEqual(self.stage_after_purchases(TODAY), "new")

    def test_last_purchase_exactly_6_months_ago_is_not_churn_risk(self):
        self.assertEqual(self.stage_after_purchases("2025-12-30"), "stable")

    def test_no_purchase_for_6_months_and_a_day_is_churn_risk(self):
        self.assertEqual(self.stage_after_purchases("2025-01-01", "2025-12-29"), "churn_risk")

    def test_recent_purchase_clears_churn_risk(self):
        self.assertEqual(self.stage_after_purchases("2025-01-01", "2026-06-01"), "stable")

    def test_customer_without_purchase_has_no_stage(self):
        partner = self._create_customer("Prospect")
        with freeze_time(TODAY):
            self.recompute_tiers()
        self.assertFalse(self.partner_in(partner).aftersales_lifecycle_stage)

    def test_new_customer_period_is_configurable(self):
        self.company.aftersales_new_customer_months = 1
        self.assertEqual(self.stage_after_purchases("2026-05-15"), "stable")
