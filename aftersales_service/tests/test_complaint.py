"""P6.2-P6.5: complaints close with root cause and corrective action, serious ones
reach the managers at once, complex ones may be extended once within 7 working days."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestComplaint(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.ticket_type = False  # the team's 2 h / 16 h apply to complaints too

    def complaint(self, **vals):
        return self.ticket(
            **dict(
                {
                    "ticket_type": "complaint",
                    "complaint_category": "transport",
                    "subject": "Delivered with a cracked panel",
                },
                **vals,
            )
        )

    def test_complaint_cannot_close_without_root_cause_and_corrective_action(self):
        complaint = self.complaint(responsibility="carrier", remedy="exchange")
        with self.assertRaises(ValidationError) as refused:
            complaint.stage_id = self.stage_solved
        self.assertIn("root cause", str(refused.exception).lower())
        self.assertIn("Corrective Action", str(refused.exception))
        self.assertFalse(complaint.is_closed)

    def test_complaint_with_cause_and_action_closes(self):
        complaint = self.complaint(
            responsibility="carrier",
            remedy="exchange",
            root_cause="Pallet not strapped",
            corrective_action="Carrier contract requires strapping; inspection at loading",
        )
        complaint.stage_id = self.stage_solved
        self.assertTrue(complaint.is_closed)

    def test_service_request_closes_without_complaint_fields(self):
        ticket = self.ticket()
        ticket.stage_id = self.stage_solved
        self.assertTrue(ticket.is_closed)

    def test_serious_complaint_notifies_the_managers_at_once(self):
        complaint = self.complaint(is_serious=True)
        notice = complaint.message_ids.filtered(lambda m: "Serious complaint" in (m.body or ""))
        self.assertEqual(len(notice), 1)
        self.assertIn(self.manager.partner_id, notice.partner_ids)

    def test_complaint_turned_serious_later_notifies_once(self):
        complaint = self.complaint()
        complaint.is_serious = True
        complaint.write({"is_serious": True, "remedy": "repair"})
        notices = complaint.message_ids.filtered(lambda m: "Serious complaint" in (m.body or ""))
        self.assertEqual(len(notices), 1)

    def test_complaint_category_only_on_complaints(self):
        with self.assertRaises(ValidationError):
            self.ticket(complaint_category="quality")

    def test_supervisor_extends_resolution_once_and_customer_is_told(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            complaint = self.complaint()
            complaint.with_user(self.supervisor)._sla_extend(8, "Spare part from factory")
        # 16 h + 8 h from Monday 09:00: Mon 8 h, Tue 9 h, Wed 7 h.
        self.assertEqual(complaint.sla_resolution_deadline, self.utc("2026-01-14 15:00"))
        mail = complaint.message_ids.filtered(
            lambda m: "new expected resolution" in (m.subject or "")
        )
        self.assertEqual(len(mail), 1)
        with self.assertRaises(UserError) as refused:
            complaint.with_user(self.supervisor)._sla_extend(1, "Again")
        self.assertIn("only once", str(refused.exception))

    def test_extension_beyond_7_working_days_from_receipt_is_refused(self):
        """16 h target + 48 h = 64 h > 7 days x 9 h = 63 h."""
        with freeze_time(self.utc("2026-01-12 09:00")):
            complaint = self.complaint()
            with self.assertRaises(ValidationError) as refused:
                complaint.with_user(self.supervisor)._sla_extend(48, "Complex")
        self.assertIn("7 working days", str(refused.exception))
        self.assertFalse(complaint.sla_extension_hours)

    def test_extension_up_to_7_working_days_is_accepted(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            complaint = self.complaint()
            complaint.with_user(self.supervisor)._sla_extend(47, "Complex")
        self.assertEqual(complaint.sla_extension_hours, 47)

    def test_extension_needs_a_reason(self):
        complaint = self.complaint()
        with self.assertRaises(UserError):
            complaint.with_user(self.supervisor)._sla_extend(4, "  ")

    def test_technician_cannot_extend(self):
        complaint = self.complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.technician)._sla_extend(4, "Because")

    def test_extension_wizard_extends(self):
        complaint = self.complaint()
        wizard = (
            self.env["aftersales.sla.extend.wizard"]
            .with_user(self.supervisor)
            .create(
                {
                    "res_model": "aftersales.ticket",
                    "res_id": complaint.id,
                    "hours": 4,
                    "reason": "Waiting for the carrier's report",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(complaint.sla_extension_hours, 4)
