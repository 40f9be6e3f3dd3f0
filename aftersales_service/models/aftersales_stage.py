from odoo import fields, models


class AftersalesStage(models.Model):
    """A step of a ticket's handling; closed stages solve, paused stages stop the
    SLA clock, and a stage's template tells the customer (P2.8)."""

    _name = "aftersales.stage"
    _description = "After-Sales Ticket Stage"
    _inherit = ["aftersales.workflow.guard"]
    _order = "sequence, id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage", help="Tickets in this stage are solved: the SLA clock stops."
    )
    is_cancelled = fields.Boolean(
        string="Cancellation Stage",
        help="A closing stage for requests dropped without a service: no feedback "
        "request nor satisfaction callback follows.",
    )
    sla_paused = fields.Boolean(
        string="Pauses the SLA",
        help="Time spent in this stage does not count against the targets, e.g. "
        "waiting for the customer.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Customer E-mail",
        domain="[('model', '=', 'aftersales.ticket')]",
        help="Sent to the customer when a ticket enters this stage (progress update).",
    )
    team_ids = fields.Many2many(
        "aftersales.team",
        "aftersales_stage_team_rel",
        "stage_id",
        "team_id",
        string="Teams",
        help="Teams using this stage. Leave empty to share it with every team that "
        "has no stages of its own.",
    )
    description = fields.Text(translate=True)
