import ast

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.workflow import workflow_step


class AftersalesTeam(models.Model):
    """A service team: members, leader and manager for escalation, working hours
    for the SLA clock, and an e-mail alias for intake (P2.1, P2.9, P11.1)."""

    _name = "aftersales.team"
    _description = "After-Sales Team"
    _inherit = ["aftersales.workflow.guard", "mail.alias.mixin", "mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    member_ids = fields.Many2many(
        "res.users",
        "aftersales_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Service supervisor: first level of escalation.",
    )
    manager_id = fields.Many2one(
        "res.users",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Second level of escalation.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working hours the SLA deadlines of the team's tickets count in.",
    )
    stage_ids = fields.Many2many(
        "aftersales.stage",
        "aftersales_stage_team_rel",
        "team_id",
        "stage_id",
        string="Stages",
        help="The team's own stages. Empty: the stages shared by all teams.",
    )
    assignment_method = fields.Selection(
        [
            ("manual", "Manual"),
            ("round_robin", "Round Robin"),
            ("least_open", "Fewest Open Tickets"),
        ],
        default="manual",
        required=True,
        help="How new tickets without an assignee are given to a team member.",
    )
    reopen_days = fields.Integer(
        string="Reopen Within (days)",
        default=14,
        help="A customer's reply to a ticket closed at most this many days ago reopens "
        "it; a later reply opens a new ticket that follows the old one.",
    )
    ticket_ids = fields.One2many("aftersales.ticket", "team_id", string="Tickets")
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    overdue_ticket_count = fields.Integer(compute="_compute_ticket_counts")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    def _compute_ticket_counts(self):
        Ticket = self.env["aftersales.ticket"]
        open_counts = dict(
            Ticket._read_group(
                [("team_id", "in", self.ids), ("is_closed", "=", False)],
                ["team_id"],
                ["__count"],
            )
        )
        overdue_counts = dict(
            Ticket._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("is_closed", "=", False),
                    ("sla_resolution_overdue", "=", True),
                ],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_ticket_count = open_counts.get(team, 0)
            team.overdue_ticket_count = overdue_counts.get(team, 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("reopen_days")
    def _check_reopen_days(self):
        for team in self:
            if team.reopen_days < 0:
                raise ValidationError(
                    _("Team %s: the reopen period cannot be negative.", team.name)
                )

    def write(self, vals):
        result = super().write(vals)
        # The alias fields are related to the mail alias: a constraint on the team
        # would not see them change.
        if vals.keys() & {"alias_defaults", "company_id"}:
            self._check_alias_defaults()
        return result

    def _check_alias_defaults(self):
        """P11.1: a mail to a team's address opens a ticket of that team, in its
        company: the defaults may not send it to another team or company."""
        for team in self.filtered("alias_id"):
            try:
                defaults = ast.literal_eval(team.alias_defaults or "{}")
            except (ValueError, SyntaxError) as error:
                raise ValidationError(
                    _("Team %s: the e-mail defaults are not valid.", team.name)
                ) from error
            if not isinstance(defaults, dict) or (
                defaults.get("team_id", team.id) != team.id
                or defaults.get("company_id", team.company_id.id) != team.company_id.id
            ):
                raise ValidationError(
                    _(
                        "Team %(team)s: mail to its address must open tickets of this team "
                        "in %(company)s; its defaults may not name another team or company.",
                        team=team.name,
                        company=team.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Mail alias
    # ------------------------------------------------------------------
    def _alias_get_creation_values(self):
        """P2.1: a mail to the team's alias creates a ticket of the team."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("aftersales.ticket").id
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
        return values

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_stages(self):
        """The team's stages in order: its own, else the shared ones."""
        Stage = self.env["aftersales.stage"]
        if self and self.stage_ids:
            return self.stage_ids.sorted(lambda s: (s.sequence, s.id))
        return Stage.search([("team_ids", "=", False)])

    @workflow_step
    def _assign_tickets(self, tickets):
        """Give each of ``tickets`` (of this team, unassigned) a member."""
        self.ensure_one()
        for ticket, user_id in zip(
            tickets, self._next_assignees(len(tickets), exclude=tickets), strict=False
        ):
            ticket.user_id = user_id

    def _next_assignees(self, count, exclude=None):
        """The members the next ``count`` new tickets of the team go to, in order
        (ids of ``res.users``; empty when the team assigns by hand or has no active
        member): round robin, or the member with the fewest open tickets (counted
        once, then kept up to date in memory). Decided for a whole batch before the
        tickets exist, so that they are created assigned (P2.1). ``exclude``:
        tickets that already exist but are being assigned (not counted)."""
        self.ensure_one()
        members = self.member_ids.filtered("active").sorted("id")
        if self.assignment_method == "manual" or not members or count <= 0:
            return []
        Ticket = self.env["aftersales.ticket"]
        exclude_domain = [("id", "not in", exclude.ids)] if exclude else []
        if self.assignment_method == "round_robin":
            # The turn is read from the team's latest assigned ticket rather than
            # kept on the team: tickets created at the same time by several workers
            # (a portal or mail storm) would all rewrite the team's row and fail to
            # serialize. Two of them may give the same member a turn; the next one
            # moves on.
            last = Ticket.search(
                [("team_id", "=", self.id), ("user_id", "in", members.ids), *exclude_domain],
                order="id desc",
                limit=1,
            )
            index = members.ids.index(last.user_id.id) if last else -1
            return [members.ids[(index + 1 + i) % len(members)] for i in range(count)]
        open_counts = dict(
            Ticket._read_group(
                [("user_id", "in", members.ids), ("is_closed", "=", False), *exclude_domain],
                ["user_id"],
                ["__count"],
            )
        )
        load = {user.id: open_counts.get(user, 0) for user in members}
        result = []
        for _i in range(count):
            user_id = min(load, key=lambda uid: (load[uid], uid))
            result.append(user_id)
            load[user_id] += 1
        return result
