"""P6.3: the supervisor's extension wizard previews the new resolution deadline on
the record's working calendar, shows the 7-working-day cap and says plainly when a
missed deadline runs again, before anything is written."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestSlaExtendWizard(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Received Monday 09:00: respond by 11:00, resolve by Tuesday 16:00 (16 h on
        # the team's Mon-Fri 08:00-17:00 calendar).
        with freeze_time(cls.utc("2026-01-12 09:00")):
            cls.case = cls.ticket(subject="Compressor fails after a minute")

    def wizard_form(self, user=None):
        wizard = (
            self.env["aftersales.sla.extend.wizard"]
            .with_user(user or self.supervisor)
            .with_context(default_res_model="aftersales.ticket", default_res_id=self.case.id)
        )
        return Form(wizard)

    def test_p6_3_the_button_opens_the_wizard_on_the_record(self):
        action = self.case.with_user(self.supervisor).action_sla_extend()
        self.assertEqual(action["res_model"], "aftersales.sla.extend.wizard")
        self.assertEqual(action["target"], "new")
        self.assertEqual(
            action["context"],
            {"default_res_model": "aftersales.ticket", "default_res_id": self.case.id},
        )

    def test_p6_3_technicians_get_no_extension_wizard(self):
        with self.assertRaises(AccessError):
            self.case.with_user(self.technician).action_sla_extend()

    def test_p6_3_preview_follows_the_hours_on_the_working_calendar(self):
        with freeze_time(self.utc("2026-01-12 10:00")):
            form = self.wizard_form()
            self.assertEqual(form.current_deadline, self.utc("2026-01-13 16:00"))
            self.assertEqual(form.calendar_id, self.calendar)
            # 16 h + 8 h from Monday 09:00: Mon 8 h, Tue 9 h, Wed 7 h.
            form.hours = 8
            self.assertEqual(form.new_deadline, self.utc("2026-01-14 15:00"))
            # Overnight and the evening are not working time: + 4 h is Wed 11:00.
            form.hours = 4
            self.assertEqual(form.new_deadline, self.utc("2026-01-14 11:00"))
            self.assertEqual(form.preview_outcome_kind, "running")
            self.assertFalse(form.preview_problem)
        self.assertFalse(self.case.sla_extension_hours, "a preview writes nothing")
        self.assertEqual(self.case.sla_resolution_deadline, self.utc("2026-01-13 16:00"))

    def test_p6_3_preview_shows_the_7_working_day_cap(self):
        """7 days x 9 h = 63 h from Monday 09:00 is Wednesday of the next week, 09:00;
        the 16 h target leaves 47 h to add."""
        with freeze_time(self.utc("2026-01-12 10:00")):
            form = self.wizard_form()
            self.assertEqual(form.latest_deadline, self.utc("2026-01-21 09:00"))
            self.assertEqual(form.max_hours, 47)
            form.hours = 47
            self.assertEqual(form.new_deadline, self.utc("2026-01-21 09:00"))
            self.assertFalse(form.preview_problem)

    def test_p6_3_preview_refuses_hours_beyond_the_cap(self):
        with freeze_time(self.utc("2026-01-12 10:00")):
            form = self.wizard_form()
            form.hours = 48
            self.assertFalse(form.new_deadline)
            self.assertIn("7 working days", form.preview_problem)
            self.assertNotIn("P6.3", form.preview_problem)
            form.reason = "Complex"
            wizard = form.save()
            with self.assertRaises(ValidationError):
                wizard.action_confirm()
        self.assertFalse(self.case.sla_extension_hours)

    def test_p6_3_preview_says_a_missed_deadline_runs_again(self):
        with freeze_time(self.utc("2026-01-13 16:30")):
            form = self.wizard_form()
            self.assertEqual(form.current_status, "missed")
            form.hours = 8
            self.assertEqual(form.preview_outcome_kind, "resumed")
            self.assertIn("was missed", form.preview_outcome)
            self.assertIn("running again", form.preview_outcome)
            form.reason = "Spare part shipped from the factory"
            form.save().action_confirm()
            self.assertEqual(self.case.sla_resolution_deadline, self.utc("2026-01-14 15:00"))
            self.assertEqual(self.case.sla_resolution_status, "running")

    def test_p6_3_preview_says_when_the_new_deadline_is_already_past(self):
        with freeze_time(self.utc("2026-01-15 09:00")):
            form = self.wizard_form()
            form.hours = 2  # Wednesday 09:00: still before now
            self.assertEqual(form.new_deadline, self.utc("2026-01-14 09:00"))
            self.assertEqual(form.preview_outcome_kind, "still_missed")
            self.assertIn("stays missed", form.preview_outcome)

    def test_p6_3_preview_says_an_extended_case_cannot_be_extended_again(self):
        self.case.with_user(self.supervisor)._sla_extend(4, "Waiting for the carrier")
        form = self.wizard_form()
        self.assertIn("only once", form.preview_problem)
        self.assertFalse(form.new_deadline)

    def test_p6_3_confirming_extends_as_the_supervisor_and_tells_the_customer(self):
        with freeze_time(self.utc("2026-01-12 10:00")):
            form = self.wizard_form()
            form.hours = 8
            form.reason = "Spare part shipped from the factory"
            form.save().action_confirm()
        self.assertEqual(self.case.sla_extension_hours, 8)
        self.assertEqual(self.case.sla_resolution_deadline, self.utc("2026-01-14 15:00"))
        mail = self.case.message_ids.filtered(
            lambda m: "new expected resolution" in (m.subject or "")
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.author_id, self.supervisor.partner_id)
