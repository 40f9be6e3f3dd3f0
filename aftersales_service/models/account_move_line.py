from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    aftersales_repair_id = fields.Many2one(
        "repair.order", string="Repair", index="btree_not_null", copy=False
    )
    aftersales_rma_id = fields.Many2one(
        "aftersales.rma", string="Return", index="btree_not_null", copy=False
    )
