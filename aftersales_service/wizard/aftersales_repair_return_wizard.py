from odoo import api, fields, models


class AftersalesRepairReturnWizard(models.TransientModel):
    """P2.7, P3.4: the customer signs for the repaired product; the receipt is void."""

    _name = "aftersales.repair.return.wizard"
    _description = "Return a Repaired Product"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    goods_receipt_ids = fields.Many2many(
        "aftersales.goods.receipt", compute="_compute_goods_receipt_ids", string="Receipts"
    )
    signed_by = fields.Char(
        compute="_compute_signed_by",
        store=True,
        readonly=False,
        required=True,
        help="The person who takes the product back.",
    )
    signature = fields.Binary(required=True)

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("repair_id")
    def _compute_goods_receipt_ids(self):
        for wizard in self:
            wizard.goods_receipt_ids = wizard.repair_id.aftersales_goods_receipt_ids.filtered(
                lambda r: r.state == "received"
            )

    @api.depends("repair_id")
    def _compute_signed_by(self):
        """Whoever handed the product in usually takes it back."""
        for wizard in self:
            receipts = wizard.repair_id.aftersales_goods_receipt_ids
            partner = wizard.repair_id.partner_id
            wizard.signed_by = receipts[:1].customer_signed_by or (
                partner.name if partner and not partner.is_company else False
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.repair_id._aftersales_return(self.signature, self.signed_by)
        return {"type": "ir.actions.act_window_close"}
