from odoo import fields, models


class AftersalesRmaInspectWizard(models.TransientModel):
    """Record the inspection of received goods (P4.2, P5.3)."""

    _name = "aftersales.rma.inspect.wizard"
    _description = "Inspect Returned Goods"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rma_id = fields.Many2one(
        "aftersales.rma", string="Return / Exchange", required=True, ondelete="cascade"
    )
    passed = fields.Boolean()
    note = fields.Text(help="What was found; required when the inspection fails.")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.rma_id._aftersales_inspect(self.passed, self.note)
        return {"type": "ir.actions.act_window_close"}
