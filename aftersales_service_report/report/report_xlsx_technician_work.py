from odoo import models

from .report_xlsx_common import Column


class ReportXlsxTechnicianWork(models.AbstractModel):
    """Technician work (P9.1): jobs done and hours logged by technician, day and
    service type, and the same by month — ``aftersales.figures``' definitions, the
    ones of the daily reports and the technician performance, aggregated in the
    database. From the export wizard: its period, company and team; from a list
    of work entries: the days and technicians of the selected entries."""

    _name = "report.aftersales_service_report.xlsx_technician_work"
    _inherit = "report.aftersales_service_report.xlsx_common"
    _description = "Technician work export"
    _export_model = "aftersales.work.entry"
    _export_order = "date, id"
    _date_field = "date"
    _team_field = "repair_id.aftersales_team_id"

    def _columns(self, period_label):
        _ = self.env._
        return [
            Column(_("Technician"), "text", 22),
            Column(period_label, "date", 12),
            Column(_("Service Type"), "text", 16),
            Column(_("Jobs"), "integer", 8),
            Column(_("Hours"), "hours", 10),
        ]

    def generate_xlsx_report(self, workbook, data, objs):
        filters = self._export_filters(data)
        scope = self._work_scope(filters, objs)
        formats = self._formats(workbook)
        _ = self.env._
        for granularity, title, label in (
            ("day", _("Daily Work"), _("Day")),
            ("month", _("Monthly Work"), _("Month")),
        ):
            rows = self._rows(scope, granularity)
            self._write_table(workbook, formats, title, self._columns(label), rows, filters)

    def _work_scope(self, filters, entries):
        """What the figures cover: the wizard's period, company and team, or the
        days and technicians of a selection of work entries."""
        if filters["date_from"] or filters["date_to"] or filters["company"]:
            return {
                "date_from": filters["date_from"],
                "date_to": filters["date_to"],
                "companies": filters["company"] or None,
                "users": None,
                "team": filters["team"] or None,
            }
        dates = entries.mapped("date")
        if dates:
            filters.update(date_from=min(dates), date_to=max(dates))
        return {
            "date_from": filters["date_from"],
            "date_to": filters["date_to"],
            "companies": entries.company_id,
            "users": entries.user_id,
            "team": None,
        }

    def _rows(self, scope, granularity):
        types = self._selection_labels("repair.order", "aftersales_service_type")
        for row in self.env["aftersales.figures"]._technician_work(
            scope["date_from"],
            scope["date_to"],
            granularity,
            companies=scope["companies"],
            users=scope["users"],
            team=scope["team"],
        ):
            yield (
                row["user"].name,
                row["period"],
                types.get(row["service_type"]),
                row["jobs"],
                row["hours"],
            )
