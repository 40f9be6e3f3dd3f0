"""Accountants invoice done paid and contract repairs the same day; free repairs
are never invoiced."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesRepairCase


@tagged("post_install", "-at_install", "aftersales")
class TestRepairInvoicing(AftersalesRepairCase):
    def done_repair(self, service_type="paid", **vals):
        repair = self.repair(
            move_ids=[
                Command.create(
                    {"product_id": self.part.id, "product_uom_qty": 2, "repair_line_type": "add"}
                )
            ],
            aftersales_work_entry_ids=[
                Command.create(
                    {
                        "user_id": self.technician.id,
                        "hours": 1.5,
                        "description": "Replaced the filter",
                    }
                ),
                Command.create(
                    {
                        "user_id": self.technician.id,
                        "hours": 0.5,
                        "description": "Test run",
                        "chargeable": False,
                    }
                ),
            ],
            **vals,
        )
        if service_type != "paid":
            repair.with_user(self.supervisor).action_aftersales_override_service_type(
                service_type, "Test"
            )
        return self.finish(repair)

    def to_invoice(self, user):
        action = self.env.ref("aftersales_service.repair_order_action_to_invoice")
        return self.env["repair.order"].with_user(user).search(safe_eval(action.domain))

    def test_paid_repair_yields_one_invoice_with_parts_and_labour(self):
        repair = self.done_repair()
        repair.with_user(self.accountant).action_aftersales_create_invoice()
        invoice = repair.aftersales_invoice_id
        self.assertEqual(invoice.aftersales_repair_id, repair)
        self.assertEqual(
            sorted(
                (line.product_id.name, line.quantity, line.price_unit)
                for line in invoice.invoice_line_ids
            ),
            [("HEPA Filter", 2, 150.0), ("Repair Labour", 1.5, 120.0)],
        )
        self.assertEqual(set(invoice.invoice_line_ids.aftersales_repair_id.ids), {repair.id})

    def test_invoicing_twice_is_refused(self):
        repair = self.done_repair()
        repair.with_user(self.accountant).action_aftersales_create_invoice()
        with self.assertRaises(UserError) as refused:
            repair.with_user(self.accountant).action_aftersales_create_invoice()
        self.assertIn("already invoiced", str(refused.exception))

    def test_free_repair_cannot_be_invoiced(self):
        repair = self.done_repair("free")
        self.assertFalse(repair.aftersales_to_invoice)
        self.assertEqual(repair.aftersales_amount, 0)
        with self.assertRaises(UserError) as refused:
            repair.with_user(self.accountant).action_aftersales_create_invoice()
        self.assertIn("never invoiced", str(refused.exception))

    def test_contract_repair_is_priced_by_its_terms(self):
        repair = self.done_repair("contract")
        self.assertTrue(repair.aftersales_to_invoice)
        self.assertEqual(repair.aftersales_amount, 2 * 150 + 1.5 * 120)

    def test_accountant_sees_the_repair_to_invoice_until_invoiced(self):
        repair = self.done_repair()
        self.assertIn(repair, self.to_invoice(self.accountant))
        repair.with_user(self.accountant).action_aftersales_create_invoice()
        self.assertNotIn(repair, self.to_invoice(self.accountant))
        self.assertEqual(repair.aftersales_payment_state, "not_paid")

    def test_repair_paid_on_site_is_not_to_invoice(self):
        repair = self.done_repair(aftersales_paid_on_site=True, aftersales_payment_method="wechat")
        self.assertNotIn(repair, self.to_invoice(self.accountant))

    def test_paid_on_site_needs_the_payment_method(self):
        with self.assertRaises(ValidationError):
            self.repair(aftersales_paid_on_site=True)

    def test_unfinished_repair_cannot_be_invoiced(self):
        repair = self.repair()
        with self.assertRaises(UserError):
            repair.with_user(self.accountant).action_aftersales_create_invoice()

    def test_technician_cannot_invoice_or_post(self):
        repair = self.done_repair()
        with self.assertRaises(AccessError):
            repair.with_user(self.technician).action_aftersales_create_invoice()
        repair.with_user(self.accountant).action_aftersales_create_invoice()
        with self.assertRaises(AccessError):
            repair.aftersales_invoice_id.with_user(self.technician).action_post()
