"""P4, P5: returns within 7 days with their conditions, exchanges, stock moves,
credit notes at the price paid, deadlines on working days."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestRma(AftersalesRmaCase):
    def test_return_on_day_7_is_accepted(self):
        self.delivered_on("2026-01-05")
        rma = self.rma(request_date="2026-01-12")
        rma.action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_return_on_day_8_is_refused_with_the_dates(self):
        self.delivered_on("2026-01-05")
        rma = self.rma(request_date="2026-01-13")
        with self.assertRaises(UserError) as refused:
            rma.action_confirm()
        message = str(refused.exception)
        self.assertIn("within 7 days", message)
        self.assertIn("01/12/2026", message)  # the user's date format (en_US)
        self.assertEqual(rma.state, "draft")

    def test_supervisor_accepts_a_late_return_with_a_tracked_reason(self):
        self.delivered_on("2026-01-05")
        rma = self.rma(request_date="2026-01-20").with_context(
            tracking_disable=False, mail_notrack=False
        )
        with self.assertRaises(AccessError):
            rma.with_user(self.technician)._aftersales_override_window("Customer was abroad")
        rma.with_user(self.supervisor)._aftersales_override_window("Customer was abroad")
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        rma.action_confirm()
        self.assertEqual(rma.state, "confirmed")
        self.assertTrue(
            rma.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "window_override_reason"
            )
        )

    def test_missing_condition_blocks_confirmation(self):
        rma = self.rma(condition_unused=False)
        with self.assertRaises(UserError) as refused:
            rma.action_confirm()
        self.assertIn("Unused and undamaged", str(refused.exception))

    def test_more_than_delivered_minus_returned_is_refused(self):
        self.rma(quantity=1)
        with self.assertRaises(ValidationError) as refused:
            self.rma(quantity=2)
        self.assertIn("at most 1.0", str(refused.exception))

    def test_cancelled_return_frees_its_quantity(self):
        self.rma(quantity=2)._aftersales_cancel("Changed their mind")
        self.assertEqual(self.rma(quantity=2).quantity, 2)

    def test_refund_path_ends_with_a_draft_credit_note_at_the_price_paid(self):
        rma = self.rma()
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.assertEqual(rma.return_picking_id.picking_type_id, self.warehouse.in_type_id)
        self.receive(rma)
        self.assertEqual((rma.state, rma.received_qty), ("received", 1))
        rma._aftersales_inspect(True)
        credit_note = rma.action_create_credit_note()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        line = credit_note.invoice_line_ids
        self.assertEqual((line.quantity, line.price_unit, line.discount), (1, 1000, 10))
        self.assertEqual(line.tax_ids, self.tax)
        self.assertEqual(line.aftersales_rma_id, rma)

    def test_refunded_unit_is_not_left_to_invoice_on_the_order(self):
        """P5.3: the credit note is linked to the order line, so the order does not
        offer a second credit note for the returned unit."""
        rma = self.rma()
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.receive(rma)
        rma._aftersales_inspect(True)
        rma.action_create_credit_note()
        self.assertEqual(self.line.qty_delivered, 1)
        self.assertEqual(self.line.qty_invoiced, 1)
        self.assertEqual(self.line.qty_to_invoice, 0)

    def test_failed_inspection_sends_the_goods_back_without_credit_note(self):
        rma = self.rma()
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.receive(rma)
        rma._aftersales_inspect(False, "Water damage from misuse")
        self.assertEqual(rma.state, "done")
        self.assertFalse(rma.refund_move_id)
        self.assertEqual(rma.outgoing_picking_id.picking_type_id, self.warehouse.out_type_id)
        with self.assertRaises(UserError):
            rma.action_create_credit_note()

    def test_failed_inspection_needs_a_reason(self):
        rma = self.rma()
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.receive(rma)
        with self.assertRaises(UserError):
            rma._aftersales_inspect(False)

    def test_exchange_deadlines_run_on_working_days(self):
        """Confirm within 2 working days of the request; inspect within 2 and ship
        within 5 working days of the receipt (Mon-Fri 08-17, Shanghai)."""
        with freeze_time(self.utc("2026-01-12 09:00")):
            rma = self.rma("exchange", request_date="2026-01-12")
            # The request day counts from its first working hour: Mon 08:00 + 18 h.
            self.assertEqual(rma.sla_response_deadline, self.utc("2026-01-13 17:00"))
            rma.action_confirm()
            self.assertEqual(rma.state, "voucher")
            self.assertEqual(rma.voucher_valid_until, fields.Date.to_date("2026-02-11"))
            rma.action_create_return_transfer()
        with freeze_time(self.utc("2026-01-14 09:00")):
            self.receive(rma)
        # Received Wed 09:00: inspect by Fri 09:00 (18 h), ship by next Wed 09:00 (45 h).
        self.assertEqual(rma.sla_response_deadline, self.utc("2026-01-16 09:00"))
        self.assertEqual(rma.sla_resolution_deadline, self.utc("2026-01-21 09:00"))
        with freeze_time(self.utc("2026-01-15 10:00")):
            rma._aftersales_inspect(True)
            rma.action_ship_replacement()
        self.assertEqual(rma.state, "replaced")
        self.assertEqual(rma.outgoing_picking_id.move_ids.product_id, self.goods)

    def test_expired_voucher_cannot_be_used(self):
        with freeze_time("2026-01-12 03:00:00"):
            rma = self.rma("exchange")
            rma.action_confirm()
        with freeze_time("2026-02-12 03:00:00"):
            with self.assertRaises(UserError) as refused:
                rma.action_create_return_transfer()
        self.assertIn("expired", str(refused.exception))

    def test_exchange_needs_a_condition_and_evidence(self):
        rma = self.rma("exchange", evidence=" ")
        with self.assertRaises(UserError):
            rma.action_confirm()

    def test_other_product_needs_the_same_value_and_a_supervisor(self):
        rma = self.rma("exchange")
        rma.action_confirm()
        Product = self.env["product.product"]
        other = Product.create({"name": "AP-500 white", "type": "consu", "list_price": 1000})
        dearer = Product.create({"name": "AP-700", "type": "consu", "list_price": 1500})
        with self.assertRaises(AccessError):
            rma.with_user(self.technician)._aftersales_approve_replacement(other)
        with self.assertRaises(UserError):
            rma.with_user(self.supervisor)._aftersales_approve_replacement(dearer)
        rma.with_user(self.supervisor)._aftersales_approve_replacement(other)
        self.assertEqual(rma.replacement_product_id, other)

    def test_rma_user_prepares_the_credit_note_and_only_accounting_posts_it(self):
        rma = self.rma()
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.receive(rma)
        rma.with_user(self.technician)._aftersales_inspect(True)
        credit_note = rma.with_user(self.technician).action_create_credit_note()
        with self.assertRaises(AccessError):
            credit_note.with_user(self.technician).action_post()
        accountant = self.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "as_rma_accountant",
                "email": "accountant@example.com",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
            }
        )
        credit_note.with_user(accountant).action_post()
        self.assertEqual(credit_note.state, "posted")

    def test_settled_return_cannot_be_cancelled(self):
        rma = self.rma()
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.receive(rma)
        rma._aftersales_inspect(True)
        rma.action_create_credit_note()
        with self.assertRaises(UserError):
            rma._aftersales_cancel("Too late")

    def test_batch_receipt_makes_one_transfer_per_customer(self):
        first, second = self.rma(), self.rma()
        (first | second).action_confirm()
        (first | second).action_create_return_transfer()
        self.assertEqual(first.return_picking_id, second.return_picking_id)
        self.assertEqual(len(first.return_picking_id.move_ids), 2)
