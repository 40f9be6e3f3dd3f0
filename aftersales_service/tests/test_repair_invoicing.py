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
            repair.with_user(self.supervisor)._aftersales_override_service_type(
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
        self.assertEqual(repair.aftersales_amount_untaxed, 2 * 150 + 1.5 * 120)

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


@tagged("post_install", "-at_install", "aftersales")
class TestRepairOneInvoicingPath(AftersalesRepairCase):
    """A repair is billed once: through its sale order when the customer accepted
    a quotation (Odoo's own repair flow, P3.3), otherwise from the repair."""

    def to_invoice(self):
        action = self.env.ref("aftersales_service.repair_order_action_to_invoice")
        return self.env["repair.order"].with_user(self.accountant).search(safe_eval(action.domain))

    def test_p3_3_quoted_repair_is_invoiced_through_its_sale_order(self):
        """The accountant's invoice of a quoted repair is the sale order's invoice:
        the part and the 2 h of labour, once."""
        repair = self.quoted_repair()
        self.assertIn(repair, self.to_invoice())
        repair.with_user(self.accountant).action_aftersales_create_invoice()
        invoice = repair.aftersales_invoice_id
        self.assertEqual(invoice.line_ids.sale_line_ids.order_id, repair.sale_order_id)
        self.assertEqual(
            sorted((line.product_id.name, line.quantity) for line in invoice.invoice_line_ids),
            [("HEPA Filter", 1), ("Repair Labour", 2)],
        )
        self.assertEqual(repair.sale_order_id.invoice_status, "invoiced")
        self.assertNotIn(repair, self.to_invoice())

    def test_p3_3_quoted_repair_invoiced_from_sales_leaves_the_list(self):
        """Invoiced from the sale order (Sales app): the repair is no longer to
        invoice, and invoicing it again from the repair is refused."""
        repair = self.quoted_repair()
        repair.sale_order_id._create_invoices()
        self.assertNotIn(repair, self.to_invoice())
        with self.assertRaises(UserError) as refused:
            repair.with_user(self.accountant).action_aftersales_create_invoice()
        self.assertIn("nothing left to invoice", str(refused.exception))

    def test_p3_3_sale_order_follows_the_hours_logged(self):
        """The sale order bills the chargeable hours actually worked (3.5 h)."""
        repair = self.quoted_repair(hours=3.5)
        labour = repair.sale_order_id.order_line.filtered("aftersales_repair_labour")
        self.assertEqual((labour.product_id, labour.product_uom_qty), (self.labour, 3.5))

    def test_directly_invoiced_repair_gets_no_quotation(self):
        """A repair invoiced from the repair cannot be billed again by a quotation."""
        repair = self.finish(self.repair())
        repair.with_user(self.accountant).action_aftersales_create_invoice()
        with self.assertRaises(UserError) as refused:
            repair.action_create_sale_order()
        self.assertIn("already invoiced", str(refused.exception))
