from odoo import fields, models

from .aftersales_ticket import COMPLAINT_CATEGORIES


class AftersalesCategory(models.Model):
    """Problem category: a fault type of service requests, or a configurable
    sub-category of one of the complaint categories of P6.1."""

    _name = "aftersales.category"
    _description = "After-Sales Problem Category"
    _inherit = ["aftersales.workflow.guard"]
    _order = "complaint_category, sequence, name"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    complaint_category = fields.Selection(
        COMPLAINT_CATEGORIES,
        help="Set for complaint sub-categories; empty for fault categories of service requests.",
    )
    description = fields.Text(translate=True)
