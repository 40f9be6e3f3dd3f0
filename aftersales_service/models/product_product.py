from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _aftersales_warranty_months(self, company):
        """P2.4: the product's warranty, else its category's (or a parent's), else
        the company's default."""
        self.ensure_one()
        if self.aftersales_warranty_months:
            return self.aftersales_warranty_months
        category = self.categ_id
        while category:
            if category.aftersales_warranty_months:
                return category.aftersales_warranty_months
            category = category.parent_id
        return company.aftersales_default_warranty_months
