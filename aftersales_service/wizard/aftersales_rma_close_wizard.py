from odoo import fields, models


class AftersalesRmaCloseWizard(models.TransientModel):
    """Refuse or cancel a return/exchange, with the reason (P4, P5.1)."""

    _name = "aftersales.rma.close.wizard"
    _description = "Refuse or Cancel a Return"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rma_id = fields.Many2one(
        "aftersales.rma", string="Return / Exchange", required=True, ondelete="cascade"
    )
    action = fields.Selection(
        [("refuse", "Refuse"), ("cancel", "Cancel")], default="refuse", required=True
    )
    reason = fields.Text(required=True)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        if self.action == "refuse":
            self.rma_id._aftersales_refuse(self.reason)
        else:
            self.rma_id._aftersales_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
