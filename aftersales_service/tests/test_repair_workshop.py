"""P2.7, P3.2-P3.4: carry-in paperwork, quote, substitute parts, inspection, return."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SIGNATURE, AftersalesRepairCase


@tagged("post_install", "-at_install", "aftersales")
class TestRepairWorkshop(AftersalesRepairCase):
    def confirmed(self, **vals):
        repair = self.repair(**vals)
        repair.action_validate()
        return repair

    def test_paid_workshop_repair_cannot_start_without_quote_acceptance(self):
        repair = self.confirmed()
        self.assertEqual(repair.aftersales_quote_state, "waiting")
        with self.assertRaises(UserError) as refused:
            repair.action_repair_start()
        self.assertIn("accept the quote", str(refused.exception))
        self.assertEqual(repair.state, "confirmed")

    def test_recorded_quote_acceptance_lets_the_repair_start(self):
        repair = self.confirmed()
        repair._aftersales_accept_quote("Li Lei", "phone")
        repair.action_repair_start()
        self.assertEqual(repair.state, "under_repair")

    def test_signed_sale_quotation_counts_as_acceptance(self):
        repair = self.confirmed()
        repair.action_create_sale_order()
        repair.sale_order_id.action_confirm()
        self.assertEqual(repair.aftersales_quote_state, "accepted")

    def test_free_repair_needs_no_quote(self):
        repair = self.confirmed()
        repair.with_user(self.supervisor)._aftersales_override_service_type(
            "free", "In warranty per the sales contract"
        )
        repair.action_repair_start()
        self.assertEqual(repair.state, "under_repair")

    def test_substitute_part_needs_the_customers_consent(self):
        repair = self.confirmed(
            move_ids=[
                Command.create(
                    {
                        "product_id": self.part.id,
                        "product_uom_qty": 1,
                        "repair_line_type": "add",
                        "aftersales_substitute": True,
                    }
                )
            ]
        )
        repair._aftersales_accept_quote("Li Lei", "in_person")
        with self.assertRaises(UserError) as refused:
            repair.action_repair_start()
        self.assertIn("non-original", str(refused.exception))
        repair._aftersales_record_substitute_consent("Phone call with Li Lei")
        repair.action_repair_start()
        self.assertEqual(repair.state, "under_repair")

    def test_repair_cannot_be_done_without_inspection(self):
        repair = self.confirmed()
        repair._aftersales_accept_quote("Li Lei", "phone")
        repair.action_repair_start()
        with self.assertRaises(UserError) as refused:
            repair.action_repair_end()
        self.assertIn("inspection", str(refused.exception))

    def test_inspection_needs_every_check(self):
        repair = self.confirmed()
        repair.aftersales_check_function = True
        with self.assertRaises(UserError):
            repair.with_user(self.supervisor)._aftersales_inspect()

    def test_technician_cannot_inspect(self):
        with self.assertRaises(AccessError):
            self.confirmed().with_user(self.technician)._aftersales_inspect()

    def test_inspected_repair_is_done(self):
        repair = self.finish(self.repair())
        self.assertEqual(repair.state, "done")
        self.assertEqual(repair.aftersales_inspector_id, self.supervisor)

    def test_goods_receipt_is_in_the_register_and_void_after_return(self):
        repair = self.repair()
        receipt = repair._aftersales_receive_goods("Remote control, power cable", "Scratch on top")
        self.assertTrue(receipt.name.startswith("GR/"))
        self.assertEqual(receipt.state, "received")
        self.finish(repair)
        repair._aftersales_return(SIGNATURE, "Li Lei")
        self.assertEqual(receipt.state, "returned")
        self.assertEqual(receipt.return_signed_by, "Li Lei")
        self.assertTrue(receipt.returned_on and repair.aftersales_returned_on)

    def test_product_cannot_be_returned_before_it_is_repaired(self):
        repair = self.repair()
        repair._aftersales_receive_goods()
        with self.assertRaises(UserError):
            repair._aftersales_return(SIGNATURE, "Li Lei")

    def test_return_needs_the_customers_signature(self):
        repair = self.finish(self.repair())
        with self.assertRaises(UserError):
            repair._aftersales_return(False, "Li Lei")

    def test_goods_receipts_cannot_be_deleted(self):
        receipt = self.repair()._aftersales_receive_goods()
        with self.assertRaises(UserError):
            receipt.unlink()

    def test_product_already_taken_cannot_be_taken_twice(self):
        repair = self.repair()
        repair._aftersales_receive_goods()
        with self.assertRaises(UserError):
            repair._aftersales_receive_goods()

    def test_on_site_signature_is_recorded(self):
        repair = self.repair(aftersales_repair_mode="on_site")
        repair._aftersales_sign(SIGNATURE, "Li Lei")
        self.assertEqual(repair.aftersales_signed_by, "Li Lei")
        self.assertTrue(repair.aftersales_signed_on)
