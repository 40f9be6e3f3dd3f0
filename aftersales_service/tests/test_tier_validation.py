"""P1.2: bad tier thresholds are refused with a clear message, nothing written."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install", "aftersales")
class TestTierValidation(AftersalesCase):
    def assertRefusedAndNothingWritten(self, vals, message):
        Tier = self.env["aftersales.tier"].with_user(self.manager)
        before = Tier.search_count([])
        # assertRaises (not assertRaisesRegex) rolls back to a savepoint like a failed request.
        with self.assertRaises(ValidationError) as refused:
            Tier.create(dict({"name": "Bad", "code": "BAD", "company_id": self.company.id}, **vals))
        self.assertRegex(str(refused.exception), message)
        self.assertEqual(Tier.search_count([]), before)

    def test_negative_amount_threshold_is_refused(self):
        self.assertRefusedAndNothingWritten(
            {"min_invoiced_amount": -1}, "Minimum Invoiced Amount cannot be negative"
        )

    def test_negative_order_threshold_is_refused(self):
        self.assertRefusedAndNothingWritten({"min_order_count": -2}, "Minimum Orders")

    def test_negative_response_target_is_refused(self):
        self.assertRefusedAndNothingWritten({"first_response_hours": -2}, "cannot be negative")

    def test_top_percent_above_100_is_refused(self):
        self.assertRefusedAndNothingWritten({"top_percent": 100.5}, "between 0 and 100")

    def test_top_percent_below_0_is_refused(self):
        self.assertRefusedAndNothingWritten({"top_percent": -10}, "between 0 and 100")

    def test_satisfaction_above_5_is_refused(self):
        self.assertRefusedAndNothingWritten({"min_satisfaction": 6}, "from 1 to 5")

    def test_duplicate_code_in_a_company_is_refused(self):
        self._tier("GOLD", 1)
        self.assertRefusedAndNothingWritten({"code": "GOLD"}, "GOLD is already used")

    def test_same_code_in_another_company_is_allowed(self):
        self._tier("GOLD", 1)
        company_b = self._create_company("Company B", with_accounting=False)
        self.assertTrue(self._tier("GOLD", 1, company=company_b))

    def test_invalid_write_leaves_the_tier_unchanged(self):
        tier = self._tier("SILVER", 2, top_percent=20)
        with self.assertRaises(ValidationError):
            tier.with_user(self.manager).write({"top_percent": 150, "min_order_count": 4})
        tier.invalidate_recordset()
        self.assertEqual((tier.top_percent, tier.min_order_count), (20, 0))

    def test_window_of_zero_months_is_refused(self):
        with self.assertRaises(ValidationError) as refused:
            self.company.aftersales_tier_window_months = 0
        self.assertIn("at least 1 month", str(refused.exception))
