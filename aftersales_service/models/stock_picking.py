from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """A validated return transfer starts the RMA's inspection clock (P4.2, P5.3)."""
        result = super()._action_done()
        incoming = self.filtered(lambda p: p.picking_type_code == "incoming")
        rmas = incoming.move_ids.filtered(lambda m: m.state == "done").aftersales_rma_id
        if rmas:
            rmas.sudo()._on_goods_received()
        return result
