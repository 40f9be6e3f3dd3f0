"""Make-up working days (调休) and declared holidays count in every working-time rule:
the SLA deadlines (P2.3, P6.3), the refund deadline (P5.3) and the rest, because the
calendar's own work intervals include them."""

import base64

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestMakeupWorkingDays(AftersalesRmaCase):
    """The desk's Shanghai calendar works Mon-Fri 08:00-17:00."""

    def declare(self, day, kind="working", **vals):
        return self.env["aftersales.calendar.day"].create(
            dict({"calendar_id": self.calendar.id, "date": day, "kind": kind}, **vals)
        )

    def deadline(self, received, hours):
        start = self.utc(received)
        return self.env["aftersales.ticket"]._sla_add_working_hours(
            self.calendar, [(start, hours)]
        )[0]

    def test_p2_3_request_on_the_friday_before_a_makeup_saturday_is_due_on_saturday(self):
        """Received Friday 2026-09-25 13:00 with 8 working hours to respond: 4 h on
        Friday, then the make-up Saturday 26 September from 08:00: due 12:00."""
        self.declare("2026-09-26", name="Make-up day for National Day")
        self.assertEqual(self.deadline("2026-09-25 13:00", 8), self.utc("2026-09-26 12:00"))

    def test_p2_3_without_the_makeup_day_the_same_request_is_due_on_monday(self):
        self.assertEqual(self.deadline("2026-09-25 13:00", 8), self.utc("2026-09-28 12:00"))

    def test_p2_3_a_declared_holiday_is_skipped(self):
        """Received Tuesday 2026-06-16 13:00, Wednesday declared a holiday: 4 h on
        Tuesday, 4 h on Thursday: due Thursday 12:00."""
        self.declare("2026-06-17", kind="holiday", name="Dragon Boat Festival")
        self.assertEqual(self.deadline("2026-06-16 13:00", 8), self.utc("2026-06-18 12:00"))

    def test_p2_3_ticket_deadline_follows_the_makeup_day(self):
        """The engine itself: a phone request with the team's 2 h response target
        received at 16:00 on that Friday is due at 09:00 on the make-up Saturday."""
        self.declare("2026-09-26")
        with freeze_time(self.utc("2026-09-25 16:00")):
            ticket = self.env["aftersales.ticket"].create(
                {
                    "subject": "Purifier does not start",
                    "partner_id": self.customer.id,
                    "team_id": self.team.id,
                    "channel": "phone",
                    "priority": "1",
                    "ticket_type": "service",
                }
            )
        self.assertEqual(ticket.sla_response_deadline, self.utc("2026-09-26 09:00"))

    def test_p5_3_refund_within_7_working_days_across_golden_week(self):
        """P5.3: inspection passed on Tuesday 29 September 2026 at 17:00; Golden Week
        (1-7 October) is off, Sunday 27 September and Saturday 10 October are worked
        (as a company would declare them): the 7 working days are 30 Sep, 8, 9, 10,
        12, 13 and 14 October — refund due Wednesday 14 October 17:00."""
        for day in range(1, 8):
            self.declare(f"2026-10-0{day}", kind="holiday", name="National Day")
        self.declare("2026-09-27", name="Make-up day")
        self.declare("2026-10-10", name="Make-up day")
        rma = self.rma()
        with freeze_time(self.utc("2026-09-28 10:00")):
            rma.action_confirm()
            rma.action_create_return_transfer()
            self.receive(rma)
        with freeze_time(self.utc("2026-09-29 17:00")):
            rma.with_user(self.supervisor)._aftersales_inspect(True)
        self.assertEqual(rma.state, "inspected")
        self.assertEqual(rma.sla_resolution_deadline, self.utc("2026-10-14 17:00"))

    def test_makeup_day_needs_hours_to_follow(self):
        with self.assertRaises(ValidationError):
            self.declare("2026-09-26", worked_like="6")

    def test_a_year_is_imported_from_csv_and_ics(self):
        csv_file = (
            b"date,kind,reason,hours of\n"
            b"2026-09-27,working,Make-up day,Monday\n"
            b"2026-10-01,holiday,National Day\n"
        )
        ics_file = (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261002\r\n"
            b"DTEND;VALUE=DATE:20261004\r\nSUMMARY:National Day\r\nEND:VEVENT\r\n"
            b"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261010\r\nSUMMARY:\xe8\xa1\xa5\xe7\x8f\xad\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        for content in (csv_file, ics_file):
            self.env["aftersales.calendar.day.import"].with_user(self.manager).create(
                {"calendar_id": self.calendar.id, "file": base64.b64encode(content)}
            ).action_import()
        days = {
            d.date.isoformat(): (d.kind, d.worked_like) for d in self.calendar.aftersales_day_ids
        }
        self.assertEqual(
            days,
            {
                "2026-09-27": ("working", "0"),
                "2026-10-01": ("holiday", False),
                "2026-10-02": ("holiday", False),
                "2026-10-03": ("holiday", False),
                "2026-10-10": ("working", False),
            },
        )
