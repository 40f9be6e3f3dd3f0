from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class AftersalesCalendarDay(models.Model):
    """A dated exception to a working-hours calendar: a make-up working day (调休
    上班, a Saturday or Sunday worked around a public holiday) or a holiday.

    ``resource.calendar`` only knows weekly attendances and leaves; these days
    change its work intervals themselves (``resource_calendar.py``), so every
    working-time rule — SLA deadlines, dispatch and workshop targets, exchange and
    refund phases, callback delays, the extension cap — counts them the same way.
    """

    _name = "aftersales.calendar.day"
    _description = "Working Day or Holiday of a Calendar"
    _inherit = ["aftersales.workflow.guard"]
    _order = "calendar_id, date"

    calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="calendar_id.company_id", store=True)
    date = fields.Date(required=True)
    kind = fields.Selection(
        [("working", "Make-up Working Day"), ("holiday", "Holiday")],
        required=True,
        default="working",
        help="A make-up working day is worked although the calendar does not normally "
        "work that weekday; a holiday is not worked although it normally is.",
    )
    worked_like = fields.Selection(
        WEEKDAYS,
        string="Hours of",
        help="A make-up working day is worked with the hours of this weekday of the "
        "calendar. Empty: its first working weekday.",
    )
    name = fields.Char(string="Reason", help="E.g. National Day, or the notice it comes from.")

    _sql_constraints = [
        (
            "calendar_date_uniq",
            "unique (calendar_id, date)",
            "This day is already declared on these working hours.",
        ),
    ]

    @api.constrains("kind", "worked_like", "calendar_id")
    def _check_worked_like(self):
        for day in self.filtered(lambda d: d.kind == "working"):
            if not day._attendances():
                raise ValidationError(
                    _(
                        "%(calendar)s has no working hours on %(weekday)s to work on "
                        "%(date)s: choose a weekday the calendar works.",
                        calendar=day.calendar_id.name,
                        weekday=dict(WEEKDAYS)[day._reference_weekday() or "0"],
                        date=format_date(self.env, day.date),
                    )
                )

    def _reference_weekday(self):
        """The weekday whose hours a make-up working day follows."""
        self.ensure_one()
        if self.worked_like:
            return self.worked_like
        weekdays = sorted(
            {a.dayofweek for a in self.calendar_id.attendance_ids if a.day_period != "lunch"}
        )
        return weekdays[0] if weekdays else False

    def _attendances(self):
        """The calendar's attendances worked on this make-up working day."""
        self.ensure_one()
        weekday = self._reference_weekday()
        attendances = self.calendar_id.attendance_ids.filtered(
            lambda a: a.dayofweek == weekday and a.day_period != "lunch" and not a.resource_id
        )
        if self.calendar_id.two_weeks_calendar:
            week_type = self.env["resource.calendar.attendance"].get_week_type(self.date)
            attendances = attendances.filtered(lambda a: a.week_type == str(week_type))
        return attendances
