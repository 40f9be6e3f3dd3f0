from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Free-warranty period of the product from its delivery to the customer. "
        "0: the product category's, else the company's default.",
    )
