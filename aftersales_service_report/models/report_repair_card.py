from odoo import models


class ReportRepairCard(models.AbstractModel):
    """Repair card (修护卡), internal: actual repair time and parts replaced (P2.7),
    substitute parts and their consent (P3.2), the supervisor's inspection (P3.4)."""

    _name = "report.aftersales_service_report.report_repair_card"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Repair card"
    _document_model = "repair.order"
