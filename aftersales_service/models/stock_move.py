from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_substitute = fields.Boolean(
        string="Substitute Part",
        help="A non-original part: the customer's consent is recorded before the repair starts.",
    )
    aftersales_rma_id = fields.Many2one(
        "aftersales.rma", string="Return / Exchange", index="btree_not_null", copy=False
    )

    def _prepare_merge_moves_distinct_fields(self):
        """Moves of different returns stay apart: each RMA counts its own quantity."""
        return [*super()._prepare_merge_moves_distinct_fields(), "aftersales_rma_id"]
