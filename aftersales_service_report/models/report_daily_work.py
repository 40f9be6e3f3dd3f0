from collections import defaultdict

from odoo import api, models


class ReportDailyWork(models.AbstractModel):
    """Daily work reports (P9.1): the technician's daily report (技术员工作日报表),
    jobs and hours by service type, and the supervisor's daily report
    (服务主任日报表), the team's day summed per technician and service type.

    The figures come from grouped reads of the work entries (no query per job);
    a technician's report covers his own work only, whatever the wizard says
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
    def _daily_domain(self, wizard):
        domain = [("date", "=", wizard.date), ("company_id", "in", self.env.companies.ids)]
        if wizard.team_id:
            domain.append(("repair_id.aftersales_team_id", "=", wizard.team_id.id))
        users = wizard._report_users()
        if users is not None:
            domain.append(("user_id", "in", users.ids))
        return domain

    @api.model
    def _daily_data(self, wizard):
        """``{"types": [...], "users": [...], "total_hours", "total_jobs"}``: hours and
        distinct jobs per service type for the day, then per technician (with
        the technician's entries for his report)."""
        Entry = self.env["aftersales.work.entry"]
        labels = dict(Entry._fields["service_type"]._description_selection(self.env))
        domain = self._daily_domain(wizard)
        types = [
            {"type": stype, "label": labels.get(stype, stype), "jobs": jobs, "hours": hours}
            for stype, hours, jobs in Entry._read_group(
                domain, ["service_type"], ["hours:sum", "repair_id:count_distinct"]
            )
        ]
        per_user = defaultdict(list)
        for user, stype, hours, jobs in Entry._read_group(
            domain,
            ["user_id", "service_type"],
            ["hours:sum", "repair_id:count_distinct"],
            order="user_id",
        ):
            per_user[user].append(
                {"type": stype, "label": labels.get(stype, stype), "jobs": jobs, "hours": hours}
            )
        entries = Entry.browse()
        if wizard._report_kind() == "technician":
            # One search for the listing; its related records are prefetched in batch.
            entries = Entry.search(domain, order="user_id, repair_id, id")
        jobs_of = dict(Entry._read_group(domain, ["user_id"], ["repair_id:count_distinct"]))
        users = [
            {
                "user": user,
                "types": rows,
                "hours": sum(row["hours"] for row in rows),
                "jobs": jobs_of.get(user, 0),
                "entries": entries.filtered(lambda e, u=user: e.user_id == u),
            }
            for user, rows in sorted(per_user.items(), key=lambda item: item[0].name or "")
        ]
        return {
            "types": types,
            "users": users,
            "total_hours": sum(row["hours"] for row in types),
            "total_jobs": sum(row["jobs"] for row in types),
        }
