from odoo import _, fields, models


class AftersalesRepairReceiptWizard(models.TransientModel):
    """P2.7: "Take the Product" — the technician notes what came with the product
    and its condition; the goods receipt given to the customer says so."""

    _name = "aftersales.repair.receipt.wizard"
    _description = "Take a Product for Repair"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="repair_id.partner_id", string="Customer")
    product_id = fields.Many2one(related="repair_id.product_id")
    lot_id = fields.Many2one(related="repair_id.lot_id", string="Serial / Lot")
    accessories = fields.Text(help="Everything that came with the product: cables, remote, box...")
    condition = fields.Text(
        required=True,
        help="Visible condition when received: scratches, dents, missing parts.",
    )
    received_by = fields.Many2one(
        "res.users", string="Taken By", default=lambda self: self.env.user, readonly=True
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        receipt = self.repair_id._aftersales_receive_goods(self.accessories, self.condition)
        self.repair_id.message_post(
            body=_("Product taken for repair: goods receipt %s.", receipt._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
