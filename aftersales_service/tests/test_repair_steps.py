"""P2.4, P2.6, P2.7, P3.2-P3.4, P10.2: the repair's steps as the roles take them in
the browser — each step that needs data asks for it in a dialog, its button shows
only at its step and only to the role that may take it."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.aftersales_service.models.repair_order import INSPECTION_CHECKS

from .common import SIGNATURE, AftersalesRepairCase


class RepairStepCase(AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            login="as_salesperson",
            groups="base.group_user,aftersales_service.group_aftersales_user,"
            "sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.team.member_ids |= cls.salesperson
        cls.contact = cls.env["res.partner"].create(
            {"name": "Li Lei", "parent_id": cls.customer.id, "type": "contact"}
        )

    def buttons(self, repair, user):
        """The header buttons ``user`` sees on the repair's form, as the browser
        shows them: the view's groups applied for the user, ``invisible``
        evaluated on the form's values."""
        form = Form(repair.with_user(user))
        values = form._get_eval_context()
        return {
            node.get("name")
            for node in form._view["tree"].iterfind(".//header/button")
            if not safe_eval(node.get("invisible") or "False", values)
        }

    def tech_buttons(self, repair):
        return self.buttons(repair, self.technician)

    def months_ago(self, months):
        return self.company._aftersales_today() - relativedelta(months=months)

    def confirmed(self, **vals):
        repair = self.repair(user_id=self.technician.id, **vals)
        repair.action_validate()
        return repair

    def started(self, **vals):
        repair = self.confirmed(**vals)
        if repair.aftersales_quote_state == "waiting":
            repair._aftersales_accept_quote("Li Lei", "phone")
        repair.action_repair_start()
        return repair

    def wizard(self, action, user):
        """The dialog a button opens, as ``user`` fills it in."""
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))


@tagged("post_install", "-at_install", "aftersales")
class TestRepairStepButtons(RepairStepCase):
    def test_p3_3_create_quotation_is_for_salespeople_only(self):
        """P3.3: the quote is a sales document: a technician who is not a salesperson
        does not see Odoo's Create Quotation (it would raise an access error); a
        salesperson does."""
        repair = self.confirmed()
        self.assertNotIn("action_create_sale_order", self.tech_buttons(repair))
        self.assertIn("action_create_sale_order", self.buttons(repair, self.salesperson))
        with self.assertRaises(AccessError):
            repair.with_user(self.technician).action_create_sale_order()

    def test_p2_7_take_the_product_only_on_a_confirmed_workshop_repair_not_received(self):
        """P2.7: not on a brand-new repair, not on an on-site job, not twice."""
        repair = self.repair(user_id=self.technician.id)
        self.assertNotIn("action_aftersales_open_receipt_wizard", self.tech_buttons(repair))
        repair.action_validate()
        self.assertIn("action_aftersales_open_receipt_wizard", self.tech_buttons(repair))
        repair._aftersales_receive_goods(condition="Scratched")
        self.assertNotIn("action_aftersales_open_receipt_wizard", self.tech_buttons(repair))
        on_site = self.confirmed(aftersales_repair_mode="on_site")
        self.assertNotIn("action_aftersales_open_receipt_wizard", self.tech_buttons(on_site))

    def test_p3_3_quote_accepted_only_while_a_chargeable_workshop_quote_waits(self):
        """P3.3: Quote Accepted shows on a confirmed paid workshop repair (where Start
        Repair waits for it), not on a new, free, on-site or accepted one."""
        repair = self.repair(user_id=self.technician.id)
        self.assertNotIn("action_aftersales_open_quote_wizard", self.tech_buttons(repair))
        repair.action_validate()
        shown = self.tech_buttons(repair)
        self.assertIn("action_aftersales_open_quote_wizard", shown)
        self.assertNotIn("action_repair_start", shown)
        repair._aftersales_accept_quote("Li Lei", "phone")
        shown = self.tech_buttons(repair)
        self.assertNotIn("action_aftersales_open_quote_wizard", shown)
        self.assertIn("action_repair_start", shown)
        free = self.confirmed()
        free.with_user(self.supervisor)._aftersales_override_service_type("free", "Warranty")
        self.assertNotIn("action_aftersales_open_quote_wizard", self.tech_buttons(free))
        on_site = self.confirmed(aftersales_repair_mode="on_site")
        self.assertNotIn("action_aftersales_open_quote_wizard", self.tech_buttons(on_site))

    def test_p3_2_start_waits_for_the_consent_to_substitute_parts(self):
        """P3.2: with a substitute part, Start Repair shows only once consent is
        recorded; the consent button disappears then."""
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
        repair._aftersales_accept_quote("Li Lei", "phone")
        shown = self.tech_buttons(repair)
        self.assertIn("action_aftersales_open_consent_wizard", shown)
        self.assertNotIn("action_repair_start", shown)
        repair._aftersales_record_substitute_consent("Phone call")
        shown = self.tech_buttons(repair)
        self.assertNotIn("action_aftersales_open_consent_wizard", shown)
        self.assertIn("action_repair_start", shown)

    def test_p3_4_inspect_only_for_supervisors_on_a_workshop_repair_under_repair(self):
        """P3.4: a technician never sees Inspect; a supervisor sees it under repair
        until the inspection is made; End Repair of a workshop repair shows only
        after it."""
        repair = self.confirmed()
        self.assertNotIn(
            "action_aftersales_open_inspection_wizard", self.buttons(repair, self.supervisor)
        )
        repair._aftersales_accept_quote("Li Lei", "phone")
        repair.action_repair_start()
        self.assertNotIn("action_aftersales_open_inspection_wizard", self.tech_buttons(repair))
        self.assertNotIn("action_repair_end", self.tech_buttons(repair))
        self.assertIn(
            "action_aftersales_open_inspection_wizard", self.buttons(repair, self.supervisor)
        )
        repair.with_user(self.supervisor)._aftersales_inspect(
            checks=dict.fromkeys(INSPECTION_CHECKS, True)
        )
        self.assertNotIn(
            "action_aftersales_open_inspection_wizard", self.buttons(repair, self.supervisor)
        )
        self.assertIn("action_repair_end", self.tech_buttons(repair))

    def test_p2_6_end_repair_of_an_on_site_job_asks_for_the_signature(self):
        """P2.6: under repair on site, End Repair is the button that opens the
        signature dialog, not Odoo's direct one."""
        repair = self.started(aftersales_repair_mode="on_site")
        shown = self.tech_buttons(repair)
        self.assertIn("action_aftersales_open_completion_wizard", shown)
        self.assertNotIn("action_repair_end", shown)

    def test_p2_7_return_to_customer_only_once_a_workshop_repair_is_done(self):
        repair = self.started()
        self.assertNotIn("action_aftersales_open_return_wizard", self.tech_buttons(repair))
        self.finish(repair)
        self.assertIn("action_aftersales_open_return_wizard", self.tech_buttons(repair))
        repair._aftersales_return(SIGNATURE, "Li Lei")
        self.assertNotIn("action_aftersales_open_return_wizard", self.tech_buttons(repair))


@tagged("post_install", "-at_install", "aftersales")
class TestRepairStepWizards(RepairStepCase):
    def test_p2_7_goods_receipt_dialog_records_accessories_condition_and_taker(self):
        """P2.7: Take the Product asks what came with the product and its condition;
        the receipt in the register says so and who took it."""
        repair = self.confirmed()
        action = repair.with_user(self.technician).action_aftersales_open_receipt_wizard()
        with self.wizard(action, self.technician) as dialog:
            self.assertEqual(dialog.received_by, self.technician)
            dialog.accessories = "Power cable, remote control"
            dialog.condition = "Scratch on the top cover"
        dialog.record.action_confirm()
        receipt = repair.aftersales_goods_receipt_ids
        self.assertEqual(receipt.state, "received")
        self.assertEqual(receipt.accessories, "Power cable, remote control")
        self.assertEqual(receipt.condition, "Scratch on the top cover")
        self.assertEqual(receipt.received_by, self.technician)

    def test_p2_7_goods_receipt_dialog_requires_the_condition(self):
        repair = self.confirmed()
        action = repair.with_user(self.technician).action_aftersales_open_receipt_wizard()
        dialog = self.wizard(action, self.technician)
        dialog.accessories = "Power cable"
        with self.assertRaises(AssertionError):
            dialog.save()

    def test_p3_3_quote_dialog_proposes_the_contact_and_requires_how(self):
        """P3.3: the dialog shows the quoted amount, proposes the customer's contact
        as who accepted, and asks how (required)."""
        repair = self.confirmed(partner_id=self.contact.id)
        action = repair.with_user(self.technician).action_aftersales_open_quote_wizard()
        dialog = self.wizard(action, self.technician)
        self.assertEqual(dialog.accepted_by, "Li Lei")
        self.assertEqual(dialog.amount, repair.aftersales_amount)
        with self.assertRaises(AssertionError):
            dialog.save()

    def test_p3_3_technician_records_the_quote_acceptance_in_the_dialog(self):
        """P3.3: a technician records who accepted and how; the repair can start and
        the chatter says what was accepted."""
        repair = self.confirmed()
        action = repair.with_user(self.technician).action_aftersales_open_quote_wizard()
        with self.wizard(action, self.technician) as dialog:
            self.assertFalse(dialog.accepted_by)  # the customer is a company
            dialog.accepted_by = "Zhou Ming"
            dialog.how = "phone"
        dialog.record.action_confirm()
        self.assertEqual(repair.aftersales_quote_state, "accepted")
        self.assertEqual(repair.aftersales_quote_accepted_by, "Zhou Ming")
        self.assertEqual(repair.aftersales_quote_acceptance, "phone")
        self.assertTrue(
            repair.message_ids.filtered(lambda m: "accepted by Zhou Ming" in (m.body or ""))
        )
        repair.with_user(self.technician).action_repair_start()
        self.assertEqual(repair.state, "under_repair")

    def test_p3_3_no_acceptance_without_a_waiting_quote(self):
        """P3.3: a free repair has no quote to accept."""
        repair = self.confirmed()
        repair.with_user(self.supervisor)._aftersales_override_service_type("free", "Warranty")
        with self.assertRaises(UserError):
            repair.with_user(self.technician)._aftersales_accept_quote("Li Lei", "phone")

    def test_p3_3_technician_cannot_write_the_acceptance_directly(self):
        repair = self.confirmed()
        for vals in (
            {"aftersales_quote_accepted_by": "Forged"},
            {"aftersales_quote_acceptance": "phone"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                repair.with_user(self.technician).write(vals)

    def test_p3_2_consent_dialog_lists_the_substitute_parts_and_records_how(self):
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
        action = repair.with_user(self.technician).action_aftersales_open_consent_wizard()
        with self.wizard(action, self.technician) as dialog:
            self.assertEqual([move.product_id for move in dialog.move_ids], [self.part])
            dialog.how = "Phone call with Li Lei"
        dialog.record.action_confirm()
        self.assertTrue(repair.aftersales_substitute_consent_on)
        self.assertEqual(repair.aftersales_substitute_consent_how, "Phone call with Li Lei")

    def test_p3_4_inspection_dialog_is_the_supervisors(self):
        """P3.4: a technician can neither open the inspection nor make one."""
        repair = self.started()
        with self.assertRaises(AccessError):
            repair.with_user(self.technician).action_aftersales_open_inspection_wizard()
        with self.assertRaises(AccessError):
            self.env["aftersales.repair.inspect.wizard"].with_user(self.technician).create(
                {"repair_id": repair.id}
            )
        with self.assertRaises(AccessError):
            repair.with_user(self.technician)._aftersales_inspect(
                checks=dict.fromkeys(INSPECTION_CHECKS, True)
            )

    def test_p3_4_inspection_dialog_records_the_checks_note_and_inspector(self):
        repair = self.started()
        repair._aftersales_receive_goods(accessories="Remote control", condition="Good")
        action = repair.with_user(self.supervisor).action_aftersales_open_inspection_wizard()
        with self.wizard(action, self.supervisor) as dialog:
            self.assertEqual(dialog.accessories, "Remote control")
            self.assertFalse(dialog.check_function)
            dialog.check_function = True
            dialog.check_appearance = True
            dialog.check_accessories = True
            dialog.note = "Ran 30 minutes at full speed, quiet"
        dialog.record.action_confirm()
        self.assertEqual(repair.aftersales_inspector_id, self.supervisor)
        self.assertTrue(repair.aftersales_inspected_on)
        self.assertTrue(all(repair[fname] for fname in INSPECTION_CHECKS))
        self.assertEqual(repair.aftersales_inspection_note, "Ran 30 minutes at full speed, quiet")

    def test_p3_4_inspection_dialog_refuses_a_missing_check(self):
        repair = self.started()
        action = repair.with_user(self.supervisor).action_aftersales_open_inspection_wizard()
        with self.wizard(action, self.supervisor) as dialog:
            dialog.check_function = True
        with self.assertRaises(UserError) as refused:
            dialog.record.action_confirm()
        self.assertIn("Appearance Checked", str(refused.exception))

    def test_p3_4_technician_cannot_tick_the_inspection_checks(self):
        repair = self.started()
        for fname in (*INSPECTION_CHECKS, "aftersales_inspection_note"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                repair.with_user(self.technician).write({fname: True if "check" in fname else "x"})

    def test_p2_6_completion_dialog_records_signer_time_and_recorder_and_ends_the_job(self):
        """P2.6: the on-site job ends with the customer's signature: who signed, when
        and who had them sign are on the repair."""
        repair = self.started(aftersales_repair_mode="on_site", partner_id=self.contact.id)
        action = repair.with_user(self.technician).action_aftersales_open_completion_wizard()
        before = fields.Datetime.now()
        with self.wizard(action, self.technician) as dialog:
            self.assertEqual(dialog.signed_by, "Li Lei")
            self.assertEqual(dialog.user_id, self.technician)
            self.assertTrue(dialog.signed_on)
            dialog.signature = SIGNATURE
        dialog.record.action_confirm()
        self.assertEqual(repair.state, "done")
        self.assertEqual(repair.aftersales_signed_by, "Li Lei")
        self.assertGreaterEqual(repair.aftersales_signed_on, before)
        self.assertEqual(repair.aftersales_signature_user_id, self.technician)
        self.assertTrue(repair.aftersales_signature)

    def test_p2_6_completion_dialog_requires_the_signature_and_the_name(self):
        repair = self.started(aftersales_repair_mode="on_site")
        action = repair.with_user(self.technician).action_aftersales_open_completion_wizard()
        dialog = self.wizard(action, self.technician)
        dialog.signed_by = "Li Lei"
        with self.assertRaises(AssertionError):
            dialog.save()
        dialog.signature = SIGNATURE
        dialog.signed_by = False
        with self.assertRaises(AssertionError):
            dialog.save()

    def test_p2_6_completion_dialog_records_a_payment_on_the_spot(self):
        """P2.6: a small paid job paid on the spot is not to invoice."""
        repair = self.started(aftersales_repair_mode="on_site")
        action = repair.with_user(self.technician).action_aftersales_open_completion_wizard()
        with self.wizard(action, self.technician) as dialog:
            dialog.signed_by = "Li Lei"
            dialog.signature = SIGNATURE
            dialog.paid_on_site = True
            dialog.payment_method = "wechat"
        dialog.record.action_confirm()
        self.assertTrue(repair.aftersales_paid_on_site)
        self.assertEqual(repair.aftersales_payment_method, "wechat")
        self.assertFalse(repair.aftersales_to_invoice)

    def test_p2_6_on_site_job_does_not_end_unsigned(self):
        repair = self.started(aftersales_repair_mode="on_site")
        with self.assertRaises(UserError) as refused:
            repair.with_user(self.technician).action_repair_end()
        self.assertIn("signs", str(refused.exception))
        self.assertEqual(repair.state, "under_repair")

    def test_p2_6_technician_cannot_write_the_signature_directly(self):
        repair = self.started(aftersales_repair_mode="on_site")
        for vals in (
            {"aftersales_signature": SIGNATURE},
            {"aftersales_signed_by": "Forged"},
            {"aftersales_signed_on": fields.Datetime.now()},
            {"aftersales_signature_user_id": self.technician.id},
        ):
            with self.subTest(vals=list(vals)), self.assertRaises(AccessError):
                repair.with_user(self.technician).write(vals)

    def test_p2_7_return_dialog_proposes_who_handed_the_product_in(self):
        """P2.7: whoever signed the goods receipt is proposed to sign for the return;
        the customer's signature voids the receipt."""
        repair = self.started()
        receipt = repair._aftersales_receive_goods(condition="Good")
        receipt.customer_signed_by = "Zhou Ming"
        self.finish(repair)
        action = repair.with_user(self.technician).action_aftersales_open_return_wizard()
        with self.wizard(action, self.technician) as dialog:
            self.assertEqual(dialog.signed_by, "Zhou Ming")
            self.assertEqual(list(dialog.goods_receipt_ids), [receipt])
            dialog.signature = SIGNATURE
        dialog.record.action_confirm()
        self.assertEqual(receipt.state, "returned")
        self.assertEqual(receipt.return_signed_by, "Zhou Ming")
        self.assertTrue(repair.aftersales_returned_on)

    def test_p2_4_override_dialog_sets_the_type_with_the_reason(self):
        repair = self.confirmed()
        action = repair.with_user(self.supervisor).action_aftersales_open_override_wizard()
        with self.wizard(action, self.supervisor) as dialog:
            self.assertEqual(dialog.current_type, "paid")
            dialog.service_type = "free"
            dialog.reason = "Goodwill after a late visit"
        dialog.record.action_confirm()
        self.assertEqual(repair.aftersales_service_type, "free")
        self.assertEqual(repair.aftersales_override_reason, "Goodwill after a late visit")

    def test_p2_4_technician_can_neither_override_nor_drop_an_override(self):
        repair = self.confirmed()
        with self.assertRaises(AccessError):
            repair.with_user(self.technician).action_aftersales_open_override_wizard()
        repair.with_user(self.supervisor)._aftersales_override_service_type("free", "Goodwill")
        with self.assertRaises(AccessError):
            repair.with_user(self.technician).action_aftersales_decide_service_type()
        self.assertEqual(repair.aftersales_service_type, "free")


@tagged("post_install", "-at_install", "aftersales")
class TestRepairServiceReason(RepairStepCase):
    def notes(self, repair):
        return repair.message_ids.filtered(lambda m: "Service type:" in (m.body or ""))

    def test_p2_4_reason_follows_the_form_before_it_is_saved(self):
        """P2.4: picking a product still in warranty shows "free" and why at once, in
        the form, before saving; saving as a technician keeps it."""
        self.invoice_product(self.purifier, self.months_ago(2))
        repair = self.repair(self.part)
        self.assertEqual(repair.aftersales_service_type, "paid")
        with Form(repair.with_user(self.technician)) as form:
            form.product_id = self.purifier
            self.assertEqual(form.aftersales_service_type, "free")
            self.assertIn("In warranty until", form.aftersales_service_type_reason)
        self.assertEqual(repair.aftersales_service_type, "free")
        self.assertIn("In warranty until", repair.aftersales_service_type_reason)

    def test_p2_4_new_repair_form_shows_the_decision_before_it_is_created(self):
        self.invoice_product(self.purifier, self.months_ago(1))
        form = Form(self.env["repair.order"].with_user(self.technician))
        form.partner_id = self.customer
        form.product_id = self.purifier
        self.assertEqual(form.aftersales_service_type, "free")
        self.assertIn("In warranty until", form.aftersales_service_type_reason)
        repair = form.save()
        self.assertEqual(repair.aftersales_service_type, "free")

    def test_p2_4_chatter_notes_the_decision_only_when_it_changes(self):
        """P2.4: deciding again with the same outcome adds no note; a changed type
        adds exactly one."""
        repair = self.repair(user_id=self.technician.id)
        self.assertEqual(len(self.notes(repair)), 1)
        other_fault = self.env.ref("aftersales_service.aftersales_category_fault_leak")
        with Form(repair.with_user(self.technician)) as form:
            form.aftersales_fault_category_id = other_fault
        repair.with_user(self.supervisor).action_aftersales_decide_service_type()
        self.assertEqual(len(self.notes(repair)), 1)
        self.invoice_product(self.purifier, self.months_ago(1))
        with Form(repair.with_user(self.technician)) as form:
            form.aftersales_fault_category_id = self.noise
        self.assertEqual(repair.aftersales_service_type, "free")
        self.assertEqual(len(self.notes(repair)), 2)
