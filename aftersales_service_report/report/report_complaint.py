from odoo import _, api, models
from odoo.exceptions import UserError


class ReportComplaint(models.AbstractModel):
    """Complaint handling report (客户投诉处理报告, P6): category, responsibility and
    remedy (P6.1, P6.2), the timeline against the targets (P6.3), root cause and
    corrective action (P6.5)."""

    _name = "report.aftersales_service_report.report_complaint"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Complaint handling report"
    _document_model = "aftersales.ticket"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        others = values["docs"].filtered(lambda t: t.ticket_type != "complaint")
        if others:
            raise UserError(
                _(
                    "Only complaints have a handling report; %s is not a complaint.",
                    ", ".join(others.mapped("display_name")),
                )
            )
        return values
