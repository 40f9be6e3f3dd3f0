from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_repair_id = fields.Many2one(
        "repair.order", string="Repair", index="btree_not_null", copy=False, readonly=True
    )
