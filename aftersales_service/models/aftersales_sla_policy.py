from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_ticket import TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_TYPES

#: Policy fields that restrict which records a policy applies to (empty = any).
CRITERIA = ("ticket_type", "channel", "priority", "tier_id", "team_id")


class AftersalesSlaPolicy(models.Model):
    """Response and resolution targets in working hours (P2.3, P6.3)."""

    _name = "aftersales.sla.policy"
    _description = "After-Sales SLA Policy"
    _check_company_auto = True
    _inherit = ["aftersales.workflow.guard"]
    _order = "sequence, id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="Among equally specific matching policies, the lowest wins."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to use the policy in every company.",
    )
    model_name = fields.Selection(
        selection="_selection_model_name",
        string="Applies To",
        required=True,
        default="aftersales.ticket",
        help="Which kind of record the policy times: tickets, repairs or returns.",
    )
    # Matching criteria (P6.3: by channel, by urgency; P1.4: by tier).
    ticket_type = fields.Selection(TICKET_TYPES, string="Request Type")
    channel = fields.Selection(TICKET_CHANNELS)
    priority = fields.Selection(TICKET_PRIORITIES)
    tier_id = fields.Many2one("aftersales.tier", string="Customer Tier", check_company=True)
    team_id = fields.Many2one("aftersales.team", check_company=True)
    criteria_count = fields.Integer(
        compute="_compute_criteria_count",
        store=True,
        help="Number of criteria set: the more, the more specific the policy.",
    )
    # Targets.
    response_hours = fields.Float(
        string="First Response (working hours)", required=True, default=2.0
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)", required=True, default=48.0
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        check_company=True,
        string="Working Hours",
        help="Working hours the targets count in. Empty: the team's, then the company's.",
    )
    description = fields.Text(translate=True)

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.model
    def _selection_model_name(self):
        """Every model that runs on the SLA engine (inherits its mixin)."""
        return [
            (name, self.env[name]._description)
            for name in sorted(self.env["aftersales.sla.mixin"]._sla_model_names())
        ]

    @api.depends(*CRITERIA)
    def _compute_criteria_count(self):
        for policy in self:
            policy.criteria_count = sum(1 for fname in CRITERIA if policy[fname])

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("response_hours", "resolution_hours")
    def _check_targets(self):
        for policy in self:
            if policy.response_hours <= 0 or policy.resolution_hours <= 0:
                raise ValidationError(
                    _(
                        "SLA policy %(policy)s: targets must be positive working hours "
                        "(response %(response)s h, resolution %(resolution)s h).",
                        policy=policy.name,
                        response=policy.response_hours,
                        resolution=policy.resolution_hours,
                    )
                )
            if policy.response_hours > policy.resolution_hours:
                raise ValidationError(
                    _(
                        "SLA policy %(policy)s: the first response (%(response)s h) cannot "
                        "come after the resolution (%(resolution)s h).",
                        policy=policy.name,
                        response=policy.response_hours,
                        resolution=policy.resolution_hours,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _matches(self, criteria):
        """Whether every criterion set on the policy equals the record's."""
        self.ensure_one()
        for fname in CRITERIA:
            wanted = self[fname]
            if not wanted:
                continue
            value = criteria.get(fname)
            if fname.endswith("_id"):
                wanted, value = wanted.id, value.id if value else False
            if wanted != value:
                return False
        return True

    def _best_match(self, criteria):
        """P6.3: the most specific policy of ``self`` matching ``criteria`` (more
        criteria matched beats fewer, then sequence), or an empty recordset."""
        matching = [p for p in self if p._matches(criteria)]
        if not matching:
            return self.browse()
        return min(matching, key=lambda p: (-p.criteria_count, p.sequence, p.id))

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate(self, batch_size=500):
        """P2.9/P6.4: one escalation batch per company and SLA model; the cron runner
        calls again at once while work remains (Odoo's cron progress API)."""
        done = remaining = 0
        models_names = self.env["aftersales.sla.mixin"]._sla_model_names()
        for company in self.env["res.company"].search([]):
            for name in models_names:
                model_done, model_remaining = (
                    self.env[name].with_company(company)._sla_escalate_batch(batch_size)
                )
                done += model_done
                remaining += model_remaining
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining
