from odoo import models

from .report_xlsx_common import Column


class ReportXlsxCallback(models.AbstractModel):
    """Callback plan and record (表2, P1.5, P6.6, P9.3): what was planned, with whom
    and why, what was asked and answered, and the follow-up."""

    _name = "report.aftersales_service_report.xlsx_callback"
    _inherit = "report.aftersales_service_report.xlsx_common"
    _description = "Callback plan and record export"
    _export_model = "aftersales.callback"
    _export_order = "planned_date, id"
    _date_field = "planned_date"
    _team_field = "ticket_id.team_id"

    _fields_read = [
        "partner_id",
        "planned_date",
        "method",
        "user_id",
        "purpose",
        "ticket_id",
        "tier_id",
        "question",
        "answer",
        "follow_up_action",
        "follow_up_user_id",
        "follow_up_deadline",
        "state",
        "done_at",
    ]

    def _columns(self):
        _ = self.env._
        return [
            Column(_("Customer"), "text", 28),
            Column(_("Tier"), "text", 12),
            Column(_("Planned"), "datetime", 17),
            Column(_("Method"), "text", 10),
            Column(_("Owner"), "text", 18),
            Column(_("Purpose"), "text", 24),
            Column(_("Service Request"), "text", 14),
            Column(_("What Was Asked"), "text", 36),
            Column(_("What the Customer Said"), "text", 36),
            Column(_("Follow-up Action"), "text", 30),
            Column(_("Follow-up Owner"), "text", 18),
            Column(_("Follow-up Deadline"), "date", 12),
            Column(_("Status"), "text", 10),
            Column(_("Done"), "datetime", 17),
        ]

    def _sheet_title(self):
        return self.env._("Callbacks")

    def _rows(self, callbacks):
        labels = {
            field: self._selection_labels("aftersales.callback", field)
            for field in ("method", "purpose", "state")
        }
        name = self._name_of
        for _batch, records in self._read_batches(callbacks, self._fields_read):
            for callback in records:
                yield (
                    name(callback["partner_id"]),
                    name(callback["tier_id"]),
                    callback["planned_date"],
                    labels["method"].get(callback["method"]),
                    name(callback["user_id"]),
                    labels["purpose"].get(callback["purpose"]),
                    name(callback["ticket_id"]),
                    callback["question"],
                    callback["answer"],
                    callback["follow_up_action"],
                    name(callback["follow_up_user_id"]),
                    callback["follow_up_deadline"],
                    labels["state"].get(callback["state"]),
                    callback["done_at"],
                )
