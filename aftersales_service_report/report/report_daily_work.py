from collections import defaultdict

from odoo import api, models


class ReportDailyWork(models.AbstractModel):
    """Daily work reports (P9.1): the technician's daily report (技术员工作日报表),
    jobs and hours by service type, and the supervisor's daily report
    (服务主任日报表), the team's day summed per technician and service type.

    Jobs (repairs completed that day) and hours (work entries of that day) are
    ``aftersales.figures``' definitions, from grouped reads (no query per job); a
    technician's report covers his own work only, whatever the wizard says
    (P10.2)."""

    _name = "report.aftersales_service_report.report_daily_work"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Technician / supervisor daily report"
    _document_model = "aftersales.daily.report.wizard"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        values["daily"] = {wizard.id: self._daily_data(wizard) for wizard in values["docs"]}
        return values

    @api.model
    def _daily_data(self, wizard):
        """``{"types": [...], "users": [...], "total_hours", "total_jobs"}``: jobs done
        and hours logged per service type for the day, then per technician (with
        his work entries and the jobs he completed, for his report). Jobs and hours
        are those of ``aftersales.figures``, as the performance view and the
        technician work spreadsheet count them."""
        Figures = self.env["aftersales.figures"]
        labels = dict(
            self.env["repair.order"]
            ._fields["aftersales_service_type"]
            ._description_selection(self.env)
        )
        labels[False] = self.env._("Not decided")
        day, team, users = wizard.date, wizard.team_id, wizard._report_users()
        companies = self.env.companies
        rows = Figures._technician_work(day, day, "day", companies, users, team)

        def typed(figures):
            return [
                {"type": stype, "label": labels.get(stype, stype), **figures[stype]}
                for stype in sorted(figures, key=lambda stype: stype or "")
            ]

        by_type = defaultdict(lambda: {"jobs": 0, "hours": 0.0})
        by_user = defaultdict(lambda: defaultdict(lambda: {"jobs": 0, "hours": 0.0}))
        for row in rows:
            for figures in (
                by_type[row["service_type"]],
                by_user[row["user"]][row["service_type"]],
            ):
                figures["jobs"] += row["jobs"]
                figures["hours"] += row["hours"]
        entries = self.env["aftersales.work.entry"]
        jobs = self.env["repair.order"]
        if wizard._report_kind() == "technician":
            # One search each for the listings; related records are prefetched in batch.
            entries = entries.search(
                Figures._hours_domain(day, day, companies, users, team),
                order="user_id, repair_id, id",
            )
            jobs = jobs.search(
                Figures._job_domain(day, day, companies, users, team), order="user_id, name"
            )
        types = typed(by_type)
        return {
            "types": types,
            "users": [
                {
                    "user": user,
                    "types": typed(figures),
                    "hours": sum(f["hours"] for f in figures.values()),
                    "jobs": sum(f["jobs"] for f in figures.values()),
                    "entries": entries.filtered(lambda e, u=user: e.user_id == u),
                    "done": jobs.filtered(lambda r, u=user: r.user_id == u),
                }
                for user, figures in sorted(
                    by_user.items(), key=lambda item: (item[0].name or "", item[0].id)
                )
            ],
            "total_hours": sum(row["hours"] for row in types),
            "total_jobs": sum(row["jobs"] for row in types),
        }
