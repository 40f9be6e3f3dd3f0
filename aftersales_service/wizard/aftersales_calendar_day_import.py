import base64
import csv
import io
import re
from datetime import timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..models.aftersales_calendar_day import WEEKDAYS

#: Words that make an imported day a make-up working day (上班 / 补班 in Chinese
#: calendars, "working day" in English ones); anything else is a holiday.
WORKING_WORDS = ("班", "work")


class AftersalesCalendarDayImport(models.TransientModel):
    """Import a year's make-up working days and holidays (调休) into a calendar from
    a CSV file (date, kind, reason, hours of weekday) or an ICS calendar."""

    _name = "aftersales.calendar.day.import"
    _description = "Import Working Days and Holidays"

    calendar_id = fields.Many2one("resource.calendar", string="Working Hours", required=True)
    file = fields.Binary(required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        days = self._parse(base64.b64decode(self.file or b""))
        if not days:
            raise UserError(_("The file holds no day to import: see the expected format."))
        existing = {d.date: d for d in self.calendar_id.aftersales_day_ids}
        create = []
        for day, values in days.items():
            if day in existing:
                existing[day].write(values)
            else:
                create.append(dict(values, calendar_id=self.calendar_id.id, date=day))
        self.env["aftersales.calendar.day"].create(create)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%s days imported.", len(days)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _parse(self, content):
        text = content.decode("utf-8-sig", errors="replace")
        if "BEGIN:VCALENDAR" in text:
            return self._parse_ics(text)
        return self._parse_csv(text)

    def _parse_csv(self, text):
        """``date,kind,reason,hours of weekday`` per line; ``kind`` is ``working`` /
        ``holiday`` (or 班 / 休); a header line is skipped."""
        days = {}
        weekdays = {label.lower(): value for value, label in WEEKDAYS}
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if not row or not row[0].strip() or row[0].strip().lower() == "date":
                continue
            day = self._date(row[0], _("Line %s", number))
            kind_text = (row[1] if len(row) > 1 else "").strip().lower()
            kind = "holiday" if kind_text in ("holiday", "休", "off") else "working"
            if kind_text and kind_text not in ("holiday", "休", "off", "working", "班", "work"):
                raise UserError(
                    _(
                        "Line %(line)s: the kind is “working” or “holiday”, not “%(kind)s”.",
                        line=number,
                        kind=row[1].strip(),
                    )
                )
            worked_like = (row[3] if len(row) > 3 else "").strip().lower()
            days[day] = {
                "kind": kind,
                "name": (row[2] if len(row) > 2 else "").strip() or False,
                "worked_like": weekdays.get(worked_like, worked_like if worked_like else False)
                or False,
            }
        return days

    def _parse_ics(self, text):
        """Every all-day event is a day (or several, up to its exclusive end); its
        summary names it, and says whether it is worked."""
        days = {}
        unfolded = re.sub(r"\r?\n[ \t]", "", text)
        for event in re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", unfolded, re.S):
            fields_ = {}
            for line in event.strip().splitlines():
                key, _sep, value = line.partition(":")
                fields_[key.split(";")[0].upper()] = value.strip()
            if "DTSTART" not in fields_:
                continue
            summary = fields_.get("SUMMARY", "")
            where = _("Event %s", summary or fields_["DTSTART"])
            start = self._date(fields_["DTSTART"][:8], where)
            end = self._date(fields_["DTEND"][:8], where) if "DTEND" in fields_ else None
            kind = (
                "working" if any(word in summary.lower() for word in WORKING_WORDS) else "holiday"
            )
            day = start
            while True:
                days[day] = {"kind": kind, "name": summary or False, "worked_like": False}
                day += timedelta(days=1)
                if not end or day >= end:
                    break
        return days

    def _date(self, value, where):
        text = value.strip()
        if re.fullmatch(r"\d{8}", text):
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        try:
            return fields.Date.to_date(text)
        except ValueError as error:
            raise UserError(
                _("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).", where=where, value=value)
            ) from error
