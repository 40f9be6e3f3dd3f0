from odoo import api, fields, models


class AftersalesRepairConsentWizard(models.TransientModel):
    """P3.2: the customer agreed to the non-original parts listed; staff record how."""

    _name = "aftersales.repair.consent.wizard"
    _description = "Record Consent to Substitute Parts"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    move_ids = fields.Many2many(
        "stock.move", compute="_compute_move_ids", string="Substitute Parts"
    )
    how = fields.Char(
        string="Consent Given How",
        required=True,
        help="E.g. phone call with the customer, signed form, e-mail.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("repair_id")
    def _compute_move_ids(self):
        for wizard in self:
            wizard.move_ids = wizard.repair_id.move_ids.filtered(
                lambda m: m.aftersales_substitute and m.repair_line_type == "add"
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.repair_id._aftersales_record_substitute_consent(self.how)
        return {"type": "ir.actions.act_window_close"}
