from odoo import api, fields, models

SUPERVISOR_GROUP = "aftersales_service.group_aftersales_supervisor"


class AftersalesDailyReportWizard(models.TransientModel):
    """Prints the daily work reports of P9.1: the technician's own day
    (技术员工作日报表) or, for a supervisor, the team's day (服务主任日报表).
    Technicians only ever print their own work (P10.2)."""

    _name = "aftersales.daily.report.wizard"
    _description = "Daily Work Report"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    date = fields.Date(required=True, default=lambda self: self.env.company._aftersales_today())
    team_id = fields.Many2one(
        "aftersales.team",
        string="Service Team",
        default=lambda self: self._default_team_id(),
        help="Only work on repairs of this team; empty for every team.",
    )
    kind = fields.Selection(
        [("technician", "Technician Daily Report"), ("supervisor", "Supervisor Daily Report")],
        string="Report",
        required=True,
        default=lambda self: self._default_kind(),
    )
    technician_id = fields.Many2one(
        "res.users",
        domain=[("share", "=", False)],
        default=lambda self: self._default_technician_id(),
        help="Only this technician's work; empty for every technician of the team.",
    )
    is_supervisor = fields.Boolean(compute="_compute_is_supervisor")

    # ------------------------------------------------------------------
    # Defaults and compute methods
    # ------------------------------------------------------------------
    @api.model
    def _default_team_id(self):
        """A supervisor reports on his team; a technician's own day covers every
        repair he worked on, whatever its team."""
        if not self.env.user.has_group(SUPERVISOR_GROUP):
            return False
        return self.env["aftersales.team"].search(
            ["|", ("leader_id", "=", self.env.uid), ("member_ids", "in", self.env.uid)], limit=1
        )

    @api.model
    def _default_kind(self):
        return "supervisor" if self.env.user.has_group(SUPERVISOR_GROUP) else "technician"

    @api.model
    def _default_technician_id(self):
        return False if self.env.user.has_group(SUPERVISOR_GROUP) else self.env.user

    # "kind" always has a value: a dependency makes the dialog compute the flag
    # when it opens (a field depending on nothing is left False on a new record).
    @api.depends("kind")
    @api.depends_context("uid")
    def _compute_is_supervisor(self):
        self.is_supervisor = self.env.user.has_group(SUPERVISOR_GROUP)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_print(self):
        """Button: the PDF of the chosen daily report; the dialog closes once it is
        downloaded, as Odoo's label printing wizards do."""
        self.ensure_one()
        action = self.env.ref("aftersales_service_report.action_report_daily_work").report_action(
            self
        )
        action.update({"close_on_report_download": True})
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _report_kind(self):
        """The report printed: a technician's is always his own daily report."""
        self.ensure_one()
        return self.kind if self.env.user.has_group(SUPERVISOR_GROUP) else "technician"

    def _report_users(self):
        """The technicians whose work the report shows, or None for everyone of the
        team: a technician who is not a supervisor sees only himself (P10.2)."""
        self.ensure_one()
        if not self.env.user.has_group(SUPERVISOR_GROUP):
            return self.env.user
        return self.technician_id or None
