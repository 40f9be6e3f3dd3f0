from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.aftersales_ticket import (
    COMPLAINT_CATEGORIES,
    TICKET_CHANNELS,
    TICKET_PRIORITIES,
    TICKET_TYPES,
)

LINE_TYPES = [("ticket", "Ticket"), ("feedback", "Feedback")]


class AftersalesKpiReport(models.Model):
    """Service KPIs for the pivot and graph views (P9.2, P8.4).

    A SQL view with two kinds of rows, so that each measure is averaged over the
    rows it concerns (SQL ``AVG`` skips NULLs):

    * one ``ticket`` row per ticket (not archived) not in a cancelled stage, dated by
      its receipt:
      ticket and complaint counts, first-response and resolution working hours,
      resolution rate and on-time rates (a target counts only once it is decided
      and when it existed, i.e. the record had a deadline);
    * one ``feedback`` row per answered feedback (on a ticket, repair or return),
      dated by its answer: satisfaction share, overall score, technician score and
      the seven criteria (P8.2).

    The definitions are those of ``aftersales.kpi.dashboard`` (which reads the
    tickets and feedback themselves, so that its figures drill down to them); the
    tests check that both agree.
    """

    _name = "aftersales.kpi.report"
    _description = "After-Sales KPI Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    # ------------------------------------------------------------------
    # Fields: dimensions
    # ------------------------------------------------------------------
    line_type = fields.Selection(LINE_TYPES, string="Line", readonly=True)
    date = fields.Datetime(readonly=True, help="Receipt of the ticket, or answer of the feedback.")
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Technician", readonly=True, help="Assignee / rated technician."
    )
    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    channel = fields.Selection(TICKET_CHANNELS, readonly=True)
    ticket_type = fields.Selection(TICKET_TYPES, string="Type", readonly=True)
    priority = fields.Selection(TICKET_PRIORITIES, readonly=True)
    category_id = fields.Many2one("aftersales.category", readonly=True)
    complaint_category = fields.Selection(COMPLAINT_CATEGORIES, readonly=True)
    stage_id = fields.Many2one("aftersales.stage", readonly=True)

    # ------------------------------------------------------------------
    # Fields: ticket measures
    # ------------------------------------------------------------------
    ticket_count = fields.Integer(string="# Tickets", readonly=True, aggregator="sum")
    complaint_count = fields.Integer(string="# Complaints", readonly=True, aggregator="sum")
    resolved_count = fields.Integer(string="# Resolved", readonly=True, aggregator="sum")
    first_response_hours = fields.Float(
        string="First Response (h)",
        readonly=True,
        aggregator="avg",
        help="Working hours from receipt to the first response, of answered tickets.",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (h)",
        readonly=True,
        aggregator="avg",
        help="Working hours from receipt to the solution (paused time excluded).",
    )
    resolution_rate = fields.Float(
        string="Resolution Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of tickets solved (closed, not cancelled).",
    )
    response_ontime = fields.Float(
        string="First Response on Time (%)", readonly=True, aggregator="avg"
    )
    resolution_ontime = fields.Float(
        string="Resolution on Time (%)", readonly=True, aggregator="avg"
    )
    complaint_ontime = fields.Float(
        string="Complaints Handled on Time (%)",
        readonly=True,
        aggregator="avg",
        help="Share of solved complaints solved within their resolution target.",
    )
    target_count = fields.Integer(
        string="# Targets Decided",
        readonly=True,
        aggregator="sum",
        help="Response and resolution targets that are met or missed.",
    )
    target_met_count = fields.Integer(string="# Targets Met", readonly=True, aggregator="sum")

    # ------------------------------------------------------------------
    # Fields: feedback measures (P8.2, P8.4)
    # ------------------------------------------------------------------
    feedback_count = fields.Integer(string="# Feedback", readonly=True, aggregator="sum")
    satisfaction = fields.Float(
        string="Satisfaction (%)",
        readonly=True,
        aggregator="avg",
        help="Share of answered feedback rated satisfied (overall score of 4 or more).",
    )
    score = fields.Float(string="Overall Score (1-5)", readonly=True, aggregator="avg")
    technician_score = fields.Float(
        string="Technician Score (0-100)", readonly=True, aggregator="avg"
    )
    technician_attitude = fields.Float(string="Attitude (1-4)", readonly=True, aggregator="avg")
    technician_skill = fields.Float(string="Skill (1-4)", readonly=True, aggregator="avg")
    technician_arrival = fields.Float(string="Arrival Time (1-4)", readonly=True, aggregator="avg")
    technician_promise = fields.Float(
        string="Keeping Promises (1-4)", readonly=True, aggregator="avg"
    )
    service_attitude = fields.Float(
        string="Service Attitude (1-5)", readonly=True, aggregator="avg"
    )
    response_speed = fields.Float(string="Response Speed (1-5)", readonly=True, aggregator="avg")
    resolution_efficiency = fields.Float(
        string="Resolution Efficiency (1-5)", readonly=True, aggregator="avg"
    )

    # ------------------------------------------------------------------
    # View
    # ------------------------------------------------------------------
    @api.model
    def _query(self):
        """One row per ticket, one per answered feedback. Ids: 2 * ticket id and
        2 * feedback id + 1, stable and unique. Joins only on primary keys and
        the unique, indexed ``feedback.ticket_id``.

        The ORM leaves a float column NULL when 0.0 is written over NULL (the cache
        reads NULL as 0.0, so nothing changes): a missed target (on time = 0) or an
        instant response (0 h) can be NULL in the table. Once the event happened
        (first response given, ticket solved), NULL therefore reads as 0."""
        return SQL(
            """
            SELECT 2 * t.id AS id,
                   'ticket' AS line_type,
                   t.received_at AS date,
                   t.company_id,
                   t.team_id,
                   t.user_id,
                   t.id AS ticket_id,
                   t.commercial_partner_id AS partner_id,
                   t.channel,
                   t.ticket_type,
                   t.priority,
                   t.category_id,
                   t.complaint_category,
                   t.stage_id,
                   1 AS ticket_count,
                   CASE WHEN t.ticket_type = 'complaint' THEN 1 ELSE 0 END AS complaint_count,
                   CASE WHEN t.is_closed THEN 1 ELSE 0 END AS resolved_count,
                   CASE WHEN t.sla_first_response_at IS NOT NULL
                        THEN COALESCE(t.sla_response_time, 0) END AS first_response_hours,
                   CASE WHEN t.is_closed AND t.sla_solved_at IS NOT NULL
                        THEN COALESCE(t.sla_resolution_time, 0) END AS resolution_hours,
                   CASE WHEN t.is_closed THEN 100.0 ELSE 0.0 END AS resolution_rate,
                   CASE WHEN t.sla_first_response_at IS NOT NULL
                         AND t.sla_response_deadline IS NOT NULL
                        THEN COALESCE(t.sla_response_ontime, 0) END AS response_ontime,
                   CASE WHEN t.is_closed AND t.sla_solved_at IS NOT NULL
                         AND t.sla_resolution_deadline IS NOT NULL
                        THEN COALESCE(t.sla_resolution_ontime, 0) END AS resolution_ontime,
                   CASE WHEN t.ticket_type = 'complaint' AND t.is_closed
                         AND t.sla_solved_at IS NOT NULL
                         AND t.sla_resolution_deadline IS NOT NULL
                        THEN COALESCE(t.sla_resolution_ontime, 0) END AS complaint_ontime,
                   (CASE WHEN t.sla_first_response_at IS NOT NULL
                          AND t.sla_response_deadline IS NOT NULL THEN 1 ELSE 0 END
                    + CASE WHEN t.is_closed AND t.sla_solved_at IS NOT NULL
                          AND t.sla_resolution_deadline IS NOT NULL THEN 1 ELSE 0 END
                   ) AS target_count,
                   (CASE WHEN t.sla_first_response_at IS NOT NULL
                          AND t.sla_response_deadline IS NOT NULL
                          AND t.sla_response_ontime >= 100 THEN 1 ELSE 0 END
                    + CASE WHEN t.is_closed AND t.sla_solved_at IS NOT NULL
                          AND t.sla_resolution_deadline IS NOT NULL
                          AND t.sla_resolution_ontime >= 100 THEN 1 ELSE 0 END
                   ) AS target_met_count,
                   0 AS feedback_count,
                   NULL::float AS satisfaction,
                   NULL::float AS score,
                   NULL::float AS technician_score,
                   NULL::float AS technician_attitude,
                   NULL::float AS technician_skill,
                   NULL::float AS technician_arrival,
                   NULL::float AS technician_promise,
                   NULL::float AS service_attitude,
                   NULL::float AS response_speed,
                   NULL::float AS resolution_efficiency
              FROM aftersales_ticket t
         LEFT JOIN aftersales_stage s ON s.id = t.stage_id
             WHERE s.is_cancelled IS NOT TRUE AND t.active
         UNION ALL
            SELECT 2 * f.id + 1 AS id,
                   'feedback' AS line_type,
                   f.answered_at AS date,
                   f.company_id,
                   f.team_id,
                   f.technician_id AS user_id,
                   f.ticket_id,
                   f.commercial_partner_id AS partner_id,
                   t.channel,
                   t.ticket_type,
                   t.priority,
                   t.category_id,
                   t.complaint_category,
                   NULL::integer AS stage_id,
                   0 AS ticket_count,
                   0 AS complaint_count,
                   0 AS resolved_count,
                   NULL::float AS first_response_hours,
                   NULL::float AS resolution_hours,
                   NULL::float AS resolution_rate,
                   NULL::float AS response_ontime,
                   NULL::float AS resolution_ontime,
                   NULL::float AS complaint_ontime,
                   0 AS target_count,
                   0 AS target_met_count,
                   1 AS feedback_count,
                   CASE WHEN f.is_satisfied THEN 100.0 ELSE 0.0 END AS satisfaction,
                   COALESCE(f.score, 0) AS score,
                   CASE WHEN COALESCE(f.technician_attitude, f.technician_skill,
                                      f.technician_arrival, f.technician_promise) IS NOT NULL
                        THEN COALESCE(f.technician_score, 0) END AS technician_score,
                   f.technician_attitude::float AS technician_attitude,
                   f.technician_skill::float AS technician_skill,
                   f.technician_arrival::float AS technician_arrival,
                   f.technician_promise::float AS technician_promise,
                   NULLIF(f.service_attitude, 0)::float AS service_attitude,
                   NULLIF(f.response_speed, 0)::float AS response_speed,
                   NULLIF(f.resolution_efficiency, 0)::float AS resolution_efficiency
              FROM aftersales_feedback f
         LEFT JOIN aftersales_ticket t ON t.id = f.ticket_id
             WHERE f.state = 'answered' AND f.answered_at IS NOT NULL
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
