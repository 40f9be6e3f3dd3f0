from collections import namedtuple
from datetime import date, datetime, time

import pytz

from odoo import api, fields, models
from odoo.tools import format_date, split_every

#: One column of an export: its header, how its cells are typed, its width.
#: Kinds: text, date, datetime, hours, number, amount, integer, bool.
Column = namedtuple("Column", "label kind width")
#: A cell typed differently from its column (a table of indicators of several kinds).
Cell = namedtuple("Cell", "kind value")

#: Hours are durations shown as hours and minutes, as on screens and in the PDFs
#: (``aftersales.figures``): Excel stores a duration in days, ``[h]:mm`` shows it
#: past 24 hours and sums stay right.
HOURS_FORMAT = "[h]:mm"
NUMBER_FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "hours": HOURS_FORMAT,
    "number": "0.00",
    "amount": "#,##0.00",
    "integer": "0",
}
#: Records read per batch: big enough to keep the query count low, small enough
#: that 100,000 rows never sit in the ORM cache at once.
EXPORT_BATCH = 2000


class ReportXlsxCommon(models.AbstractModel):
    """The spreadsheet exports of the service team (P9.3): typed cells, the company
    and the filter period on top, a frozen header row with an autofilter, and rows
    streamed to disk (xlsxwriter's constant-memory mode) so that 100,000 rows never
    hold the workbook in memory. Records come from a list selection (``docids``) or
    from the export wizard's filters, always searched with the user's rights: an
    export only contains what its user may read (P10.2)."""

    _name = "report.aftersales_service_report.xlsx_common"
    _inherit = "report.report_xlsx.abstract"
    _description = "After-Sales spreadsheet export"

    #: The exported model, its order, and the fields the wizard's filters apply to.
    _export_model = None
    _export_order = "id"
    _date_field = None
    _team_field = None

    # ------------------------------------------------------------------ records
    def get_workbook_options(self):
        return {"constant_memory": True, "strings_to_formulas": False}

    def _get_objs_for_report(self, docids, data):
        model = self.env[self._export_model]
        model.check_access("read")
        if docids:
            domain = [("id", "in", list(docids))]
        else:
            domain = self._export_domain(self._export_filters(data))
        return model.search(domain, order=self._export_order)

    @api.model
    def _export_filters(self, data):
        """The wizard's filters as recordsets and dates (empty when printed from a
        list selection)."""
        raw = (data or {}).get("aftersales_filters") or {}
        return {
            "date_from": fields.Date.to_date(raw.get("date_from")),
            "date_to": fields.Date.to_date(raw.get("date_to")),
            "team": self.env["aftersales.team"].browse(raw.get("team_id") or []),
            "company": self.env["res.company"].browse(raw.get("company_id") or []),
        }

    def _export_domain(self, filters):
        domain = []
        if filters["company"] and "company_id" in self.env[self._export_model]._fields:
            domain.append(("company_id", "=", filters["company"].id))
        if filters["team"] and self._team_field:
            domain.append((self._team_field, "=", filters["team"].id))
        if self._date_field:
            domain += self._period_domain(self._date_field, filters)
        return domain

    def _period_domain(self, field_name, filters, model_name=None):
        """Days ``date_from``..``date_to`` included on ``field_name`` of the exported
        model (or of ``model_name``), in the user's time zone for datetime fields."""
        field = self.env[model_name or self._export_model]._fields[field_name]
        domain = []
        for bound, operator, day in (
            ("date_from", ">=", filters["date_from"]),
            ("date_to", "<", filters["date_to"]),
        ):
            if not day:
                continue
            if bound == "date_to":
                day = fields.Date.add(day, days=1)
            if field.type == "datetime":
                domain.append((field_name, operator, self._utc(day)))
            else:
                domain.append((field_name, operator, day))
        return domain

    def _utc(self, day):
        """Start of the company's calendar day ``day``: periods are the company's days."""
        return self.env.company._aftersales_day_start(day)

    def _read_batches(self, records, fnames):
        """``read`` in batches; the cache is emptied between batches so memory stays
        flat whatever the number of rows."""
        model = records.browse()
        for ids in split_every(EXPORT_BATCH, records.ids):
            batch = model.browse(ids)
            yield batch, batch.read(fnames)
            self.env.invalidate_all()

    # ------------------------------------------------------------------ writing
    def generate_xlsx_report(self, workbook, data, objs):
        """One filterable table of the records (exports of several sheets override
        it): ``_sheet_title``, ``_columns`` and ``_rows`` of the export."""
        filters = self._export_filters(data)
        formats = self._formats(workbook)
        columns, rows = self._columns(), self._rows(objs)
        self._write_table(workbook, formats, self._sheet_title(), columns, rows, filters)

    def _formats(self, workbook):
        formats = {
            kind: workbook.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()
        }
        formats["header"] = workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
        )
        formats["title"] = workbook.add_format({"bold": True, "font_size": 14})
        formats["bold"] = workbook.add_format({"bold": True})
        formats["percent"] = workbook.add_format({"num_format": "0.0"})
        return formats

    def _period_label(self, filters):
        start, stop = filters.get("date_from"), filters.get("date_to")
        if not start and not stop:
            return self.env._("Period: all dates")
        return self.env._(
            "Period: %(start)s to %(stop)s",
            start=format_date(self.env, start) if start else "…",
            stop=format_date(self.env, stop) if stop else "…",
        )

    def _company_header(self, sheet, formats, filters, extra=None):
        """Rows 0-1: the company and the period; returns the header row index."""
        company = filters.get("company") or self.env.company
        sheet.write_string(0, 0, company.name, formats["title"])
        label = self._period_label(filters)
        if filters.get("team"):
            label += " · " + self.env._("Team: %s", filters["team"].name)
        if extra:
            label += " · " + extra
        sheet.write_string(1, 0, label)
        return 3

    def _table_sheet(self, workbook, formats, title, columns, filters, sheet=None):
        """A worksheet (new, named ``title``, or the empty ``sheet``) with the header
        block and the column titles; returns it and the row of its header."""
        sheet = sheet or workbook.add_worksheet(title)
        header_row = self._company_header(sheet, formats, filters)
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column.width, formats.get(column.kind))
            sheet.write_string(header_row, col, column.label, formats["header"])
        sheet.freeze_panes(header_row + 1, 0)
        return sheet, header_row

    def _write_table(self, workbook, formats, title, columns, rows, filters, sheet=None):
        """Writes ``rows`` (tuples in the order of ``columns``) as a filterable table
        and returns the number of data rows."""
        sheet, header_row = self._table_sheet(workbook, formats, title, columns, filters, sheet)
        row_index = header_row
        to_local = self._datetime_converter()
        for row in rows:
            row_index += 1
            for col, (column, value) in enumerate(zip(columns, row, strict=True)):
                kind = column.kind
                if isinstance(value, Cell):
                    kind, value = value
                if value is None or (value is False and kind != "bool"):
                    continue
                if kind == "text":
                    sheet.write_string(row_index, col, str(value))
                elif kind == "bool":
                    sheet.write_boolean(row_index, col, bool(value))
                elif kind == "datetime":
                    sheet.write_datetime(row_index, col, to_local(value), formats["datetime"])
                elif kind == "date":
                    sheet.write_datetime(
                        row_index, col, datetime.combine(value, time.min), formats["date"]
                    )
                else:
                    sheet.write_number(row_index, col, self._number(kind, value), formats[kind])
        sheet.autofilter(header_row, 0, max(row_index, header_row), len(columns) - 1)
        return row_index - header_row

    @staticmethod
    def _number(kind, value):
        """The number stored in a cell of ``kind``: hours as a fraction of a day."""
        return value / 24.0 if kind == "hours" else value

    def _datetime_converter(self):
        """UTC datetimes of the database as the user's wall-clock time (Excel has no
        time zones)."""
        tz = pytz.timezone(self.env.user.tz or "UTC")
        utc = pytz.utc

        def convert(value):
            if isinstance(value, datetime):
                return utc.localize(value).astimezone(tz).replace(tzinfo=None)
            return datetime.combine(value, time.min) if isinstance(value, date) else value

        return convert

    def _selection_labels(self, model, field_name):
        return dict(self.env[model]._fields[field_name]._description_selection(self.env))

    @staticmethod
    def _name_of(value):
        """The name part of a many2one read as ``(id, name)``."""
        return value[1] if value else None
