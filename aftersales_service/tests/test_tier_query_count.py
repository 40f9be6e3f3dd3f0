"""P1.2: the recomputation's query count does not grow with the number of customers."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install", "aftersales")
class TestTierQueryCount(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._tier("GOLD", 1, min_invoiced_amount=5000)
        cls._tier("TOP", 2, top_percent=10)
        cls._tier("STD", 3)

    def _customers_with_invoices(self, count, prefix):
        day = fields.Date.today() - timedelta(days=5)
        partners = self.env["res.partner"].create(
            [{"name": f"{prefix}{i}", "is_company": True, "customer_rank": 1} for i in range(count)]
        )
        moves = self.env["account.move"].create(
            [self._invoice_vals(p, 100 * (i + 1), day) for i, p in enumerate(partners)]
        )
        moves.action_post()
        return partners

    def queries_to_recompute(self, minute):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        # Each run at its own minute: the run date is then always written.
        with freeze_time(f"{fields.Date.today()} 12:{minute:02d}:00"):
            self.recompute_tiers()
            self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_query_count_is_the_same_for_10_and_200_customers(self):
        # A first grading warms the registry's caches (e.g. the note subtype of the
        # tier-change log) that every later run then finds.
        self._customers_with_invoices(1, "warm-up-")
        self.queries_to_recompute(0)
        self._customers_with_invoices(10, "small-")
        first_small = self.queries_to_recompute(1)
        again_small = self.queries_to_recompute(2)
        self._customers_with_invoices(190, "large-")
        first_large = self.queries_to_recompute(3)
        again_large = self.queries_to_recompute(4)
        self.assertEqual(first_large, first_small)
        self.assertEqual(again_large, again_small)
