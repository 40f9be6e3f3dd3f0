from random import randint

from odoo import fields, models


class AftersalesTicketTag(models.Model):
    _name = "aftersales.ticket.tag"
    _description = "After-Sales Ticket Tag"
    _inherit = ["aftersales.workflow.guard"]
    _order = "name"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)
