"""Issue 15: every RMA step that needs data is a dialog the role opens from the
return's form: the supervisor's acceptance of a late return (P5.1) or of unmet
conditions (P5.2), the approval of another replacement product (P4.2), refusing
or cancelling with the reason, and the inspection (P4.2, P5.3)."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestRmaWizards(AftersalesRmaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.same_value = Product.create(
            {"name": "Air Purifier AP-500 white", "type": "consu", "list_price": 1000.0}
        )
        cls.dearer = Product.create(
            {"name": "Air Purifier AP-700", "type": "consu", "list_price": 1500.0}
        )

    def dialog(self, rma, button, user):
        """The dialog the form's ``button`` opens for ``user``, as the web client
        shows it (its action's context, the wizard's form view)."""
        action = getattr(rma.with_user(user), button)()
        self.assertEqual((action["target"], action["context"]["default_rma_id"]), ("new", rma.id))
        wizards = self.env[action["res_model"]].with_user(user).with_context(**action["context"])
        return Form(wizards)

    def form_buttons(self, user):
        arch = self.env["aftersales.rma"].with_user(user).get_views([(False, "form")])
        return arch["views"]["form"]["arch"]

    def late_return(self):
        self.delivered_on("2026-01-05")
        return self.rma(request_date="2026-01-20")

    # ------------------------------------------------------------------
    # P5.1: late return
    # ------------------------------------------------------------------
    def test_p5_1_late_return_accepted_by_a_supervisor_with_a_reason(self):
        rma = self.late_return()
        with self.dialog(rma, "action_open_override_wizard", self.supervisor) as form:
            self.assertEqual(form.kind, "window")
            self.assertEqual(form.delivered_on, date(2026, 1, 5))
            self.assertEqual(form.window_end, date(2026, 1, 12))
            form.reason = "Customer was abroad"
        form.record.action_confirm()
        self.assertEqual(rma.window_override_reason, "Customer was abroad")
        rma.with_user(self.technician).action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_p5_1_technician_cannot_accept_a_late_return(self):
        rma = self.late_return()
        self.assertNotIn("action_open_override_wizard", self.form_buttons(self.technician))
        self.assertIn("action_open_override_wizard", self.form_buttons(self.supervisor))
        with self.assertRaises(AccessError):
            rma.with_user(self.technician).action_open_override_wizard()
        with self.assertRaises(AccessError):
            rma.with_user(self.technician)._aftersales_override_window("Customer was abroad")
        self.assertFalse(rma.window_override_reason)

    def test_p5_1_return_within_the_window_has_no_late_request_to_accept(self):
        self.delivered_on("2026-01-05")
        rma = self.rma(request_date="2026-01-12", condition_proof=False)
        self.assertFalse(rma.window_passed)
        with self.dialog(rma, "action_open_override_wizard", self.supervisor) as form:
            # Only the conditions apply: the dialog offers nothing else.
            self.assertEqual(form.kind, "conditions")
            with self.assertRaises(AssertionError):
                form.kind = "window"
            form.reason = "Receipt sent by e-mail"
        with self.assertRaises(UserError):
            rma.with_user(self.supervisor)._aftersales_override_window("Just in case")
        self.assertFalse(rma.window_override_reason)

    def test_p5_1_acceptance_needs_a_reason(self):
        rma = self.late_return()
        form = self.dialog(rma, "action_open_override_wizard", self.supervisor)
        with self.assertRaises(AssertionError):
            form.save()
        form.reason = "   "
        with self.assertRaises(UserError):
            form.save().action_confirm()
        self.assertFalse(rma.window_override_reason)

    # ------------------------------------------------------------------
    # P5.2: conditions not met
    # ------------------------------------------------------------------
    def test_p5_2_conditions_not_met_accepted_by_a_supervisor_with_a_reason(self):
        rma = self.rma(condition_packaging=False)
        self.assertTrue(rma.conditions_missing)
        with self.dialog(rma, "action_open_override_wizard", self.supervisor) as form:
            self.assertEqual(form.kind, "conditions")
            self.assertEqual(form.missing_conditions, "Original packaging intact")
            form.reason = "Box lost by the courier"
        form.record.action_confirm()
        self.assertEqual(rma.conditions_override_reason, "Box lost by the courier")
        rma.action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_p5_2_technician_cannot_accept_unmet_conditions(self):
        rma = self.rma(condition_proof=False)
        with self.assertRaises(AccessError):
            rma.with_user(self.technician).action_open_override_wizard()
        with self.assertRaises(AccessError):
            self.env["aftersales.rma.override.wizard"].with_user(self.technician).create(
                {"rma_id": rma.id, "kind": "conditions", "reason": "Forged"}
            )
        self.assertFalse(rma.conditions_override_reason)

    # ------------------------------------------------------------------
    # P4.2: another product replaces
    # ------------------------------------------------------------------
    def exchange_with_voucher(self):
        rma = self.rma("exchange")
        rma.action_confirm()
        self.assertEqual(rma.state, "voucher")
        return rma

    def test_p4_2_replacement_of_the_same_value_approved_and_shipped(self):
        rma = self.exchange_with_voucher()
        with self.dialog(rma, "action_open_replacement_wizard", self.supervisor) as form:
            self.assertEqual(form.returned_product_id, self.goods)
            form.product_id = self.same_value
            self.assertEqual(form.product_price, 1000.0)
        form.record.action_confirm()
        self.assertEqual(rma.replacement_product_id, self.same_value)
        self.assertEqual(rma.replacement_approved_by, self.supervisor)
        rma.action_create_return_transfer()
        self.receive(rma)
        rma._aftersales_inspect(True)
        rma.action_ship_replacement()
        self.assertEqual(rma.outgoing_picking_id.move_ids.product_id, self.same_value)

    def test_p4_2_dearer_replacement_refused(self):
        rma = self.exchange_with_voucher()
        with self.dialog(rma, "action_open_replacement_wizard", self.supervisor) as form:
            form.product_id = self.dearer
        with self.assertRaises(UserError) as refused:
            form.record.action_confirm()
        self.assertIn("same value", str(refused.exception))
        self.assertFalse(rma.replacement_product_id)

    def test_p4_2_technician_cannot_choose_another_replacement(self):
        rma = self.exchange_with_voucher()
        self.assertNotIn("action_open_replacement_wizard", self.form_buttons(self.technician))
        with self.assertRaises(AccessError):
            rma.with_user(self.technician).action_open_replacement_wizard()
        with self.assertRaises(AccessError):
            rma.with_user(self.technician)._aftersales_approve_replacement(self.same_value)
        self.assertFalse(rma.replacement_product_id)

    def test_p4_2_replacement_cannot_change_once_shipped(self):
        rma = self.exchange_with_voucher()
        rma.action_create_return_transfer()
        self.receive(rma)
        rma._aftersales_inspect(True)
        rma.action_ship_replacement()
        with self.assertRaises(UserError):
            rma.with_user(self.supervisor)._aftersales_approve_replacement(self.same_value)
        self.assertFalse(rma.replacement_product_id)

    # ------------------------------------------------------------------
    # Refuse or cancel, with the reason
    # ------------------------------------------------------------------
    def test_p5_1_refused_with_the_reason(self):
        rma = self.late_return()
        with self.dialog(rma, "action_open_close_wizard", self.technician) as form:
            self.assertEqual(form.action, "refuse")
            form.reason = "Requested 15 days after the delivery"
        form.record.action_confirm()
        self.assertEqual(rma.state, "refused")
        self.assertEqual(rma.close_reason, "Requested 15 days after the delivery")

    def test_p5_cancelled_with_the_reason(self):
        rma = self.rma()
        with self.dialog(rma, "action_open_close_wizard", self.technician) as form:
            form.action = "cancel"
            form.reason = "Entered twice"
        form.record.action_confirm()
        self.assertEqual((rma.state, rma.close_reason), ("cancelled", "Entered twice"))

    def test_p5_refusal_without_a_reason_is_refused(self):
        rma = self.rma()
        with self.dialog(rma, "action_open_close_wizard", self.technician) as form:
            form.reason = " "
        with self.assertRaises(UserError):
            form.record.action_confirm()
        self.assertEqual(rma.state, "draft")

    # ------------------------------------------------------------------
    # Inspection (P4.2, P5.3)
    # ------------------------------------------------------------------
    def received_return(self):
        rma = self.rma()
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.receive(rma)
        return rma

    def test_p5_3_passed_inspection_recorded_by_the_technician(self):
        rma = self.received_return()
        with self.dialog(rma, "action_inspection_passed", self.technician) as form:
            self.assertTrue(form.passed)
        form.record.action_confirm()
        self.assertEqual((rma.state, rma.inspection_result), ("inspected", "passed"))
        self.assertEqual(rma.inspected_by, self.technician)

    def test_p5_3_failed_inspection_asks_what_was_found(self):
        rma = self.received_return()
        form = self.dialog(rma, "action_inspection_failed", self.technician)
        with self.assertRaises(AssertionError):
            form.save()
        form.note = "Water damage from misuse"
        form.save().action_confirm()
        self.assertEqual((rma.state, rma.inspection_result), ("done", "failed"))
        self.assertTrue(rma.outgoing_picking_id)
