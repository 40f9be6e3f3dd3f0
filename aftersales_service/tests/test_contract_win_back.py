"""P7.2, P7.3: a sales rep wins back a customer whose contract has expired: the
expired contract is renewed into a successor that starts on the company's today
(never in the past), billed by its quotation; a contract is cancelled through the
wizard that asks for the reason."""

import inspect
from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.aftersales_service.models.aftersales_contract import AftersalesContract

from .common import AftersalesContractCase


@tagged("post_install", "-at_install", "aftersales")
class TestContractWinBack(AftersalesContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The 2026 term (1 Jan - 31 Dec) ran out without a renewal.
        cls.expired = cls.contract("expired")

    def renew(self, contract, user=None):
        action = (contract.with_user(user) if user else contract).action_renew()
        order = self.env["sale.order"].browse(action["res_id"])
        return order.aftersales_contract_id, order

    def test_p7_3_expired_contract_is_renewed_from_the_companys_today(self):
        """P7.3: the successor of a contract that ended on 31 Dec starts today
        (10 Feb), for the same length, as a draft with its quotation."""
        with freeze_time("2027-02-10 02:00"):
            successor, order = self.renew(self.expired, self.rep)
        self.assertEqual(
            (successor.date_start, successor.date_end), (date(2027, 2, 10), date(2028, 2, 9))
        )
        self.assertEqual(successor.state, "draft")
        self.assertEqual(successor.previous_contract_id, self.expired)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.user_id, self.rep)
        # In the customer's language and date format (en_US).
        self.assertIn("02/10/2027", order.order_line.name)

    def test_p7_3_renewal_start_is_the_local_day_near_midnight(self):
        """P7.3: at 01:30 in Shanghai (17:30 UTC the day before) today is the
        Shanghai day."""
        with freeze_time("2027-02-10 17:30"):
            successor, _order = self.renew(self.expired)
        self.assertEqual(successor.date_start, date(2027, 2, 11))

    def test_p7_3_contract_still_in_force_renews_from_the_day_after_its_end(self):
        """P7.3: unchanged for a contract in force: no gap, no overlap."""
        expiring = self.contract("expiring", lots=self.lot("SN-WB-1"))
        with freeze_time("2026-12-05 02:00"):
            successor, _order = self.renew(expiring)
        self.assertEqual(successor.date_start, date(2027, 1, 1))

    def test_p7_3_accepted_win_back_puts_the_successor_in_force(self):
        """P7.3: the customer accepts the quotation: the successor is active and
        the expired contract is marked renewed."""
        with freeze_time("2027-02-10 02:00"):
            successor, order = self.renew(self.expired, self.rep)
            order.with_user(self.rep).action_confirm()
        self.assertEqual(successor.state, "active")
        self.assertEqual(self.expired.state, "renewed")
        self.assertEqual(self.expired.next_contract_id, successor)

    def test_p7_3_renew_button_is_offered_on_an_expired_contract(self):
        """P7.3: the Renew button shows on an expired contract without a renewal,
        and not once it has one."""
        arch = etree.fromstring(
            self.env["aftersales.contract"].with_user(self.rep).get_view(view_type="form")["arch"]
        )
        invisible = arch.xpath("//button[@name='action_renew']/@invisible")[0]
        self.assertFalse(safe_eval(invisible, {"state": "expired", "next_contract_id": False}))
        self.assertTrue(safe_eval(invisible, {"state": "expired", "next_contract_id": 7}))
        self.assertTrue(safe_eval(invisible, {"state": "draft", "next_contract_id": False}))

    def test_p7_cancel_wizard_needs_the_reason_and_cancels(self):
        """P7: the Cancel button's wizard asks why; the reason is kept."""
        contract = self.contract(lots=self.lot("SN-WB-2"))
        action = contract.with_user(self.rep).action_open_cancel_wizard()
        wizard_model = self.env[action["res_model"]].with_user(self.rep)
        form = Form(wizard_model.with_context(**action["context"]))
        form.reason = "   "
        with self.assertRaises(UserError):
            form.save().action_confirm()
        form = Form(wizard_model.with_context(**action["context"]))
        form.reason = "Customer moved abroad"
        form.save().action_confirm()
        self.assertEqual(contract.state, "cancelled")
        self.assertEqual(contract.cancel_reason, "Customer moved abroad")

    def test_p7_public_contract_actions_take_no_parameters(self):
        """P7: what a button (or RPC) can call takes no argument; the reason goes
        through the wizard."""
        for name, method in vars(AftersalesContract).items():
            if name.startswith("action_") and callable(method):
                parameters = list(inspect.signature(inspect.unwrap(method)).parameters)
                self.assertEqual(parameters, ["self"], name)
