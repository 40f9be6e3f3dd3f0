from odoo import fields, models


class AftersalesRmaReplacementWizard(models.TransientModel):
    """P4.2: a supervisor approves another product of the same value as the
    replacement of an exchange."""

    _name = "aftersales.rma.replacement.wizard"
    _description = "Replace with Another Product"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    rma_id = fields.Many2one("aftersales.rma", string="Exchange", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="rma_id.company_id")
    returned_product_id = fields.Many2one(related="rma_id.product_id", string="Returned Product")
    returned_price = fields.Float(
        related="rma_id.product_id.lst_price", string="Price", digits="Product Price"
    )
    product_id = fields.Many2one(
        "product.product",
        string="Replacement",
        required=True,
        # Goods of the return's company that are sold; the value is checked on confirming.
        domain="[('sale_ok', '=', True), ('type', '=', 'consu'), "
        "('id', '!=', returned_product_id), ('company_id', 'in', (company_id, False))]",
    )
    product_price = fields.Float(
        related="product_id.lst_price", string="Replacement Price", digits="Product Price"
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.rma_id._aftersales_approve_replacement(self.product_id)
        return {"type": "ir.actions.act_window_close"}
