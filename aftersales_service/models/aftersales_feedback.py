from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

#: P8.2: the technician is rated on four levels.
FOUR_LEVELS = [
    ("4", "Very satisfied"),
    ("3", "Satisfied"),
    ("2", "Dissatisfied"),
    ("1", "Very dissatisfied"),
]
#: P8.2: technician criteria (four levels) and service criteria (1-5).
TECHNICIAN_CRITERIA = (
    "technician_attitude",
    "technician_skill",
    "technician_arrival",
    "technician_promise",
)
SERVICE_CRITERIA = ("service_attitude", "response_speed", "resolution_efficiency")
FEEDBACK_STATES = [
    ("requested", "Requested"),
    ("answered", "Answered"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
]


class AftersalesFeedback(models.Model):
    """The customer's feedback on one completed ticket, repair or return (P8.1,
    P8.2): requested by e-mail with a one-time link, answered on a public page;
    scores feed the technician's monthly score and the customer's satisfaction
    (P8.3, P1.2), a bad result opens a complaint (P8.3)."""

    _name = "aftersales.feedback"
    _description = "After-Sales Customer Feedback"
    _inherit = ["portal.mixin", "mail.thread"]
    _order = "requested_at desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields: what is rated
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        FEEDBACK_STATES, default="requested", required=True, index=True, tracking=True
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket", index="btree_not_null", ondelete="cascade", check_company=True
    )
    repair_id = fields.Many2one(
        "repair.order", index="btree_not_null", ondelete="cascade", check_company=True
    )
    rma_id = fields.Many2one(
        "aftersales.rma",
        string="Return / Exchange",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    technician_id = fields.Many2one("res.users", index=True)
    team_id = fields.Many2one("aftersales.team", index=True)
    completed_at = fields.Datetime(
        help="When the rated service was completed (P8.1: request within 24 h)."
    )
    requested_at = fields.Datetime(readonly=True, copy=False)
    expires_on = fields.Date(string="Link Valid Until", readonly=True, copy=False)
    answered_at = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Fields: the answers (P8.2)
    # ------------------------------------------------------------------
    technician_attitude = fields.Selection(FOUR_LEVELS, string="Attitude (态度)")
    technician_skill = fields.Selection(FOUR_LEVELS, string="Skill (技术)")
    technician_arrival = fields.Selection(FOUR_LEVELS, string="Arrival Time (到达时间)")
    technician_promise = fields.Selection(FOUR_LEVELS, string="Keeping Promises (答应事情的办理)")
    service_attitude = fields.Integer(string="Service Attitude (1-5)", aggregator="avg")
    response_speed = fields.Integer(string="Response Speed (1-5)", aggregator="avg")
    resolution_efficiency = fields.Integer(string="Resolution Efficiency (1-5)", aggregator="avg")
    comment = fields.Text()
    is_complaint = fields.Boolean(
        string="Complaint",
        help="The customer flagged the comment as a complaint: a complaint ticket is "
        "opened (P8.3).",
    )
    complaint_ticket_id = fields.Many2one("aftersales.ticket", readonly=True, copy=False)
    # Scores, stored for the reports (P8.3, P8.4, P9.2)
    technician_score = fields.Float(
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        help="The four technician criteria on a 0-100 scale (very satisfied = 100, "
        "very dissatisfied = 0).",
    )
    score = fields.Float(
        string="Overall Score",
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        help="All seven criteria on the 1-5 scale (a four-level answer counts 1, 2.33, 3.67 or 5).",
    )
    is_satisfied = fields.Boolean(
        compute="_compute_scores",
        store=True,
        help="Overall score of 4 or more: counts towards the satisfaction target (P9.2).",
    )

    _sql_constraints = [
        ("ticket_unique", "UNIQUE (ticket_id)", "A ticket gets one feedback request."),
        ("repair_unique", "UNIQUE (repair_id)", "A repair gets one feedback request."),
        ("rma_unique", "UNIQUE (rma_id)", "A return gets one feedback request."),
    ]

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("ticket_id", "repair_id", "rma_id")
    def _compute_name(self):
        for feedback in self:
            source = feedback._source()
            feedback.name = _("Feedback on %s", source.display_name) if source else _("Feedback")

    @api.depends(*TECHNICIAN_CRITERIA, *SERVICE_CRITERIA)
    def _compute_scores(self):
        for feedback in self:
            levels = [int(feedback[f]) for f in TECHNICIAN_CRITERIA if feedback[f]]
            marks = [feedback[f] for f in SERVICE_CRITERIA if feedback[f]]
            feedback.technician_score = (
                sum((level - 1) / 3 * 100 for level in levels) / len(levels) if levels else 0.0
            )
            on_five = [1 + (level - 1) * 4 / 3 for level in levels] + marks
            feedback.score = sum(on_five) / len(on_five) if on_five else 0.0
            feedback.is_satisfied = bool(on_five) and feedback.score >= 4.0

    def _compute_access_url(self):
        for feedback in self:
            feedback.access_url = f"/aftersales/feedback/{feedback.id}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(*SERVICE_CRITERIA)
    def _check_service_marks(self):
        for feedback in self:
            for fname in SERVICE_CRITERIA:
                if feedback[fname] and not 1 <= feedback[fname] <= 5:
                    raise ValidationError(
                        _(
                            "%(criterion)s is rated from 1 to 5 (got %(value)s).",
                            criterion=self._fields[fname].get_description(self.env)["string"],
                            value=feedback[fname],
                        )
                    )

    @api.constrains("ticket_id", "repair_id", "rma_id")
    def _check_one_source(self):
        for feedback in self:
            if len([f for f in ("ticket_id", "repair_id", "rma_id") if feedback[f]]) != 1:
                raise ValidationError(_("A feedback rates exactly one ticket, repair or return."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _source(self):
        """The rated record: ticket, repair or return."""
        self.ensure_one()
        return self.ticket_id or self.repair_id or self.rma_id
