from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models

from odoo.addons.resource.models.utils import Intervals

from ..tools.actions import window_action


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    aftersales_day_ids = fields.One2many(
        "aftersales.calendar.day",
        "calendar_id",
        string="Make-up Working Days and Holidays",
        help="Dated exceptions to the weekly hours, e.g. the Saturdays worked around "
        "Chinese public holidays and the holidays themselves.",
    )

    def _work_intervals_batch(
        self, start_dt, end_dt, resources=None, domain=None, tz=None, compute_leaves=True
    ):
        """Declared make-up working days are worked with the hours of their
        reference weekday, declared holidays are not worked at all (P2.5, P3.5,
        P4.2, P5.3, P6.3, P1.5): Odoo's weekly attendances cannot say so. Done here,
        once, every caller of the calendar's work intervals sees the same days."""
        result = super()._work_intervals_batch(
            start_dt,
            end_dt,
            resources=resources,
            domain=domain,
            tz=tz,
            compute_leaves=compute_leaves,
        )
        if len(self) != 1:
            return result
        zone = pytz.timezone(tz.zone if tz and hasattr(tz, "zone") else (tz or self.tz or "UTC"))
        first = start_dt.astimezone(zone).date() - timedelta(days=1)
        last = end_dt.astimezone(zone).date() + timedelta(days=1)
        # sudo(): the exceptions are the calendar's configuration, read by everyone
        # whose deadlines the calendar computes (portal customers included).
        days = (
            self.env["aftersales.calendar.day"]
            .sudo()
            .search([("calendar_id", "=", self.id), ("date", ">=", first), ("date", "<=", last)])
        )
        if not days:
            return result
        Attendance = self.env["resource.calendar.attendance"]
        worked, off = [], []
        for day in days:
            day_start = zone.localize(datetime.combine(day.date, time.min))
            if day.kind == "holiday":
                off.append((day_start, day_start + timedelta(days=1), Attendance))
                continue
            for attendance in day._attendances():
                begin = day_start + timedelta(hours=attendance.hour_from)
                stop = day_start + timedelta(hours=attendance.hour_to)
                begin, stop = max(begin, start_dt), min(stop, end_dt)
                if begin < stop:
                    worked.append((begin, stop, attendance))
        extra, holidays = Intervals(worked), Intervals(off)
        return {key: (intervals | extra) - holidays for key, intervals in result.items()}

    def action_aftersales_import_days(self):
        self.ensure_one()
        return window_action(
            "aftersales.calendar.day.import",
            name=self.env._("Import Working Days and Holidays"),
            target="new",
            context={"default_calendar_id": self.id},
        )
