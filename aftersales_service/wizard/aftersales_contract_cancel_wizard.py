from odoo import fields, models


class AftersalesContractCancelWizard(models.TransientModel):
    """Cancel maintenance contracts, with the reason (P7)."""

    _name = "aftersales.contract.cancel.wizard"
    _description = "Cancel Maintenance Contracts"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    contract_ids = fields.Many2many("aftersales.contract", required=True)
    reason = fields.Text(required=True)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.contract_ids._cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
