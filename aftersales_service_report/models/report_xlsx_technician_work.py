from odoo import models

from .report_xlsx_common import Column


class ReportXlsxTechnicianWork(models.AbstractModel):
    """Technician work (P9.1): hours and jobs by technician, day and service type,
    and the same by month — aggregated in the database, not row by row."""

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
        formats = self._formats(workbook)
        _ = self.env._
        for granularity, title, label in (
            ("day", _("Daily Work"), _("Day")),
            ("month", _("Monthly Work"), _("Month")),
        ):
            rows = self._rows(objs, granularity)
            self._write_table(workbook, formats, title, self._columns(label), rows, filters)

    def _rows(self, entries, granularity):
        types = self._selection_labels("aftersales.work.entry", "service_type")
        groups = self.env["aftersales.work.entry"]._read_group(
            [("id", "in", entries.ids)],
            ["user_id", f"date:{granularity}", "service_type"],
            ["repair_id:count_distinct", "hours:sum"],
            order=f"user_id, date:{granularity}, service_type",
        )
        for user, day, service_type, jobs, hours in groups:
            yield user.name, day, types.get(service_type), jobs, hours
