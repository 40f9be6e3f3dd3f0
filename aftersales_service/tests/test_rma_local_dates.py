"""P5.1, P4.2: return windows and voucher validity count the company's calendar
days (Asia/Shanghai, UTC+8), never UTC dates nor the user's time zone: every case
sits within an hour of local midnight."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestRmaLocalDates(AftersalesRmaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company's days are those of its working-hours calendar.
        cls.company.resource_calendar_id = cls.calendar
        # Delivered at 00:30 in Shanghai on January 1st: still December 31st in UTC.
        cls.delivery.date_done = cls.utc("2026-01-01 00:30")

    def test_p5_1_delivery_just_after_local_midnight_is_received_that_local_day(self):
        """P5.1: the receipt date is the company's day, not the UTC one."""
        rma = self.rma(request_date="2026-01-02")
        self.assertEqual(self.delivery.date_done.day, 31, "December 31st in UTC")
        self.assertEqual(rma.delivered_on, fields.Date.to_date("2026-01-01"))
        self.assertEqual(rma.window_end, fields.Date.to_date("2026-01-08"))

    def test_p5_1_return_on_local_day_8_is_accepted(self):
        """P5.1: delivered on the 1st (local), a return asked on the 8th is within
        the 7 days."""
        rma = self.rma(request_date="2026-01-08")
        rma.action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_p5_1_return_on_local_day_9_is_refused_with_the_local_dates(self):
        """P5.1: on the 9th it is refused, with the local receipt date and last day, in
        the user's date format (en_US here)."""
        rma = self.rma(request_date="2026-01-09")
        with self.assertRaises(UserError) as refused:
            rma.action_confirm()
        message = str(refused.exception)
        self.assertIn("received on 01/01/2026", message)
        self.assertIn("the last day was 01/08/2026", message)
        self.assertEqual(rma.state, "draft")

    def test_p5_1_request_date_is_the_company_today_not_the_user_one(self):
        """P5.1: a request at 00:30 in Shanghai is of that day, even for a user (or
        a cron) whose time zone is still on the day before."""
        with freeze_time(self.utc("2026-01-08 00:30")):
            rma = self.rma().with_context(tz="America/New_York")
            self.assertEqual(rma.request_date, fields.Date.to_date("2026-01-08"))
            default = (
                self.env["aftersales.rma"]
                .with_context(tz="America/New_York")
                .default_get(["request_date"])
            )
        self.assertEqual(default["request_date"], fields.Date.to_date("2026-01-08"))

    def test_p4_2_voucher_validity_counts_from_the_company_today(self):
        """P4.2: a voucher issued at 00:30 in Shanghai on January 12th is valid 30
        days from that day, whatever the confirming user's time zone."""
        with freeze_time(self.utc("2026-01-12 00:30")):
            rma = self.rma("exchange").with_context(tz="UTC")
            rma.action_confirm()
        self.assertEqual(rma.voucher_valid_until, fields.Date.to_date("2026-02-11"))

    def test_p4_2_voucher_expires_at_local_midnight_after_its_last_day(self):
        """P4.2: usable until 23:30 of its last local day, expired at 00:30 of the
        next one (still the last day in UTC)."""
        with freeze_time(self.utc("2026-01-12 10:00")):
            rma = self.rma("exchange")
            rma.action_confirm()
        self.assertEqual(rma.voucher_valid_until, fields.Date.to_date("2026-02-11"))
        with freeze_time(self.utc("2026-02-11 23:30")):
            rma.invalidate_recordset(["voucher_expired"])
            self.assertFalse(rma.with_context(tz="UTC").voucher_expired)
        with freeze_time(self.utc("2026-02-12 00:30")):
            rma.invalidate_recordset(["voucher_expired"])
            self.assertTrue(rma.with_context(tz="UTC").voucher_expired)
            with self.assertRaises(UserError) as refused:
                rma.with_context(tz="UTC").action_create_return_transfer()
        self.assertIn("expired on 02/11/2026", str(refused.exception))
