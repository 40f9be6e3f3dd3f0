from odoo import api, fields, models

from ..models.repair_order import PAYMENT_METHODS


class AftersalesRepairCompletionWizard(models.TransientModel):
    """P2.6: the end of an on-site job — the customer signs the service voucher on
    the technician's device (who signed, when, recorded by whom), and a small paid
    job may be paid on the spot."""

    _name = "aftersales.repair.completion.wizard"
    _description = "Complete an On-site Job"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    service_type = fields.Selection(related="repair_id.aftersales_service_type")
    currency_id = fields.Many2one(related="repair_id.aftersales_currency_id")
    amount = fields.Monetary(
        related="repair_id.aftersales_amount", string="Amount Due", currency_field="currency_id"
    )
    has_uncomplete_moves = fields.Boolean(related="repair_id.has_uncomplete_moves")
    signed_by = fields.Char(
        compute="_compute_signed_by",
        store=True,
        readonly=False,
        required=True,
        help="The customer's name as they sign.",
    )
    signature = fields.Binary(string="Customer Signature", required=True)
    signed_on = fields.Datetime(default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True
    )
    paid_on_site = fields.Boolean(string="Paid on Site")
    payment_method = fields.Selection(PAYMENT_METHODS)

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("repair_id")
    def _compute_signed_by(self):
        for wizard in self:
            partner = wizard.repair_id.partner_id
            wizard.signed_by = partner.name if partner and not partner.is_company else False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        repair = self.repair_id
        if self.paid_on_site and repair.aftersales_service_type != "free":
            repair.write(
                {"aftersales_paid_on_site": True, "aftersales_payment_method": self.payment_method}
            )
        repair._aftersales_sign(self.signature, self.signed_by)
        repair.action_repair_end()
        return {"type": "ir.actions.act_window_close"}
