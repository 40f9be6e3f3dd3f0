from odoo import api, models


class ReportTicketServiceVoucher(models.AbstractModel):
    """Service voucher (服务凭证) printed from a service request (P2.6): the voucher of
    its latest repair when it has one, otherwise a voucher from the request's own
    data, with blank lines for the work done and the customer's signature."""

    _name = "report.aftersales_service_report.report_ticket_service_voucher"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Service voucher of a service request"
    _document_model = "aftersales.ticket"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        # One query for the batch, with the printing user's record rules.
        repairs = self.env["repair.order"].search(
            [("ticket_id", "in", values["docs"].ids), ("state", "!=", "cancel")],
            order="id desc",
        )
        latest = {}
        for repair in repairs:
            latest.setdefault(repair.ticket_id.id, repair)
        values["repair_of"] = latest
        return values
