from odoo import _, api, fields, models


class AftersalesRmaOverrideWizard(models.TransientModel):
    """P5.1, P5.2: a supervisor accepts a late return, or one whose conditions are
    not all met, with a reason kept in its history."""

    _name = "aftersales.rma.override.wizard"
    _description = "Accept a Return Anyway"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rma_id = fields.Many2one("aftersales.rma", required=True, ondelete="cascade")
    kind = fields.Selection(
        [
            ("window", "Requested after the return window"),
            ("conditions", "Return conditions not all met"),
        ],
        string="Accept",
        required=True,
        default="window",
    )
    situation = fields.Text(compute="_compute_situation", string="What Is Wrong")
    reason = fields.Text(required=True)

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("kind", "rma_id")
    def _compute_situation(self):
        for wizard in self:
            rma = wizard.rma_id
            if not rma:
                wizard.situation = False
            elif wizard.kind == "window" and not rma.delivered_on:
                wizard.situation = _("The goods were not delivered yet.")
            elif wizard.kind == "window" and not rma.window_passed:
                wizard.situation = _(
                    "Requested on %(request)s, within the return window (last day "
                    "%(end)s): nothing to accept.",
                    request=rma.request_date,
                    end=rma.window_end,
                )
            elif wizard.kind == "window":
                wizard.situation = _(
                    "Received on %(received)s; returns are accepted for %(days)s days, so "
                    "the last day was %(end)s. The request is of %(request)s.",
                    received=rma.delivered_on,
                    days=rma.window_days,
                    end=rma.window_end,
                    request=rma.request_date,
                )
            else:
                missing = rma._missing_condition_labels()
                wizard.situation = (
                    _("Not ticked: %s.", ", ".join(missing))
                    if missing
                    else _("All return conditions are ticked.")
                )

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
