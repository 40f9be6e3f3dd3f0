from odoo import fields, models


class AftersalesRmaReason(models.Model):
    """Why a customer returns or exchanges goods (configurable list)."""

    _name = "aftersales.rma.reason"
    _description = "Return / Exchange Reason"
    _inherit = ["aftersales.workflow.guard"]
    _order = "sequence, id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("refund", "Return for Refund"), ("exchange", "Exchange"), ("both", "Both")],
        default="both",
        required=True,
    )
