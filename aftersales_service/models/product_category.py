from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Default free-warranty period of the category's products. 0: the "
        "parent category's, else the company's default.",
    )
