from odoo import fields, models


class AftersalesRmaCloseWizard(models.TransientModel):
    """Refuse or cancel a return/exchange, with the reason (P4, P5)."""

    _name = "aftersales.rma.close.wizard"
    _description = "Refuse or Cancel a Return"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rma_id = fields.Many2one("aftersales.rma", required=True, ondelete="cascade")
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
            self.rma_id.action_refuse(self.reason)
        else:
            self.rma_id.action_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}


class AftersalesRmaInspectWizard(models.TransientModel):
    """Record the inspection of received goods (P4.2, P5.3)."""

    _name = "aftersales.rma.inspect.wizard"
    _description = "Inspect Returned Goods"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rma_id = fields.Many2one("aftersales.rma", required=True, ondelete="cascade")
    passed = fields.Boolean()
    note = fields.Text(help="What was found; required when the inspection fails.")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.rma_id.action_inspect(self.passed, self.note)
        return {"type": "ir.actions.act_window_close"}
