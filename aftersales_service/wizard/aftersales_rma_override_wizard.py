from odoo import _, api, fields, models


class AftersalesRmaOverrideWizard(models.TransientModel):
    """P5.1, P5.2: a supervisor accepts a late return, or one whose conditions are
    not all met, with a reason kept in its history."""

    _name = "aftersales.rma.override.wizard"
    _description = "Accept a Return Anyway"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rma_id = fields.Many2one("aftersales.rma", string="Return", required=True, ondelete="cascade")
    kind = fields.Selection(
        [
            ("window", "Requested after the return window"),
            ("conditions", "Return conditions not all met"),
        ],
        string="Accept",
        required=True,
        default="window",
    )
    window_applies = fields.Boolean(compute="_compute_applies")
    conditions_apply = fields.Boolean(compute="_compute_applies")
    delivered_on = fields.Date(related="rma_id.delivered_on", string="Received On")
    window_end = fields.Date(related="rma_id.window_end", string="Last Day to Return")
    request_date = fields.Date(related="rma_id.request_date", string="Requested On")
    missing_conditions = fields.Char(compute="_compute_missing_conditions", string="Not Ticked")
    reason = fields.Text(required=True)

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("rma_id")
    def _compute_applies(self):
        for wizard in self:
            rma = wizard.rma_id
            wizard.window_applies = bool(rma) and rma._window_needs_override()
            wizard.conditions_apply = bool(rma) and rma._conditions_need_override()

    @api.depends("rma_id")
    def _compute_missing_conditions(self):
        for wizard in self:
            missing = wizard.rma_id._missing_condition_labels() if wizard.rma_id else []
            wizard.missing_conditions = ", ".join(missing) if missing else _("None")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        if self.kind == "window":
            self.rma_id._aftersales_override_window(self.reason)
        else:
            self.rma_id._aftersales_override_conditions(self.reason)
        return {"type": "ir.actions.act_window_close"}
