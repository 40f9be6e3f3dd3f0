from odoo import models


class ReportRepairRecord(models.AbstractModel):
    """Repair record (维修记录) handed to the customer with the repaired product
    (P3.4), with the warranty card of the repair (保修卡, P3.6)."""

    _name = "report.aftersales_service_report.report_repair_record"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Repair record and warranty card"
    _document_model = "repair.order"
