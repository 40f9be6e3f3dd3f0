from collections import defaultdict

from odoo import api, models
from odoo.tools import format_duration


class AftersalesFigures(models.AbstractModel):
    """The one definition of the work figures the suite shows (issue 16), read by
    the screens (technician performance, dashboard), the PDFs (daily reports) and
    the spreadsheets (technician work) alike, so that they always agree.

    * **Job** (P9.1, P8.3): a repair order done, counted once for its responsible
      technician (``user_id``) on the company's calendar day it was completed
      (``repair.order.aftersales_done_on``: the end of the on-site job or of the
      workshop repair), in its service type (paid / contract / free). A job with
      no time logged (a warranty job signed on site) is a job all the same; a
      solved ticket is not a job (it is counted as a ticket solved: a ticket with
      a repair would otherwise count twice).
    * **Hours** (P9.1): work entries, for the technician who logged them, on the
      day they were logged (``aftersales.work.entry.date``, a company day), in the
      service type of their repair — whether the repair is done or not.
    * Hours are shown as hours and minutes everywhere (``01:30``): Odoo's
      ``float_time`` on screens and in PDFs (``format_hours``), an ``[h]:mm``
      duration in spreadsheets.

    Other figures have their own single home: the KPIs (tickets, response and
    resolution times, on-time rates, complaint rate, satisfaction) in
    ``aftersales.kpi.dashboard``, a repair's amount due in
    ``repair.order._aftersales_amounts``, a customer's satisfaction in
    ``aftersales.tier._satisfaction_by_partner``."""

    _name = "aftersales.figures"
    _description = "After-Sales Figures"

    # ------------------------------------------------------------------
    # Jobs and hours (P9.1)
    # ------------------------------------------------------------------
    @api.model
    def _job_domain(self, date_from, date_to, companies=None, users=None, team=None):
        """Repair orders that are the jobs done from ``date_from`` to ``date_to``
        (company days, both included), of ``companies``, ``users`` (technicians)
        and ``team`` when given."""
        domain = [("state", "=", "done"), ("user_id", "!=", False)]
        domain += self._day_bounds("aftersales_done_on", date_from, date_to)
        return domain + self._work_filters(companies, users, team, "aftersales_team_id")

    @api.model
    def _hours_domain(self, date_from, date_to, companies=None, users=None, team=None):
        """Work entries whose hours count from ``date_from`` to ``date_to``."""
        domain = self._day_bounds("date", date_from, date_to)
        return domain + self._work_filters(companies, users, team, "repair_id.aftersales_team_id")

    @api.model
    def _day_bounds(self, field_name, date_from, date_to):
        """Days from ``date_from`` to ``date_to`` included; a missing bound is open."""
        domain = []
        if date_from:
            domain.append((field_name, ">=", date_from))
        if date_to:
            domain.append((field_name, "<=", date_to))
        return domain

    @api.model
    def _work_filters(self, companies, users, team, team_field):
        domain = []
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        if users is not None:
            domain.append(("user_id", "in", users.ids))
        if team:
            domain.append((team_field, "=", team.id))
        return domain

    @api.model
    def _technician_work(
        self, date_from, date_to, granularity="day", companies=None, users=None, team=None
    ):
        """Jobs and hours per technician, period and service type: a list of
        ``{"user", "period", "service_type", "jobs", "hours"}`` sorted by technician
        name, period and service type, ``period`` being the first day of the day,
        week or month (``granularity``). Two grouped reads, with the reader's
        rights (a technician reads the repairs and work entries he may see)."""
        jobs = self.env["repair.order"]._read_group(
            self._job_domain(date_from, date_to, companies, users, team),
            ["user_id", f"aftersales_done_on:{granularity}", "aftersales_service_type"],
            ["__count"],
        )
        hours = self.env["aftersales.work.entry"]._read_group(
            self._hours_domain(date_from, date_to, companies, users, team),
            ["user_id", f"date:{granularity}", "service_type"],
            ["hours:sum"],
        )
        rows = defaultdict(lambda: {"jobs": 0, "hours": 0.0})
        for user, period, service_type, count in jobs:
            rows[user, period, service_type or False]["jobs"] += count
        for user, period, service_type, total in hours:
            rows[user, period, service_type or False]["hours"] += total
        return sorted(
            (
                {"user": user, "period": period, "service_type": stype, **figures}
                for (user, period, stype), figures in rows.items()
            ),
            key=lambda row: (
                row["user"].name or "",
                row["user"].id,
                row["period"],
                row["service_type"] or "",
            ),
        )

    # ------------------------------------------------------------------
    # Display
    # ------------------------------------------------------------------
    @api.model
    def _format_hours(self, hours):
        """Hours as the screens show them (``float_time``): ``1.5`` -> ``01:30``."""
        return format_duration(hours or 0.0)
