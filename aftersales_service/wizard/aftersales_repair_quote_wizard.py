from odoo import api, fields, models

from ..models.repair_order import QUOTE_ACCEPTANCES


class AftersalesRepairQuoteWizard(models.TransientModel):
    """P3.3: staff record that the customer accepted the workshop quote: who, how."""

    _name = "aftersales.repair.quote.wizard"
    _description = "Record a Quote Acceptance"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    service_type = fields.Selection(related="repair_id.aftersales_service_type")
    currency_id = fields.Many2one(related="repair_id.aftersales_currency_id")
    amount = fields.Monetary(
        related="repair_id.aftersales_amount", string="Quoted Amount", currency_field="currency_id"
    )
    sale_order_id = fields.Many2one(related="repair_id.sale_order_id", string="Quotation")
    accepted_by = fields.Char(
        compute="_compute_accepted_by",
        store=True,
        readonly=False,
        required=True,
    )
    how = fields.Selection(
        [item for item in QUOTE_ACCEPTANCES if item[0] != "portal"],
        string="Accepted How",
        required=True,
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("repair_id")
    def _compute_accepted_by(self):
        for wizard in self:
            partner = wizard.repair_id.partner_id
            wizard.accepted_by = partner.name if partner and not partner.is_company else False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.repair_id._aftersales_accept_quote(self.accepted_by, self.how)
        return {"type": "ir.actions.act_window_close"}
