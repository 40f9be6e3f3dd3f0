from odoo import api, fields, models, tools
from odoo.tools import SQL

#: P8.3: weights of the monthly score. A component without data in the month
#: (no rated feedback, no job with a target, no repair) is left out and the
#: other weights are scaled up to 100 %; with no component at all there is no score.
SCORE_WEIGHT_FEEDBACK = 0.5
SCORE_WEIGHT_ONTIME = 0.3
SCORE_WEIGHT_NO_REPEAT = 0.2


class AftersalesTechnicianPerformance(models.Model):
    """Monthly performance of each technician (P8.3, P9.1, P9.2), a SQL view.

    One row per calendar month (the company's), technician and company:

    * jobs done: done repairs they are responsible for, in the month of the
      company day they were completed — a job as ``aftersales.figures`` defines
      it, the same the daily reports and the technician work spreadsheet count;
    * tickets solved: tickets solved (closed, not cancelled) assigned to the
      technician, in the month of the solution; not jobs (a ticket with a repair
      would count twice);
    * on-time rate: share of those jobs and solved tickets solved within their
      resolution target (those without a target are left out);
    * repeat-repair rate: share of the technician's repairs done in the month
      that came back, i.e. that a later repair (not cancelled) names as the
      repair it repeats (``aftersales_previous_repair_id``, set only for the
      same product/serial and fault of the same customer within the 3-month
      repair warranty, P3.6). The repeat is charged to the original repair's
      technician and month, so a month's rate can still rise during the
      following three months;
    * hours logged: work entries of the month, by the day they were logged (P9.1);
    * feedback: answered feedback naming the technician, in the month of the
      answer, with their average technician score (0-100; feedback without
      technician criteria is left out);
    * monthly score (0-100) = 50 % average technician score + 30 % on-time rate
      + 20 % (100 - repeat-repair rate), see the weights above.
    """

    _name = "aftersales.technician.performance"
    _description = "Technician Monthly Performance"
    _auto = False
    _rec_name = "user_id"
    _order = "month desc, score desc"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    month = fields.Date(readonly=True, help="First day of the month.")
    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    job_count = fields.Integer(
        string="Jobs Done",
        readonly=True,
        aggregator="sum",
        help="Repairs done with this technician responsible, by the day they were completed.",
    )
    ticket_job_count = fields.Integer(string="Tickets Solved", readonly=True, aggregator="sum")
    ontime_job_count = fields.Integer(string="Jobs on Time", readonly=True, aggregator="sum")
    ontime_rate = fields.Float(
        string="On-Time Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Jobs and tickets solved within their resolution target / those that had one.",
    )
    repeat_repair_count = fields.Integer(string="Repairs Repeated", readonly=True, aggregator="sum")
    repeat_rate = fields.Float(
        string="Repeat-Repair Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Repairs of the month that came back within the repair warranty / repairs "
        "done in the month.",
    )
    hours = fields.Float(string="Hours Logged", readonly=True, aggregator="sum")
    feedback_count = fields.Integer(string="# Feedback", readonly=True, aggregator="sum")
    feedback_score = fields.Float(
        string="Feedback Score (0-100)",
        readonly=True,
        aggregator="avg",
        help="Average technician score of the feedback answered in the month.",
    )
    score = fields.Float(
        string="Monthly Score",
        readonly=True,
        aggregator="avg",
        help="50 % feedback score + 30 % on-time rate + 20 % (100 - repeat-repair rate); "
        "a component without data is left out and the others reweighted.",
    )

    # ------------------------------------------------------------------
    # View
    # ------------------------------------------------------------------
    @api.model
    def _query(self):
        """Facts of four sources stacked, then summed per (month, technician,
        company). The id packs the three keys, so it is stable and a record rule on
        ``user_id`` is pushed down into the scans."""
        return SQL(
            """
            WITH zones AS (%(zones)s),
            facts AS (
                SELECT t.user_id, t.company_id,
                       date_trunc('month',
                                  t.sla_solved_at AT TIME ZONE 'UTC' AT TIME ZONE z.tz)::date
                           AS month,
                       1 AS ticket_job, 0 AS repair_job,
                       CASE WHEN t.sla_resolution_deadline IS NOT NULL THEN 1 ELSE 0 END
                           AS target_job,
                       CASE WHEN t.sla_resolution_deadline IS NOT NULL
                             AND t.sla_resolution_ontime >= 100 THEN 1 ELSE 0 END AS ontime_job,
                       0 AS repeated, 0.0 AS hours, 0 AS feedback, NULL::float AS tech_score
                  FROM aftersales_ticket t
                  JOIN zones z ON z.company_id = t.company_id
             LEFT JOIN aftersales_stage s ON s.id = t.stage_id
                 WHERE t.user_id IS NOT NULL AND t.is_closed AND t.sla_solved_at IS NOT NULL
                   AND s.is_cancelled IS NOT TRUE
             UNION ALL
                SELECT r.user_id, r.company_id,
                       date_trunc('month', r.aftersales_done_on)::date,
                       0, 1,
                       CASE WHEN r.sla_resolution_deadline IS NOT NULL THEN 1 ELSE 0 END,
                       CASE WHEN r.sla_resolution_deadline IS NOT NULL
                             AND r.sla_resolution_ontime >= 100 THEN 1 ELSE 0 END,
                       CASE WHEN repeated.id IS NOT NULL THEN 1 ELSE 0 END,
                       0.0, 0, NULL::float
                  FROM repair_order r
             LEFT JOIN (SELECT DISTINCT n.aftersales_previous_repair_id AS id
                          FROM repair_order n
                         WHERE n.aftersales_previous_repair_id IS NOT NULL
                           AND n.state != 'cancel') repeated ON repeated.id = r.id
                 WHERE r.user_id IS NOT NULL AND r.state = 'done'
                   AND r.aftersales_done_on IS NOT NULL
             UNION ALL
                SELECT w.user_id, w.company_id, date_trunc('month', w.date)::date,
                       0, 0, 0, 0, 0, w.hours, 0, NULL::float
                  FROM aftersales_work_entry w
             UNION ALL
                SELECT f.technician_id, f.company_id,
                       date_trunc('month',
                                  f.answered_at AT TIME ZONE 'UTC' AT TIME ZONE z.tz)::date,
                       0, 0, 0, 0, 0, 0.0, 1, COALESCE(f.technician_score, 0)
                  FROM aftersales_feedback f
                  JOIN zones z ON z.company_id = f.company_id
                 WHERE f.technician_id IS NOT NULL AND f.state = 'answered'
                   AND f.answered_at IS NOT NULL
                   AND COALESCE(f.technician_attitude, f.technician_skill,
                                f.technician_arrival, f.technician_promise) IS NOT NULL
            ),
            monthly AS (
                SELECT month, user_id, company_id,
                       sum(repair_job) AS job_count,
                       sum(ticket_job) AS ticket_job_count,
                       sum(ontime_job) AS ontime_job_count,
                       100.0 * sum(ontime_job) / NULLIF(sum(target_job), 0) AS ontime_rate,
                       sum(repeated) AS repeat_repair_count,
                       100.0 * sum(repeated) / NULLIF(sum(repair_job), 0) AS repeat_rate,
                       sum(hours) AS hours,
                       sum(feedback) AS feedback_count,
                       avg(tech_score) AS feedback_score
                  FROM facts
              GROUP BY month, user_id, company_id
            )
            SELECT ((date_part('year', month)::bigint - 2000) * 12
                        + date_part('month', month)::bigint) * 100000000000
                   + user_id::bigint * 1000 + company_id AS id,
                   month, user_id, company_id, job_count, ticket_job_count, ontime_job_count,
                   ontime_rate, repeat_repair_count, repeat_rate, hours,
                   feedback_count, feedback_score,
                   (COALESCE(%(w_feedback)s * feedback_score, 0)
                    + COALESCE(%(w_ontime)s * ontime_rate, 0)
                    + COALESCE(%(w_repeat)s * (100.0 - repeat_rate), 0))
                   / NULLIF(
                        CASE WHEN feedback_score IS NULL THEN 0 ELSE %(w_feedback)s END
                        + CASE WHEN ontime_rate IS NULL THEN 0 ELSE %(w_ontime)s END
                        + CASE WHEN repeat_rate IS NULL THEN 0 ELSE %(w_repeat)s END, 0)
                   AS score
              FROM monthly
            """,
            zones=self.env["res.company"]._aftersales_sql_company_zones(),
            w_feedback=SCORE_WEIGHT_FEEDBACK,
            w_ontime=SCORE_WEIGHT_ONTIME,
            w_repeat=SCORE_WEIGHT_NO_REPEAT,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
