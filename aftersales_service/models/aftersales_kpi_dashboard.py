from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .aftersales_feedback import SERVICE_CRITERIA, TECHNICIAN_CRITERIA

#: P8.4: the criteria whose mean and standard deviation are reported.
CRITERIA = TECHNICIAN_CRITERIA + SERVICE_CRITERIA
TARGET_STATUSES = [("met", "Met"), ("missed", "Missed"), ("none", "No Data")]


def _quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


class AftersalesKpiDashboard(models.TransientModel):
    """The monthly/quarterly service indicators of P9.2 against the company's
    targets, with mean and standard deviation per feedback criterion (P8.4).

    Definitions (all over the chosen period, company and optionally team):

    * tickets: tickets received in the period, cancelled ones excluded;
    * first response: working hours to the first response of answered tickets,
      average and median (``percentile_cont(0.5)``: the mean of the two middle
      values for an even count);
    * resolution: working hours to the solution of solved tickets, average and
      median; resolution rate = solved / received;
    * on-time rates: only targets that existed (a deadline) and are decided (the
      response given, the ticket solved) count; % of targets met = met response
      and resolution targets / decided ones;
    * complaint rate: complaints received per 100 delivered orders. A delivered
      order is a done delivery (outgoing transfer to a customer location) in the
      period, counted once per procurement group (a sale order and its
      backorders are one order); deliveries are not per team, so with a team
      filter the rate is that team's complaints per 100 of the company's orders;
    * repeat-purchase rate: customers (commercial entities) with at least two
      confirmed sale orders dated in the period / customers with at least one;
    * satisfaction: share of answered feedback (on tickets, repairs and returns,
      dated by the answer) rated satisfied (overall score of 4 or more);
      standard deviations are sample standard deviations (``stddev_samp``,
      divisor n - 1), none below two answers.
    """

    _name = "aftersales.kpi.dashboard"
    _description = "After-Sales KPI Dashboard"

    # ------------------------------------------------------------------
    # Fields: filters
    # ------------------------------------------------------------------
    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_date_to())
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    team_id = fields.Many2one(
        "aftersales.team",
        domain="[('company_id', '=', company_id)]",
        help="Empty: all teams of the company.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    # ------------------------------------------------------------------
    # Fields: indicators (P9.2)
    # ------------------------------------------------------------------
    ticket_count = fields.Integer(string="Tickets", compute="_compute_kpis")
    resolved_count = fields.Integer(string="Resolved", compute="_compute_kpis")
    first_response_avg = fields.Float(string="First Response, Average (h)", compute="_compute_kpis")
    first_response_median = fields.Float(
        string="First Response, Median (h)", compute="_compute_kpis"
    )
    resolution_avg = fields.Float(string="Resolution Time, Average (h)", compute="_compute_kpis")
    resolution_median = fields.Float(string="Resolution Time, Median (h)", compute="_compute_kpis")
    resolution_rate = fields.Float(string="Resolution Rate (%)", compute="_compute_kpis")
    response_ontime_rate = fields.Float(
        string="First Response on Time (%)", compute="_compute_kpis"
    )
    resolution_ontime_rate = fields.Float(string="Resolution on Time (%)", compute="_compute_kpis")
    targets_met_rate = fields.Float(string="Targets Met (%)", compute="_compute_kpis")
    complaint_count = fields.Integer(string="Complaints", compute="_compute_kpis")
    complaint_ontime_rate = fields.Float(
        string="Complaints Handled on Time (%)", compute="_compute_kpis"
    )
    delivered_order_count = fields.Integer(string="Delivered Orders", compute="_compute_kpis")
    complaint_rate = fields.Float(string="Complaint Rate (per 100 orders)", compute="_compute_kpis")
    customer_count = fields.Integer(string="Ordering Customers", compute="_compute_kpis")
    repeat_customer_count = fields.Integer(string="Repeat Customers", compute="_compute_kpis")
    repeat_purchase_rate = fields.Float(string="Repeat-Purchase Rate (%)", compute="_compute_kpis")
    feedback_count = fields.Integer(string="Answered Feedback", compute="_compute_kpis")
    satisfaction_rate = fields.Float(string="Satisfaction (%)", compute="_compute_kpis")
    score_avg = fields.Float(string="Overall Score, Mean (1-5)", compute="_compute_kpis")
    score_std = fields.Float(string="Overall Score, Std Dev", compute="_compute_kpis")
    technician_attitude_avg = fields.Float(string="Attitude, Mean", compute="_compute_kpis")
    technician_attitude_std = fields.Float(string="Attitude, Std Dev", compute="_compute_kpis")
    technician_skill_avg = fields.Float(string="Skill, Mean", compute="_compute_kpis")
    technician_skill_std = fields.Float(string="Skill, Std Dev", compute="_compute_kpis")
    technician_arrival_avg = fields.Float(string="Arrival Time, Mean", compute="_compute_kpis")
    technician_arrival_std = fields.Float(string="Arrival Time, Std Dev", compute="_compute_kpis")
    technician_promise_avg = fields.Float(string="Keeping Promises, Mean", compute="_compute_kpis")
    technician_promise_std = fields.Float(
        string="Keeping Promises, Std Dev", compute="_compute_kpis"
    )
    service_attitude_avg = fields.Float(string="Service Attitude, Mean", compute="_compute_kpis")
    service_attitude_std = fields.Float(string="Service Attitude, Std Dev", compute="_compute_kpis")
    response_speed_avg = fields.Float(string="Response Speed, Mean", compute="_compute_kpis")
    response_speed_std = fields.Float(string="Response Speed, Std Dev", compute="_compute_kpis")
    resolution_efficiency_avg = fields.Float(
        string="Resolution Efficiency, Mean", compute="_compute_kpis"
    )
    resolution_efficiency_std = fields.Float(
        string="Resolution Efficiency, Std Dev", compute="_compute_kpis"
    )

    # ------------------------------------------------------------------
    # Fields: targets from Settings, side by side with the figures
    # ------------------------------------------------------------------
    target_satisfaction = fields.Float(
        related="company_id.aftersales_target_satisfaction", string="Satisfaction Target (%)"
    )
    target_complaint_ontime = fields.Float(
        related="company_id.aftersales_target_complaint_ontime",
        string="Complaints on Time Target (%)",
    )
    target_first_response = fields.Float(
        related="company_id.aftersales_target_first_response",
        string="First Response Target (%)",
    )
    satisfaction_status = fields.Selection(
        TARGET_STATUSES, string="Satisfaction", compute="_compute_kpis"
    )
    complaint_ontime_status = fields.Selection(
        TARGET_STATUSES, string="Complaints on Time", compute="_compute_kpis"
    )
    first_response_status = fields.Selection(
        TARGET_STATUSES, string="First Response on Time", compute="_compute_kpis"
    )

    # ------------------------------------------------------------------
    # Defaults and compute methods
    # ------------------------------------------------------------------
    @api.model
    def _default_date_from(self):
        return _quarter_start(self.env.company._aftersales_today())

    @api.model
    def _default_date_to(self):
        return self._default_date_from() + relativedelta(months=3, days=-1)

    @api.depends("date_from", "date_to", "company_id", "team_id")
    def _compute_kpis(self):
        for dashboard in self:
            if not (dashboard.date_from and dashboard.date_to and dashboard.company_id):
                kpis = dict.fromkeys(self._kpi_fields(), 0)
                kpis.update(
                    satisfaction_status="none",
                    complaint_ontime_status="none",
                    first_response_status="none",
                )
            else:
                kpis = self.get_kpis(
                    dashboard.date_from,
                    dashboard.date_to,
                    dashboard.company_id,
                    team=dashboard.team_id,
                )
            dashboard.update({fname: kpis[fname] or 0 for fname in self._kpi_fields()})
            dashboard.update(
                {
                    "satisfaction_status": kpis["satisfaction_status"],
                    "complaint_ontime_status": kpis["complaint_ontime_status"],
                    "first_response_status": kpis["first_response_status"],
                }
            )

    @api.model
    def _kpi_fields(self):
        return [
            "ticket_count",
            "resolved_count",
            "first_response_avg",
            "first_response_median",
            "resolution_avg",
            "resolution_median",
            "resolution_rate",
            "response_ontime_rate",
            "resolution_ontime_rate",
            "targets_met_rate",
            "complaint_count",
            "complaint_ontime_rate",
            "delivered_order_count",
            "complaint_rate",
            "customer_count",
            "repeat_customer_count",
            "repeat_purchase_rate",
            "feedback_count",
            "satisfaction_rate",
            "score_avg",
            "score_std",
            *(f"{criterion}_{stat}" for criterion in CRITERIA for stat in ("avg", "std")),
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_analysis(self):
        """The pivot of the same period, company and team."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_kpi_report_action"
        )
        start, stop = self.company_id._aftersales_day_range(self.date_from, self.date_to)
        domain = [
            ("date", ">=", start),
            ("date", "<", stop),
            ("company_id", "=", self.company_id.id),
        ]
        if self.team_id:
            domain.append(("team_id", "=", self.team_id.id))
        action["domain"] = domain
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def get_kpis(self, date_from, date_to, company, team=None):
        """P9.2 indicators of ``company`` (optionally one ``team``) for the days
        ``date_from`` to ``date_to`` included, as a dict keyed like the dashboard's
        fields, with ``None`` where there is no data. Four set-based queries;
        nothing is computed per row in Python."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if company not in self.env.companies:
            raise AccessError(
                _(
                    "You cannot see the indicators of %s: it is not one of your companies.",
                    company.display_name,
                )
            )
        # Raw SQL on the report: check the reader may read it (supervisors).
        self.env["aftersales.kpi.report"].check_access("read")
        self.env.flush_all()
        start, stop = company._aftersales_day_range(date_from, date_to)
        team_filter = SQL(" AND r.team_id = %s", team.id) if team else SQL()
        kpis = {}
        kpis.update(self._ticket_kpis(company, start, stop, team_filter))
        kpis.update(self._feedback_kpis(company, start, stop, team_filter))
        kpis.update(self._order_kpis(company, start, stop))
        kpis["complaint_rate"] = (
            100.0 * kpis["complaint_count"] / kpis["delivered_order_count"]
            if kpis["delivered_order_count"]
            else None
        )
        targets = {
            "satisfaction_status": ("satisfaction_rate", company.aftersales_target_satisfaction),
            "complaint_ontime_status": (
                "complaint_ontime_rate",
                company.aftersales_target_complaint_ontime,
            ),
            "first_response_status": (
                "response_ontime_rate",
                company.aftersales_target_first_response,
            ),
        }
        for status, (actual, target) in targets.items():
            value = kpis[actual]
            # Rates are compared rounded to 2 decimals, as they are displayed.
            kpis[status] = (
                "none" if value is None else "met" if round(value, 2) >= target else "missed"
            )
        return kpis

    @api.model
    def _ticket_kpis(self, company, start, stop, team_filter):
        row = self.env.execute_query_dict(
            SQL(
                """
            SELECT sum(r.ticket_count) AS ticket_count,
                   sum(r.resolved_count) AS resolved_count,
                   sum(r.complaint_count) AS complaint_count,
                   avg(r.first_response_hours) AS first_response_avg,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY r.first_response_hours)
                       AS first_response_median,
                   avg(r.resolution_hours) AS resolution_avg,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY r.resolution_hours)
                       AS resolution_median,
                   avg(r.resolution_rate) AS resolution_rate,
                   avg(r.response_ontime) AS response_ontime_rate,
                   avg(r.resolution_ontime) AS resolution_ontime_rate,
                   avg(r.complaint_ontime) AS complaint_ontime_rate,
                   100.0 * sum(r.target_met_count) / NULLIF(sum(r.target_count), 0)
                       AS targets_met_rate
              FROM aftersales_kpi_report r
             WHERE r.line_type = 'ticket'
               AND r.company_id = %(company)s
               AND r.date >= %(start)s AND r.date < %(stop)s
               %(team_filter)s
            """,
                company=company.id,
                start=start,
                stop=stop,
                team_filter=team_filter,
            )
        )[0]
        for count in ("ticket_count", "resolved_count", "complaint_count"):
            row[count] = row[count] or 0
        return row

    @api.model
    def _feedback_kpis(self, company, start, stop, team_filter):
        criteria = SQL(", ").join(
            SQL(
                "avg(r.%(col)s) AS %(avg)s, stddev_samp(r.%(col)s) AS %(std)s",
                col=SQL.identifier(criterion),
                avg=SQL.identifier(f"{criterion}_avg"),
                std=SQL.identifier(f"{criterion}_std"),
            )
            for criterion in CRITERIA
        )
        row = self.env.execute_query_dict(
            SQL(
                """
            SELECT count(*) AS feedback_count,
                   avg(r.satisfaction) AS satisfaction_rate,
                   avg(r.score) AS score_avg,
                   stddev_samp(r.score) AS score_std,
                   %(criteria)s
              FROM aftersales_kpi_report r
             WHERE r.line_type = 'feedback'
               AND r.company_id = %(company)s
               AND r.date >= %(start)s AND r.date < %(stop)s
               %(team_filter)s
            """,
                criteria=criteria,
                company=company.id,
                start=start,
                stop=stop,
                team_filter=team_filter,
            )
        )[0]
        return row

    @api.model
    def _order_kpis(self, company, start, stop):
        """Delivered orders and repeat purchases of the company (not per team)."""
        delivered = self.env.execute_query(
            SQL(
                """
            SELECT count(DISTINCT COALESCE('g' || p.group_id, 'p' || p.id))
              FROM stock_picking p
              JOIN stock_picking_type pt ON pt.id = p.picking_type_id
              JOIN stock_location dest ON dest.id = p.location_dest_id
             WHERE p.state = 'done'
               AND pt.code = 'outgoing'
               AND dest.usage = 'customer'
               AND p.company_id = %(company)s
               AND p.date_done >= %(start)s AND p.date_done < %(stop)s
            """,
                company=company.id,
                start=start,
                stop=stop,
            )
        )[0][0]
        customers, repeat = self.env.execute_query(
            SQL(
                """
            SELECT count(*), count(*) FILTER (WHERE orders >= 2)
              FROM (SELECT rp.commercial_partner_id, count(*) AS orders
                      FROM sale_order so
                      JOIN res_partner rp ON rp.id = so.partner_id
                     WHERE so.state = 'sale'
                       AND so.company_id = %(company)s
                       AND so.date_order >= %(start)s AND so.date_order < %(stop)s
                  GROUP BY rp.commercial_partner_id) per_customer
            """,
                company=company.id,
                start=start,
                stop=stop,
            )
        )[0]
        return {
            "delivered_order_count": delivered,
            "customer_count": customers,
            "repeat_customer_count": repeat,
            "repeat_purchase_rate": 100.0 * repeat / customers if customers else None,
        }
