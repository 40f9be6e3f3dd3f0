import math

from odoo import models

from .report_xlsx_common import Column

#: P8.2 criteria: (field, kind) — four-level answers are exported as their level 1-4.
CRITERIA = [
    ("technician_attitude", "level"),
    ("technician_skill", "level"),
    ("technician_arrival", "level"),
    ("technician_promise", "level"),
    ("service_attitude", "rating"),
    ("response_speed", "rating"),
    ("resolution_efficiency", "rating"),
    ("technician_score", "score"),
    ("score", "score"),
]


class ReportXlsxSatisfaction(models.AbstractModel):
    """Satisfaction survey (表4, P8.2-P8.4, P9.3): one row per answered feedback with
    every criterion, and a summary sheet with the count, mean and sample standard
    deviation of each criterion — values, not formulas, so that any reader sees
    them."""

    _name = "report.aftersales_service_report.xlsx_satisfaction"
    _inherit = "report.aftersales_service_report.xlsx_common"
    _description = "Satisfaction survey export"
    _export_model = "aftersales.feedback"
    _export_order = "answered_at, id"
    _date_field = "answered_at"
    _team_field = "team_id"

    def _export_domain(self, filters):
        return [("state", "=", "answered"), *super()._export_domain(filters)]

    def _criterion_labels(self):
        fields_ = self.env["aftersales.feedback"]._fields
        return [fields_[name]._description_string(self.env) for name, _kind in CRITERIA]

    def _columns(self):
        _ = self.env._
        return [
            Column(_("Feedback"), "text", 24),
            Column(_("Customer"), "text", 28),
            Column(_("Technician"), "text", 18),
            Column(_("Team"), "text", 16),
            Column(_("Completed"), "datetime", 17),
            Column(_("Answered"), "datetime", 17),
            *(
                Column(label, "integer" if kind != "score" else "number", 12)
                for label, (_name, kind) in zip(self._criterion_labels(), CRITERIA, strict=True)
            ),
            Column(_("Satisfied"), "bool", 10),
            Column(_("Complaint"), "bool", 10),
            Column(_("Comment"), "text", 40),
        ]

    def generate_xlsx_report(self, workbook, data, objs):
        filters = self._export_filters(data)
        formats = self._formats(workbook)
        _ = self.env._
        # Created first so that it is the first tab; written once the rows are known.
        summary = workbook.add_worksheet(_("Summary"))
        stats = [[0, 0.0, 0.0] for _criterion in CRITERIA]  # n, sum, sum of squares
        rows = self._rows(objs, stats)
        self._write_table(workbook, formats, _("Satisfaction"), self._columns(), rows, filters)
        columns = [
            Column(_("Criterion"), "text", 34),
            Column(_("Answers"), "integer", 10),
            Column(_("Mean"), "number", 10),
            Column(_("Std Dev"), "number", 10),
        ]
        summary_rows = self._summary_rows(stats)
        self._write_table(workbook, formats, None, columns, summary_rows, filters, sheet=summary)
        summary.activate()

    def _rows(self, feedbacks, stats):
        fnames = [
            "name",
            "partner_id",
            "technician_id",
            "team_id",
            "completed_at",
            "answered_at",
            *(name for name, _kind in CRITERIA),
            "is_satisfied",
            "is_complaint",
            "comment",
        ]
        name = self._name_of
        for _batch, records in self._read_batches(feedbacks, fnames):
            for feedback in records:
                values = []
                for index, (field_name, kind) in enumerate(CRITERIA):
                    value = feedback[field_name]
                    if kind == "level":
                        value = int(value) if value else None
                    elif not value:
                        # 0 is "not answered": the scales start at 1 (scores at 0 only
                        # when every technician answer is "very dissatisfied").
                        value = None if kind == "rating" or not feedback["answered_at"] else 0.0
                    if value is not None:
                        stat = stats[index]
                        stat[0] += 1
                        stat[1] += value
                        stat[2] += value * value
                    values.append(value)
                yield (
                    feedback["name"],
                    name(feedback["partner_id"]),
                    name(feedback["technician_id"]),
                    name(feedback["team_id"]),
                    feedback["completed_at"],
                    feedback["answered_at"],
                    *values,
                    feedback["is_satisfied"],
                    feedback["is_complaint"],
                    feedback["comment"],
                )

    def _summary_rows(self, stats):
        """(criterion, answers, mean, sample standard deviation) per criterion."""
        for label, (count, total, squares) in zip(self._criterion_labels(), stats, strict=True):
            mean = total / count if count else None
            std = None
            if count > 1:
                std = math.sqrt(max(squares - count * mean * mean, 0.0) / (count - 1))
            yield label, count, mean, std
