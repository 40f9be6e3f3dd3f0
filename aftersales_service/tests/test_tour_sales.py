"""P7.2, P7.3: the sales rep's path in the browser: from the Renewals menu (Sales
opening on Quotations) or from the "Win renewal" activity of an expired contract,
Renew, the quotation, Confirm: the successor contract is in force."""

from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import company_user


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestTourSales(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.aftersales_contract_reminder_days = 30
        cls.rep = company_user(
            cls.env,
            "as_tour_rep",
            cls.company,
            name="Tina Renewals",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.today = cls.company._aftersales_today()
        cls.equipment = cls.env["product.product"].create(
            {"name": "Tour Chiller C-7", "type": "consu"}
        )

    @classmethod
    def _contract(cls, customer_name, date_start, date_end):
        customer = cls.env["res.partner"].create(
            {"name": customer_name, "is_company": True, "user_id": cls.rep.id}
        )
        contract = cls.env["aftersales.contract"].create(
            {
                "partner_id": customer.id,
                "company_id": cls.company.id,
                "date_start": date_start,
                "date_end": date_end,
                "price": 1500.0,
                "line_ids": [Command.create({"product_id": cls.equipment.id})],
            }
        )
        contract.action_activate()
        return contract

    def assert_renewed(self, contract, start):
        successor = contract.next_contract_id
        self.assertTrue(successor, "renewed")
        self.assertEqual(successor.state, "active")
        self.assertEqual(successor.date_start, start)
        self.assertEqual(successor.sale_order_id.state, "sale")
        self.assertEqual(successor.sale_order_id.user_id, self.rep)
        self.assertEqual(contract.state, "renewed")

    def test_p7_3_rep_renews_from_the_renewals_menu(self):
        """P7.2, P7.3: the contract ending in 20 days got its notice; the rep finds
        it under Renewals and renews it (tour ``aftersales_sales_renewal``)."""
        contract = self._contract(
            "Tour Renewing Customer",
            self.today - timedelta(days=345),
            self.today + timedelta(days=20),
        )
        contract._cron_company_reminders(self.company, self.today)
        self.assertEqual(contract.state, "expiring")
        self.start_tour("/odoo", "aftersales_sales_renewal", login=self.rep.login)
        self.assert_renewed(contract, contract.date_end + timedelta(days=1))

    def test_p7_3_rep_wins_back_an_expired_contract_from_the_activity(self):
        """P7.2, P7.3: the "Win renewal" activity outlived the contract; the rep
        opens it, renews the expired contract, and the successor runs from today
        (tour ``aftersales_sales_win_back``)."""
        contract = self._contract(
            "Tour Lapsed Customer",
            self.today - timedelta(days=400),
            self.today - timedelta(days=36),
        )
        contract._schedule_renewal_activities()
        contract.activity_ids.date_deadline = self.today - timedelta(days=40)
        contract._sync_state_from_dates()
        self.assertEqual(contract.state, "expired")
        self.start_tour("/odoo", "aftersales_sales_win_back", login=self.rep.login)
        self.assert_renewed(contract, self.today)
