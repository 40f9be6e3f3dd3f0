from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_substitute = fields.Boolean(
        string="Substitute Part",
        help="A non-original part: the customer's consent is recorded before the repair "
        "starts (P3.2).",
    )
