"""P2.3, P6.3: deadlines in working hours of the team's calendar (Mon-Fri 08-17,
Asia/Shanghai), public holidays skipped, paused stages shifting the deadline."""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestSlaDeadline(AftersalesDeskCase):
    def test_friday_1600_with_2h_response_is_due_monday_0900(self):
        with freeze_time(self.utc("2026-01-09 16:00")):  # a Friday
            ticket = self.ticket()
        self.assertEqual(ticket.sla_response_deadline, self.utc("2026-01-12 09:00"))

    def test_public_holiday_is_skipped(self):
        self._public_holiday(self.calendar, "2026-01-12")  # the Monday
        with freeze_time(self.utc("2026-01-09 16:00")):
            ticket = self.ticket()
        self.assertEqual(ticket.sla_response_deadline, self.utc("2026-01-13 09:00"))

    def test_resolution_16h_spans_two_working_days(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
        self.assertEqual(ticket.sla_resolution_deadline, self.utc("2026-01-13 16:00"))

    def test_request_outside_hours_starts_next_morning(self):
        with freeze_time(self.utc("2026-01-12 20:30")):
            ticket = self.ticket()
        self.assertEqual(ticket.sla_response_deadline, self.utc("2026-01-13 10:00"))

    def test_paused_stage_shifts_deadline_by_exactly_the_paused_working_time(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
        with freeze_time(self.utc("2026-01-12 10:00")):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(ticket.sla_resolution_status, "paused")
        with freeze_time(self.utc("2026-01-12 13:30")):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.sla_paused_hours, 3.5)
        # Tue 16:00 + 3.5 working hours = Tue 17:00 (1 h) + Wed 08:00-10:30 (2.5 h).
        self.assertEqual(ticket.sla_resolution_deadline, self.utc("2026-01-14 10:30"))

    def test_pause_over_night_counts_only_working_hours(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
        with freeze_time(self.utc("2026-01-12 16:00")):
            ticket.stage_id = self.stage_waiting
        with freeze_time(self.utc("2026-01-13 09:00")):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.sla_paused_hours, 2.0)  # Mon 16-17 and Tue 08-09

    def test_calendar_timezone_is_respected(self):
        """The same instant is Friday 16:00 in Shanghai but Friday 09:00 in Paris."""
        paris = self._create_calendar("Europe/Paris")
        self.team.resource_calendar_id = paris
        with freeze_time(self.utc("2026-01-09 16:00")):
            ticket = self.ticket()
        self.assertEqual(ticket.sla_response_deadline, self.utc("2026-01-09 11:00", "Europe/Paris"))

    def test_back_dated_phone_call_counts_from_when_it_came_in(self):
        with freeze_time(self.utc("2026-01-12 15:00")):
            ticket = self.ticket(received_at=self.utc("2026-01-12 09:30"))
        self.assertEqual(ticket.sla_response_deadline, self.utc("2026-01-12 11:30"))

    def test_received_at_in_the_future_is_refused(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            with self.assertRaises(ValidationError) as refused:
                self.ticket(received_at=self.utc("2026-01-12 11:00"))
        self.assertIn("in the future", str(refused.exception))

    def test_first_outgoing_message_is_the_first_response(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
        with freeze_time(self.utc("2026-01-12 10:30")):
            ticket.with_user(self.technician).message_post(
                body="We will call you back this afternoon.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(ticket.sla_first_response_at, self.utc("2026-01-12 10:30"))
        self.assertEqual((ticket.sla_response_time, ticket.sla_response_status), (1.5, "met"))

    def test_internal_note_is_not_a_response(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
            ticket.with_user(self.technician).message_post(
                body="Check the spare parts stock.", subtype_xmlid="mail.mt_note"
            )
        self.assertFalse(ticket.sla_first_response_at)

    def test_leaving_new_stage_is_a_response(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
        self.assertEqual(ticket.stage_id, self.stage_new)
        with freeze_time(self.utc("2026-01-12 12:00")):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.sla_first_response_at, self.utc("2026-01-12 12:00"))
        self.assertEqual(ticket.sla_response_status, "missed")

    def test_solving_records_resolution_time_without_paused_time(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
        with freeze_time(self.utc("2026-01-12 10:00")):
            ticket.stage_id = self.stage_waiting
        with freeze_time(self.utc("2026-01-12 12:00")):
            ticket.stage_id = self.stage_progress
        with freeze_time(self.utc("2026-01-12 15:00")):
            ticket.stage_id = self.stage_solved
        self.assertEqual(ticket.sla_resolution_time, 4.0)
        self.assertEqual((ticket.sla_resolution_status, ticket.sla_resolution_ontime), ("met", 100))

    def test_reopening_clears_the_solution(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
            ticket.stage_id = self.stage_solved
            ticket.stage_id = self.stage_progress
            self.assertFalse(ticket.sla_solved_at)
            self.assertEqual(ticket.sla_resolution_status, "running")

    def test_overdue_filters(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
        Ticket = self.env["aftersales.ticket"]
        with freeze_time(self.utc("2026-01-12 10:30")):
            self.assertIn(ticket, Ticket.search([("sla_due_soon", "=", True)]))
            self.assertNotIn(ticket, Ticket.search([("sla_response_overdue", "=", True)]))
        with freeze_time(self.utc("2026-01-12 11:30")):
            self.assertIn(ticket, Ticket.search([("sla_response_overdue", "=", True)]))
            self.assertNotIn(ticket, Ticket.search([("sla_resolution_overdue", "=", True)]))
