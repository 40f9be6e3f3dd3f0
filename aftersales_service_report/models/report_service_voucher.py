from odoo import models


class ReportServiceVoucher(models.AbstractModel):
    """Service voucher (服务凭证) of an on-site repair (P2.6): what the technician
    brings and the customer signs when the job is done."""

    _name = "report.aftersales_service_report.report_service_voucher"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Service voucher of a repair"
    _document_model = "repair.order"
