import uuid
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.workflow import workflow_step

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
#: A comment is a few sentences, not a document.
COMMENT_MAX_LENGTH = 5000
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
    _inherit = ["aftersales.workflow.guard", "portal.mixin", "mail.thread"]
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
        FEEDBACK_STATES,
        default="requested",
        required=True,
        index=True,
        tracking=True,
        readonly=True,
    )
    # "restrict": a customer's answers are never deleted with what they rate
    # (P8.3: they feed the technicians' scores); the ticket and the return say why
    # in their deletion guards, repairs are done once rated (Odoo keeps done ones).
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        readonly=True,
    )
    repair_id = fields.Many2one(
        "repair.order",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        readonly=True,
    )
    rma_id = fields.Many2one(
        "aftersales.rma",
        string="Return / Exchange",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    technician_id = fields.Many2one("res.users", index=True, readonly=True)
    team_id = fields.Many2one("aftersales.team", index=True, check_company=True)
    completed_at = fields.Datetime(
        help="When the rated service was completed (request within 24 h).", readonly=True
    )
    requested_at = fields.Datetime(readonly=True, copy=False)
    expires_on = fields.Date(string="Link Valid Until", readonly=True, copy=False)
    answered_at = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Fields: the answers (P8.2)
    # ------------------------------------------------------------------
    technician_attitude = fields.Selection(FOUR_LEVELS, string="Attitude", readonly=True)
    technician_skill = fields.Selection(FOUR_LEVELS, string="Skill", readonly=True)
    technician_arrival = fields.Selection(FOUR_LEVELS, string="Arrival Time", readonly=True)
    technician_promise = fields.Selection(FOUR_LEVELS, string="Keeping Promises", readonly=True)
    service_attitude = fields.Integer(
        string="Service Attitude (1-5)", aggregator="avg", readonly=True
    )
    response_speed = fields.Integer(string="Response Speed (1-5)", aggregator="avg", readonly=True)
    resolution_efficiency = fields.Integer(
        string="Resolution Efficiency (1-5)", aggregator="avg", readonly=True
    )
    comment = fields.Text(readonly=True)
    is_complaint = fields.Boolean(
        string="Complaint",
        help="The customer flagged the comment as a complaint: a complaint ticket is opened.",
        readonly=True,
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
        help="Overall score of 4 or more: counts towards the satisfaction target.",
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
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """What the customer answered is theirs: staff read it, the public page writes it."""
        return dict(
            super()._aftersales_workflow_fields(),
            state=None,
            requested_at=None,
            expires_on=None,
            answered_at=None,
            technician_attitude=None,
            technician_skill=None,
            technician_arrival=None,
            technician_promise=None,
            service_attitude=None,
            response_speed=None,
            resolution_efficiency=None,
            comment=None,
            is_complaint=None,
            complaint_ticket_id=None,
            technician_score=None,
            score=None,
            is_satisfied=None,
            completed_at=None,
            ticket_id=None,
            repair_id=None,
            rma_id=None,
            technician_id=None,
            partner_id=None,
        )

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

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @workflow_step
    def _submit_answers(self, values):
        """P8.2: store the customer's answers, once; a bad result or a comment
        flagged as a complaint opens a complaint ticket (P8.3). The public page
        calls it with what the customer posted."""
        self.ensure_one()
        if self.state != "requested":
            raise UserError(_("This feedback was already given or has expired."))
        answers = {}
        for fname in TECHNICIAN_CRITERIA:
            if str(values.get(fname)) not in dict(FOUR_LEVELS):
                raise UserError(_("Please rate every point about the technician."))
            answers[fname] = str(values[fname])
        for fname in SERVICE_CRITERIA:
            mark = str(values.get(fname) or "")
            if mark not in ("1", "2", "3", "4", "5"):
                raise UserError(_("Please rate every point about the service from 1 to 5."))
            answers[fname] = int(mark)
        comment = (values.get("comment") or "").strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            raise UserError(
                _(
                    "Please keep your comment under %(max)s characters (it has %(length)s).",
                    max=COMMENT_MAX_LENGTH,
                    length=len(comment),
                )
            )
        answers.update(
            comment=comment or False,
            is_complaint=bool(values.get("is_complaint")),
            state="answered",
            answered_at=fields.Datetime.now(),
        )
        self.write(answers)
        threshold = self.company_id.aftersales_feedback_complaint_threshold
        if self.is_complaint or self.score < threshold:
            self._open_complaint()
        return True

    def _open_complaint(self):
        """P8.3: a complaint ticket for the service team, linked to the feedback."""
        self.ensure_one()
        source = self._source()
        ticket = (
            self.env["aftersales.ticket"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "subject": _("Complaint from feedback on %s", source.display_name),
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "team_id": self.team_id.id or False,
                    "ticket_type": "complaint",
                    "complaint_category": "service",
                    "channel": "web",
                    "fault_symptom": self.comment
                    or _(
                        "Overall score %s out of 5 in the customer's feedback.",
                        round(self.score, 2),
                    ),
                }
            )
        )
        self.complaint_ticket_id = ticket
        return ticket

    # ------------------------------------------------------------------
    # Cron: requests (P8.1)
    # ------------------------------------------------------------------
    @api.model
    def _cron_request_feedback(self):
        """Hourly: every ticket, repair and return completed since the company's
        delay gets one feedback request within 24 h (P8.1); completions of the last
        3 days are caught up; links past their validity expire."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([]):
            feedback = self.sudo().with_company(company)
            feedback._expire_requests(company)
            feedback._request_company_feedback(company, now)

    def _expire_requests(self, company):
        self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "requested"),
                ("expires_on", "<", company._aftersales_today()),
            ]
        ).write({"state": "expired"})

    def _request_company_feedback(self, company, now):
        since = now - timedelta(days=3)
        until = now - timedelta(hours=company.aftersales_feedback_delay_hours)
        for model in ("aftersales.ticket", "repair.order", "aftersales.rma", self._name):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT 'ticket_id', t.id, t.partner_id, t.user_id, t.team_id, t.sla_solved_at
              FROM aftersales_ticket t
              JOIN aftersales_stage s ON s.id = t.stage_id AND s.is_closed
                   AND s.is_cancelled IS NOT TRUE
         LEFT JOIN aftersales_feedback f ON f.ticket_id = t.id
             WHERE t.company_id = %(company)s AND f.id IS NULL AND t.partner_id IS NOT NULL
               AND t.ticket_type != 'complaint'
               AND t.sla_solved_at BETWEEN %(since)s AND %(until)s
         UNION ALL
            SELECT 'repair_id', r.id, r.partner_id, r.user_id, r.aftersales_team_id,
                   r.sla_solved_at
              FROM repair_order r
         LEFT JOIN aftersales_feedback f ON f.repair_id = r.id
             WHERE r.company_id = %(company)s AND f.id IS NULL AND r.partner_id IS NOT NULL
               AND r.state = 'done' AND r.sla_solved_at BETWEEN %(since)s AND %(until)s
         UNION ALL
            SELECT 'rma_id', m.id, m.partner_id, m.inspected_by, m.team_id, m.sla_solved_at
              FROM aftersales_rma m
         LEFT JOIN aftersales_feedback f ON f.rma_id = m.id
             WHERE m.company_id = %(company)s AND f.id IS NULL
               AND m.state IN ('refunded', 'replaced', 'done')
               AND m.sla_solved_at BETWEEN %(since)s AND %(until)s
            """,
                company=company.id,
                since=since,
                until=until,
            )
        )
        if not rows:
            return self.browse()
        expires = company._aftersales_today() + timedelta(
            days=company.aftersales_feedback_validity_days
        )
        requests = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            [
                {
                    source_field: source_id,
                    "company_id": company.id,
                    "partner_id": partner_id,
                    "technician_id": technician_id,
                    "team_id": team_id,
                    "completed_at": completed_at,
                    "requested_at": now,
                    "expires_on": expires,
                    "access_token": str(uuid.uuid4()),
                }
                for source_field, source_id, partner_id, technician_id, team_id, completed_at in (
                    rows
                )
            ]
        )
        requests._send_requests()
        return requests

    def _send_requests(self):
        """The request e-mail with the one-time link, rendered once for the batch
        and posted in one go (the suite's batch poster); the e-mails are queued."""
        template = self.env.ref("aftersales_service.mail_template_feedback_request")
        self._aftersales_message_post_batch(
            template,
            partner_ids={feedback.id: feedback.partner_id.ids for feedback in self},
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
