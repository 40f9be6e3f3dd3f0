from random import randint

from odoo import fields, models


class AftersalesNeedTag(models.Model):
    """Free need tags on customers: price-sensitive, service-first... (P1.3)."""

    _name = "aftersales.need.tag"
    _description = "Customer Need Tag"
    _inherit = ["aftersales.workflow.guard"]
    _order = "name"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True)
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)

    # ------------------------------------------------------------------
    # SQL constraints
    # ------------------------------------------------------------------
    _sql_constraints = [
        ("name_uniq", "unique (name)", "A need tag with this name already exists."),
    ]
