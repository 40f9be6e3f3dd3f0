"""P2.6: the amount due on a repair is what the customer pays, taxes included: the
invoice's total once invoiced, and before that the same total computed with the
taxes the invoice will apply (one definition, ``repair.order._aftersales_amounts``,
read by the repair form, the completion dialog and the service voucher)."""

from odoo import Command
from odoo.tests import tagged

from .common import AftersalesRepairCase


@tagged("post_install", "-at_install", "aftersales")
class TestAmountDue(AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat = cls.env["account.tax"].create(
            {
                "name": "VAT 13%",
                "amount": 13.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        (cls.part | cls.labour).write({"taxes_id": [Command.set(cls.vat.ids)]})

    def done_repair(self):
        """2 filters at 150 and 1.5 h of labour at 120: 480 untaxed, 62.40 VAT."""
        repair = self.repair(
            move_ids=[
                Command.create(
                    {"product_id": self.part.id, "product_uom_qty": 2, "repair_line_type": "add"}
                )
            ],
            aftersales_work_entry_ids=[
                Command.create(
                    {"user_id": self.technician.id, "hours": 1.5, "description": "Filter"}
                )
            ],
        )
        return self.finish(repair)

    def test_p2_6_amount_due_includes_the_taxes(self):
        repair = self.done_repair()
        self.assertAlmostEqual(repair.aftersales_amount_untaxed, 480.0)
        self.assertAlmostEqual(repair.aftersales_amount_tax, 62.4)
        self.assertAlmostEqual(repair.aftersales_amount, 542.4)

    def test_p2_6_amount_due_equals_the_taxed_invoice_total(self):
        repair = self.done_repair()
        due = repair.aftersales_amount
        repair.with_user(self.accountant).action_aftersales_create_invoice()
        invoice = repair.aftersales_invoice_id
        self.assertAlmostEqual(invoice.amount_total, due)
        self.assertAlmostEqual(repair.aftersales_amount, invoice.amount_total)

    def test_p2_6_amount_due_of_a_quoted_repair_equals_its_sale_order_invoice(self):
        """P3.3: a repair billed by its accepted quotation: the order's invoice total."""
        repair = self.quoted_repair(hours=2.0, description="Filter housing")
        due = repair.aftersales_amount
        self.assertAlmostEqual(due, (150.0 + 2 * 120.0) * 1.13)
        repair.with_user(self.accountant).action_aftersales_create_invoice()
        self.assertAlmostEqual(repair.aftersales_invoice_id.amount_total, due)

    def test_p2_6_free_repair_has_nothing_due(self):
        repair = self.done_repair()
        repair.with_user(self.supervisor)._aftersales_override_service_type("free", "Warranty")
        self.assertEqual(
            (
                repair.aftersales_amount_untaxed,
                repair.aftersales_amount_tax,
                repair.aftersales_amount,
            ),
            (0.0, 0.0, 0.0),
        )
