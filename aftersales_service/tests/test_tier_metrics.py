"""P1.2: what counts towards a customer's invoiced amount and order count."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install", "aftersales")
class TestTierMetrics(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The engines count the company's calendar days.
        cls.today = cls.company._aftersales_today()
        cls.recent = cls.today - timedelta(days=10)
        cls.customer = cls._create_customer("Shanghai Huaxin")
        cls._tier("STD", 10)

    def amount(self, company=None):
        return self.partner_in(self.customer, company).aftersales_invoiced_amount

    def test_posted_invoices_are_summed_untaxed(self):
        self._invoice(self.customer, 1000, self.recent)
        self._invoice(self.customer, 2500, self.recent)
        self.recompute_tiers()
        self.assertEqual(self.amount(), 3500)

    def test_credit_notes_reduce_the_invoiced_amount(self):
        self._invoice(self.customer, 10000, self.recent)
        self._invoice(self.customer, 4000, self.recent, move_type="out_refund")
        self.recompute_tiers()
        self.assertEqual(self.amount(), 6000)

    def test_draft_invoices_do_not_count(self):
        self._invoice(self.customer, 1000, self.recent)
        self._invoice(self.customer, 7000, self.recent, post=False)
        self.recompute_tiers()
        self.assertEqual(self.amount(), 1000)

    def test_cancelled_invoices_do_not_count(self):
        self._invoice(self.customer, 1000, self.recent)
        self._invoice(self.customer, 7000, self.recent).button_cancel()
        self.recompute_tiers()
        self.assertEqual(self.amount(), 1000)

    def test_invoices_older_than_the_12_month_window_do_not_count(self):
        self.company.aftersales_tier_window_months = 12
        self._invoice(self.customer, 1000, self.today - relativedelta(months=12))
        self._invoice(self.customer, 5000, self.today - relativedelta(months=12, days=1))
        self.recompute_tiers()
        self.assertEqual(self.amount(), 1000)

    def test_another_companys_invoices_do_not_count(self):
        company_b = self._create_company("After-Sales Test Company B")
        self._invoice(self.customer, 1000, self.recent)
        self._invoice(self.customer, 9000, self.recent, company=company_b)
        self.recompute_tiers(self.company | company_b)
        self.assertEqual(self.amount(), 1000)
        self.assertEqual(self.amount(company_b), 9000)

    def test_invoices_of_a_contact_count_for_its_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer.id, "type": "invoice"}
        )
        self._invoice(contact, 1500, self.recent)
        self.recompute_tiers()
        self.assertEqual(self.amount(), 1500)

    def test_only_confirmed_orders_in_the_window_are_counted(self):
        self._sale_order(self.customer, self.recent)
        self._sale_order(self.customer, self.recent)
        self._sale_order(self.customer, self.recent, confirm=False)
        self._sale_order(self.customer, self.today - relativedelta(months=13))
        self._sale_order(self.customer, self.recent)._action_cancel()
        self.recompute_tiers()
        self.assertEqual(self.partner_in(self.customer).aftersales_order_count, 2)

    def test_first_purchase_is_the_earliest_invoice_or_order(self):
        first = self.today - relativedelta(months=20)
        self._sale_order(self.customer, first)
        self._invoice(self.customer, 100, self.recent)
        self.recompute_tiers()
        self.assertEqual(self.partner_in(self.customer).aftersales_first_purchase_date, first)
