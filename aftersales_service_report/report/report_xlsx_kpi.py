from babel.dates import format_skeleton
from dateutil.relativedelta import relativedelta

from odoo import models
from odoo.tools.misc import babel_locale_parse

from .report_xlsx_common import HOURS_FORMAT, Cell, Column

#: The dashboard's indicators, in the order of the sheets: (key, kind).
INDICATORS = [
    ("ticket_count", "integer"),
    ("resolved_count", "integer"),
    ("resolution_rate", "percent"),
    ("first_response_avg", "hours"),
    ("first_response_median", "hours"),
    ("resolution_avg", "hours"),
    ("resolution_median", "hours"),
    ("response_ontime_rate", "percent"),
    ("resolution_ontime_rate", "percent"),
    ("targets_met_rate", "percent"),
    ("complaint_count", "integer"),
    ("complaint_ontime_rate", "percent"),
    ("delivered_order_count", "integer"),
    ("complaint_rate", "number"),
    ("customer_count", "integer"),
    ("repeat_customer_count", "integer"),
    ("repeat_purchase_rate", "percent"),
    ("feedback_count", "integer"),
    ("satisfaction_rate", "percent"),
    ("score_avg", "number"),
    ("score_std", "number"),
]
#: Indicators that have a company target, and the status the dashboard gives.
TARGETS = {
    "satisfaction_rate": ("aftersales_target_satisfaction", "satisfaction_status"),
    "complaint_ontime_rate": ("aftersales_target_complaint_ontime", "complaint_ontime_status"),
    "response_ontime_rate": ("aftersales_target_first_response", "first_response_status"),
    "resolution_ontime_rate": (
        "aftersales_target_resolution_ontime",
        "resolution_ontime_status",
    ),
    "complaint_rate": ("aftersales_target_complaint_rate", "complaint_rate_status"),
}


class ReportXlsxKpi(models.AbstractModel):
    """KPI workbook (P9.2): one sheet per month of the period (a quarter from the
    wizard's default) with the dashboard's indicators against their targets, and a
    summary sheet with the whole period, a month-by-month table and native Excel
    charts — response and resolution times as lines, ticket volumes by problem
    category as columns. The figures are those of the dashboard
    (``aftersales.kpi.dashboard.get_kpis``), so both always agree."""

    _name = "report.aftersales_service_report.xlsx_kpi"
    _inherit = "report.aftersales_service_report.xlsx_common"
    _description = "KPI workbook"
    _export_model = "aftersales.kpi.report"

    def _get_objs_for_report(self, docids, data):
        # The workbook is about a period, not about records.
        self.env["aftersales.kpi.report"].check_access("read")
        return self.env["aftersales.kpi.report"]

    def _periods(self, filters):
        """The months of the period: (first day, last day) each, cut to the period."""
        dashboard = self.env["aftersales.kpi.dashboard"]
        start = filters["date_from"] or dashboard._default_date_from()
        stop = filters["date_to"] or dashboard._default_date_to()
        months = []
        month = start.replace(day=1)
        while month <= stop:
            last = month + relativedelta(months=1, days=-1)
            months.append((max(month, start), min(last, stop)))
            month += relativedelta(months=1)
        return start, stop, months

    def _labels(self):
        dashboard_fields = self.env["aftersales.kpi.dashboard"]._fields
        return {key: dashboard_fields[key]._description_string(self.env) for key, _k in INDICATORS}

    def generate_xlsx_report(self, workbook, data, objs):
        filters = self._export_filters(data)
        company = filters["company"] or self.env.company
        filters["company"] = company
        start, stop, months = self._periods(filters)
        filters.update(date_from=start, date_to=stop)
        formats = self._formats(workbook)
        dashboard = self.env["aftersales.kpi.dashboard"]
        team = filters["team"] or None
        _ = self.env._
        summary = workbook.add_worksheet(_("Summary"))
        monthly = []
        for first, last in months:
            kpis = dashboard.get_kpis(first, last, company, team=team)
            month_name = self._month_label(first)
            month_filters = dict(filters, date_from=first, date_to=last)
            self._write_indicators(workbook, formats, month_name, kpis, company, month_filters)
            monthly.append((first, kpis))
        total = dashboard.get_kpis(start, stop, company, team=team)
        self._write_summary(workbook, summary, formats, filters, total, monthly, company)
        summary.activate()

    def _month_label(self, first):
        """A month in the user's language ("Mar 2025", "2025年3月"), like the period
        above the tables, not an ISO "2025-03"."""
        return format_skeleton("yMMM", first, locale=babel_locale_parse(self.env.lang or "en_US"))

    def _write_indicators(self, workbook, formats, title, kpis, company, filters):
        _ = self.env._
        columns = [
            Column(_("Indicator"), "text", 36),
            Column(_("Value"), "number", 12),
            Column(_("Target"), "number", 12),
            Column(_("Status"), "text", 10),
        ]
        statuses = self._selection_labels("aftersales.kpi.dashboard", "satisfaction_status")
        labels = self._labels()
        rows = []
        for key, kind in INDICATORS:
            target_field, status_key = TARGETS.get(key, (None, None))
            rows.append(
                (
                    labels[key],
                    Cell(kind, kpis[key]),
                    company[target_field] if target_field else None,
                    statuses.get(kpis[status_key]) if status_key else None,
                )
            )
        return self._write_table(workbook, formats, title, columns, rows, filters)

    def _write_summary(self, workbook, sheet, formats, filters, total, monthly, company):
        """The period's indicators (columns A-D), the month-by-month table below them
        and the charts to the right."""
        _ = self.env._
        labels = self._labels()
        header_row = self._company_header(sheet, formats, filters)
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 8, 13)
        for col, title in enumerate((_("Indicator"), _("Value"), _("Target"))):
            sheet.write_string(header_row, col, title, formats["header"])
        sheet.freeze_panes(header_row + 1, 0)
        row = header_row
        for key, kind in INDICATORS:
            row += 1
            sheet.write_string(row, 0, labels[key])
            if total[key] is not None:
                sheet.write_number(row, 1, self._number(kind, total[key]), formats[kind])
            if key in TARGETS:
                sheet.write_number(row, 2, company[TARGETS[key][0]], formats["percent"])
        # Month by month: the charts' data.
        row += 2
        table_row = row
        trend = ["ticket_count", "first_response_avg", "resolution_avg", "satisfaction_rate"]
        sheet.write_string(table_row, 0, _("Month"), formats["header"])
        for col, key in enumerate(trend, start=1):
            sheet.write_string(table_row, col, labels[key], formats["header"])
        for first, kpis in monthly:
            row += 1
            sheet.write_string(row, 0, self._month_label(first))
            for col, key in enumerate(trend, start=1):
                if kpis[key] is not None:
                    kind = dict(INDICATORS)[key]
                    sheet.write_number(row, col, self._number(kind, kpis[key]), formats[kind])
        last_month_row = row
        # Volumes by problem category and month.
        row += 2
        category_row = row
        categories, volumes = self._category_volumes(filters, [first for first, _k in monthly])
        sheet.write_string(category_row, 0, _("Problem Category"), formats["header"])
        for col, (first, _kpis) in enumerate(monthly, start=1):
            sheet.write_string(category_row, col, self._month_label(first), formats["header"])
        for category in categories:
            row += 1
            sheet.write_string(row, 0, category)
            for col, (first, _kpis) in enumerate(monthly, start=1):
                sheet.write_number(
                    row, col, volumes.get((category, first.replace(day=1)), 0), formats["integer"]
                )
        self._insert_charts(
            workbook, sheet, table_row, last_month_row, category_row, row, monthly, labels
        )

    def _category_volumes(self, filters, month_starts):
        domain = [
            ("line_type", "=", "ticket"),
            ("company_id", "=", filters["company"].id),
            *self._period_domain("date", filters),
        ]
        if filters["team"]:
            domain.append(("team_id", "=", filters["team"].id))
        groups = self.env["aftersales.kpi.report"]._read_group(
            domain, ["category_id", "date:month"], ["ticket_count:sum"]
        )
        none = self.env._("Uncategorised")
        volumes = {}
        for category, month, count in groups:
            key = (category.display_name or none, month.date() if hasattr(month, "date") else month)
            volumes[key] = volumes.get(key, 0) + count
        categories = sorted({name for name, _month in volumes})
        return categories, volumes

    def _insert_charts(
        self, workbook, sheet, table_row, last_row, category_row, category_last, monthly, labels
    ):
        _ = self.env._
        name = sheet.name
        months = [name, table_row + 1, 0, last_row, 0]
        times = workbook.add_chart({"type": "line"})
        for col, key in ((2, "first_response_avg"), (3, "resolution_avg")):
            times.add_series(
                {
                    "name": labels[key],
                    "categories": months,
                    "values": [name, table_row + 1, col, last_row, col],
                    "marker": {"type": "circle"},
                }
            )
        times.set_title({"name": _("Response and Resolution Time (h)")})
        times.set_y_axis({"name": _("Working hours"), "num_format": HOURS_FORMAT})
        sheet.insert_chart(3, 5, times, {"x_scale": 1.3, "y_scale": 1.1})
        volumes = workbook.add_chart({"type": "column"})
        for col, (first, _kpis) in enumerate(monthly, start=1):
            volumes.add_series(
                {
                    "name": self._month_label(first),
                    "categories": [
                        name,
                        category_row + 1,
                        0,
                        max(category_last, category_row + 1),
                        0,
                    ],
                    "values": [
                        name,
                        category_row + 1,
                        col,
                        max(category_last, category_row + 1),
                        col,
                    ],
                }
            )
        volumes.set_title({"name": _("Tickets by Problem Category")})
        sheet.insert_chart(22, 5, volumes, {"x_scale": 1.3, "y_scale": 1.1})
