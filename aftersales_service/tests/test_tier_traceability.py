"""P10.1: tier changes are traceable — who changed what, when — including the
daily regrading by the engine (P1.2)."""

from datetime import timedelta

from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install", "aftersales")
class TestTierTraceability(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.silver = cls._tier("SILVER", 1, min_invoiced_amount=20000)
        cls.standard = cls._tier("STD", 2)
        cls.recent = cls.company._aftersales_today() - timedelta(days=10)

    def tier_notes(self, partner):
        return partner.message_ids.filtered(lambda m: "Service tier" in (m.body or ""))

    def test_p10_1_engine_regrade_is_logged_in_the_customer_chatter(self):
        """P1.2: 20,000 invoiced moves the customer from Standard to Silver; the
        customer's chatter says so, with the company."""
        partner = self._create_customer("Ningbo Harbour Foods")
        self.recompute_tiers()
        self._invoice(partner, 20000, self.recent)
        self.recompute_tiers()
        notes = self.tier_notes(partner)
        self.assertEqual(len(notes), 2)
        latest = notes.sorted("id")[-1]
        self.assertIn(self.silver.display_name, latest.body)
        self.assertIn(self.standard.display_name, latest.body)
        self.assertIn(self.company.name, latest.body)

    def test_p10_1_unchanged_tier_logs_nothing(self):
        """A regrade that keeps the tier adds no note."""
        partner = self._create_customer("Wuxi Garden Supplies")
        self.recompute_tiers()
        self.recompute_tiers()
        self.assertEqual(len(self.tier_notes(partner)), 1)
