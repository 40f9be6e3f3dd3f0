from odoo import models


class ReportGoodsReceipt(models.AbstractModel):
    """Goods receipt (客户商品领取收据) of a carry-in repair (P2.7), void once the
    product went back to the customer."""

    _name = "report.aftersales_service_report.report_goods_receipt"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Customer goods receipt"
    _document_model = "aftersales.goods.receipt"
