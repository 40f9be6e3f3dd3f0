from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesContractLine(models.Model):
    """A product, or one serial of it, that a maintenance contract covers (P7.1)."""

    _name = "aftersales.contract.line"
    _description = "Maintenance Contract Covered Item"
    _inherit = ["aftersales.workflow.guard"]
    _order = "contract_id, id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "aftersales.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial / Lot",
        index=True,
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="Empty: every unit of the product the customer has is covered.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    _(
                        "%(contract)s: the covered quantity of %(product)s must be positive "
                        "(it is %(value)s).",
                        contract=line.contract_id.display_name,
                        product=line.product_id.display_name,
                        value=line.quantity,
                    )
                )

    @api.constrains("product_id", "lot_id")
    def _check_lot_product(self):
        # sudo: an integrity check; sales reps who write contracts (and renew them)
        # have no read access to serials (stock.lot is Inventory's).
        for line in self.sudo().filtered("lot_id"):
            if line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    _(
                        "Serial %(serial)s is of %(lot_product)s, not of %(product)s: pick a "
                        "serial of the covered product.",
                        serial=line.lot_id.name,
                        lot_product=line.lot_id.product_id.display_name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("contract_id", "lot_id")
    def _check_overlapping_coverage(self):
        """A line created or changed on its own (not through the contract's form)
        must not cover a serial another contract covers over the same period (P7.1):
        the contract's constraint only runs when its ``line_ids`` are written."""
        self.filtered("lot_id").contract_id._check_overlapping_coverage()

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False
