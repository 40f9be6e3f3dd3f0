from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date

from ..tools.actions import window_action
from .aftersales_feedback import SERVICE_CRITERIA, TECHNICIAN_CRITERIA

#: P8.4: the criteria whose mean and standard deviation are reported.
CRITERIA = TECHNICIAN_CRITERIA + SERVICE_CRITERIA
TARGET_STATUSES = [("met", "Met"), ("missed", "Missed"), ("none", "No Data")]
PERIODS = ("month", "quarter", "year", "custom")
#: The satisfaction trend shows at least this many months, ending with the period.
TREND_MONTHS = 6
#: Problem categories shown by name in the volume chart; the rest are summed up.
TOP_CATEGORIES = 10


def _quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


class AftersalesKpiDashboard(models.AbstractModel):
    """The service indicators of P9.2 against the company's targets, with mean and
    standard deviation per feedback criterion (P8.4): the one definition of each
    KPI, read by the dashboard (``get_dashboard_data``, the ``aftersales_dashboard``
    client action), the KPI workbook (``get_kpis``) and the tests.

    Each figure is a count or a sum over a domain of records (``_figure_domains``),
    read with ``_read_group`` under the reader's rights, so that a figure drills
    down to exactly the records it counts. Definitions (the chosen period in the
    company's calendar days, its company, optionally one team):

    * tickets: tickets received in the period, archived ones and those in a
      cancelled stage excluded;
    * resolved: of those, tickets in a closing stage; resolution rate = resolved /
      tickets;
    * first response: working hours to the first response of the answered tickets,
      average and median (``percentile_cont(0.5)``: the mean of the two middle
      values for an even count);
    * resolution time: working hours to the solution of the resolved tickets,
      average and median;
    * on time: only targets that existed (a deadline) and are decided (the response
      given, the ticket solved) count; first response on time = responses within
      target / decided responses, resolution on time likewise, SLA met = met
      response and resolution targets / decided ones; complaints on time = the
      resolution on time of complaints;
    * complaint rate: complaints received per 100 delivered orders. A delivered
      order is a done delivery (outgoing transfer to a customer location) of the
      period, counted once per procurement group (a sale order and its backorders
      are one order). Below the company's minimum number of delivered orders
      (Settings) there is no rate ("no data"): one complaint on one order is not
      a 100 % complaint rate. Deliveries are not per team: with a team filter the
      rate is that team's complaints per 100 of the company's orders;
    * repeat-purchase rate: customers (commercial entities) with at least two
      confirmed sale orders dated in the period / customers with at least one;
    * satisfaction: share of the answered feedback (on tickets, repairs and
      returns, dated by the answer) rated satisfied (overall score of 4 or more);
      standard deviations are sample standard deviations (``stddev_samp``, divisor
      n - 1), none below two answers.

    A figure without data (no ticket, no feedback...) is ``None``, shown as "No
    data", never 0. The fields below are the figures' labels (the KPI workbook's
    rows); the model stores nothing.
    """

    _name = "aftersales.kpi.dashboard"
    _description = "After-Sales KPI Dashboard"

    # ------------------------------------------------------------------
    # Fields: the filters
    # ------------------------------------------------------------------
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    company_id = fields.Many2one("res.company")
    team_id = fields.Many2one("aftersales.team")

    # ------------------------------------------------------------------
    # Fields: labels of the indicators (P9.2)
    # ------------------------------------------------------------------
    ticket_count = fields.Integer(string="Tickets")
    resolved_count = fields.Integer(string="Resolved")
    first_response_avg = fields.Float(string="First Response, Average (h)")
    first_response_median = fields.Float(string="First Response, Median (h)")
    resolution_avg = fields.Float(string="Resolution Time, Average (h)")
    resolution_median = fields.Float(string="Resolution Time, Median (h)")
    resolution_rate = fields.Float(string="Resolution Rate (%)")
    response_ontime_rate = fields.Float(string="First Response on Time (%)")
    resolution_ontime_rate = fields.Float(string="Resolution on Time (%)")
    targets_met_rate = fields.Float(string="Targets Met (%)")
    complaint_count = fields.Integer(string="Complaints")
    complaint_ontime_rate = fields.Float(string="Complaints Handled on Time (%)")
    delivered_order_count = fields.Integer(string="Delivered Orders")
    complaint_rate = fields.Float(string="Complaint Rate (per 100 orders)")
    customer_count = fields.Integer(string="Ordering Customers")
    repeat_customer_count = fields.Integer(string="Repeat Customers")
    repeat_purchase_rate = fields.Float(string="Repeat-Purchase Rate (%)")
    feedback_count = fields.Integer(string="Answered Feedback")
    satisfaction_rate = fields.Float(string="Satisfaction (%)")
    score_avg = fields.Float(string="Overall Score, Mean (1-5)")
    score_std = fields.Float(string="Overall Score, Std Dev")
    technician_attitude_avg = fields.Float(string="Attitude, Mean")
    technician_attitude_std = fields.Float(string="Attitude, Std Dev")
    technician_skill_avg = fields.Float(string="Skill, Mean")
    technician_skill_std = fields.Float(string="Skill, Std Dev")
    technician_arrival_avg = fields.Float(string="Arrival Time, Mean")
    technician_arrival_std = fields.Float(string="Arrival Time, Std Dev")
    technician_promise_avg = fields.Float(string="Keeping Promises, Mean")
    technician_promise_std = fields.Float(string="Keeping Promises, Std Dev")
    service_attitude_avg = fields.Float(string="Service Attitude, Mean")
    service_attitude_std = fields.Float(string="Service Attitude, Std Dev")
    response_speed_avg = fields.Float(string="Response Speed, Mean")
    response_speed_std = fields.Float(string="Response Speed, Std Dev")
    resolution_efficiency_avg = fields.Float(string="Resolution Efficiency, Mean")
    resolution_efficiency_std = fields.Float(string="Resolution Efficiency, Std Dev")
    satisfaction_status = fields.Selection(TARGET_STATUSES, string="Satisfaction")
    complaint_ontime_status = fields.Selection(TARGET_STATUSES, string="Complaints on Time")
    first_response_status = fields.Selection(TARGET_STATUSES, string="First Response on Time")
    resolution_ontime_status = fields.Selection(TARGET_STATUSES, string="Resolution on Time")
    complaint_rate_status = fields.Selection(TARGET_STATUSES, string="Complaint Rate")

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------
    @api.model
    def _default_date_from(self):
        return _quarter_start(self.env.company._aftersales_today())

    @api.model
    def _default_date_to(self):
        return self._default_date_from() + relativedelta(months=3, days=-1)

    @api.model
    def _period_dates(self, period, company, date_from=None, date_to=None):
        """First and last day of the company's current month, quarter or year, or
        of the custom period ``date_from``..``date_to``."""
        today = company._aftersales_today()
        if period == "month":
            start = today.replace(day=1)
            return start, start + relativedelta(months=1, days=-1)
        if period == "quarter":
            start = _quarter_start(today)
            return start, start + relativedelta(months=3, days=-1)
        if period == "year":
            return today.replace(month=1, day=1), today.replace(month=12, day=31)
        if period != "custom":
            raise UserError(self.env._("Unknown period %s.", period))
        start, stop = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if not (start and stop):
            raise UserError(self.env._("Choose the first and the last day of the period."))
        if start > stop:
            raise UserError(
                self.env._(
                    "The period starts on %(start)s, after its end %(stop)s: set a start "
                    "date on or before the end date.",
                    start=start,
                    stop=stop,
                )
            )
        return start, stop

    @api.model
    def _period_label(self, period, date_from, date_to):
        if period == "month":
            return format_date(self.env, date_from, date_format="MMMM y")
        if period == "quarter":
            return self.env._(
                "Q%(quarter)s %(year)s", quarter=(date_from.month - 1) // 3 + 1, year=date_from.year
            )
        if period == "year":
            return str(date_from.year)
        return self.env._(
            "%(start)s to %(stop)s",
            start=format_date(self.env, date_from),
            stop=format_date(self.env, date_to),
        )

    # ------------------------------------------------------------------
    # Definitions: the records behind each figure
    # ------------------------------------------------------------------
    @api.model
    def _figure_domains(self, date_from, date_to, company, team=None):
        """``{figure: (model, domain)}``: the records each count or sum of the
        indicators is taken over (see the class docstring)."""
        start, stop = company._aftersales_day_range(date_from, date_to)
        team_domain = [("team_id", "=", team.id)] if team else []
        tickets = [
            ("company_id", "=", company.id),
            ("received_at", ">=", start),
            ("received_at", "<", stop),
            ("stage_id.is_cancelled", "=", False),
            *team_domain,
        ]
        responded = [*tickets, ("sla_first_response_at", "!=", False)]
        response_decided = [*responded, ("sla_response_deadline", "!=", False)]
        solved = [*tickets, ("is_closed", "=", True), ("sla_solved_at", "!=", False)]
        resolution_decided = [*solved, ("sla_resolution_deadline", "!=", False)]
        complaint = [("ticket_type", "=", "complaint")]
        met_response = [("sla_response_ontime", ">=", 100)]
        met_resolution = [("sla_resolution_ontime", ">=", 100)]

        def missed(ontime):
            # The ORM may leave the column NULL when 0 (missed) is written over NULL;
            # Odoo compares a NULL number as 0, so "< 100" takes it in.
            return [(ontime, "<", 100)]

        feedback = [
            ("company_id", "=", company.id),
            ("state", "=", "answered"),
            ("answered_at", ">=", start),
            ("answered_at", "<", stop),
            *team_domain,
        ]
        ticket, fb = "aftersales.ticket", "aftersales.feedback"
        return {
            "tickets": (ticket, tickets),
            "resolved": (ticket, [*tickets, ("is_closed", "=", True)]),
            "complaints": (ticket, [*tickets, *complaint]),
            "responded": (ticket, responded),
            "solved": (ticket, solved),
            "response_decided": (ticket, response_decided),
            "response_met": (ticket, [*response_decided, *met_response]),
            "response_missed": (ticket, [*response_decided, *missed("sla_response_ontime")]),
            "resolution_decided": (ticket, resolution_decided),
            "resolution_met": (ticket, [*resolution_decided, *met_resolution]),
            "resolution_missed": (
                ticket,
                [*resolution_decided, *missed("sla_resolution_ontime")],
            ),
            "complaint_decided": (ticket, [*resolution_decided, *complaint]),
            "complaint_met": (ticket, [*resolution_decided, *complaint, *met_resolution]),
            "feedback": (fb, feedback),
            "satisfied": (fb, [*feedback, ("is_satisfied", "=", True)]),
            "deliveries": (
                "stock.picking",
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "done"),
                    ("picking_type_code", "=", "outgoing"),
                    ("location_dest_id.usage", "=", "customer"),
                    ("date_done", ">=", start),
                    ("date_done", "<", stop),
                ],
            ),
            "sale_orders": (
                "sale.order",
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "sale"),
                    ("date_order", ">=", start),
                    ("date_order", "<", stop),
                ],
            ),
        }

    # ------------------------------------------------------------------
    # Indicators (P9.2, P8.4)
    # ------------------------------------------------------------------
    @api.model
    def _check_reader(self, company, team=None):
        if company not in self.env.companies:
            raise AccessError(
                self.env._(
                    "You cannot see the indicators of %s: it is not one of your companies.",
                    company.display_name,
                )
            )
        # The indicators are the supervisors' (the KPI analysis' readers).
        self.env["aftersales.kpi.report"].check_access("read")
        if team:
            team.check_access("read")
            if team.company_id and team.company_id != company:
                raise UserError(
                    self.env._(
                        "Team %(team)s works for %(company)s.",
                        team=team.display_name,
                        company=team.company_id.display_name,
                    )
                )

    @api.model
    def get_kpis(self, date_from, date_to, company, team=None):
        """P9.2 indicators of ``company`` (optionally one ``team``) for the days
        ``date_from`` to ``date_to`` included, as a dict keyed like the labels above,
        with ``None`` where there is no data. Grouped reads of the records (a few
        queries, nothing per record), the medians and standard deviations in SQL on
        the same records."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        team = team or None
        self._check_reader(company, team)
        domains = self._figure_domains(date_from, date_to, company, team)
        count = self._count(domains)
        kpis = {
            "ticket_count": count("tickets"),
            "resolved_count": count("resolved"),
            "complaint_count": count("complaints"),
        }
        responded, solved = count("responded"), count("solved")
        met = count("response_met") + count("resolution_met")
        decided = count("response_decided") + count("resolution_decided")
        kpis.update(
            first_response_avg=self._ratio(
                self._sum(domains, "responded", "sla_response_time"), responded
            ),
            resolution_avg=self._ratio(self._sum(domains, "solved", "sla_resolution_time"), solved),
            first_response_median=self._median(domains, "responded", "sla_response_time"),
            resolution_median=self._median(domains, "solved", "sla_resolution_time"),
            resolution_rate=self._percent(kpis["resolved_count"], kpis["ticket_count"]),
            response_ontime_rate=self._percent(count("response_met"), count("response_decided")),
            resolution_ontime_rate=self._percent(
                count("resolution_met"), count("resolution_decided")
            ),
            targets_met_rate=self._percent(met, decided),
            complaint_ontime_rate=self._percent(count("complaint_met"), count("complaint_decided")),
            # The counts behind the rates, for the cards' details.
            targets_met_count=met,
            targets_decided_count=decided,
            complaint_decided_count=count("complaint_decided"),
        )
        kpis.update(self._feedback_kpis(domains, count))
        kpis.update(self._order_kpis(domains))
        kpis["complaint_rate"] = self._complaint_rate(
            kpis["complaint_count"], kpis["delivered_order_count"], company
        )
        kpis.update(self._statuses(kpis, company))
        return kpis

    @api.model
    def _count(self, domains):
        """``count(figure)``: the number of records of a figure, each read once."""
        counts = {}

        def count(figure):
            if figure not in counts:
                model, domain = domains[figure]
                counts[figure] = self.env[model].search_count(domain)
            return counts[figure]

        return count

    @api.model
    def _sum(self, domains, figure, field_name):
        """Sum of ``field_name`` over a figure's records. A sum, not ``avg``: the ORM
        leaves a float column NULL when 0.0 is written over NULL, and an instant
        response (0 h) must count in the average as 0, which sum / count does."""
        model, domain = domains[figure]
        [(total,)] = self.env[model]._read_group(domain, [], [f"{field_name}:sum"])
        return total or 0.0

    @api.model
    def _median(self, domains, figure, field_name):
        model, domain = domains[figure]
        query = self.env[model]._search(domain)
        column = SQL("COALESCE(%s, 0)", SQL.identifier(query.table, field_name))
        [(median,)] = self.env.execute_query(
            query.select(SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)", column))
        )
        return median

    @staticmethod
    def _ratio(part, whole):
        return part / whole if whole else None

    @staticmethod
    def _percent(part, whole):
        return 100.0 * part / whole if whole else None

    @api.model
    def _feedback_kpis(self, domains, count):
        """Satisfaction share, overall score and the seven criteria (P8.2, P8.4); a
        criterion's mean and sample standard deviation skip the answers without it."""
        answered = count("feedback")
        result = {
            "feedback_count": answered,
            "satisfaction_rate": self._percent(count("satisfied"), answered),
        }
        model, domain = domains["feedback"]
        query = self.env[model]._search(domain)

        def column(name):
            col = SQL.identifier(query.table, name)
            if name in TECHNICIAN_CRITERIA:
                return SQL("%s::float", col)
            if name in SERVICE_CRITERIA:
                return SQL("NULLIF(%s, 0)::float", col)
            return SQL("COALESCE(%s, 0)", col)

        names = ["score", *CRITERIA]
        stats = SQL(", ").join(
            SQL("avg(%(col)s), stddev_samp(%(col)s)", col=column(name)) for name in names
        )
        [row] = self.env.execute_query(query.select(stats))
        for index, name in enumerate(names):
            result[f"{name}_avg"], result[f"{name}_std"] = row[2 * index : 2 * index + 2]
        return result

    @api.model
    def _order_kpis(self, domains):
        """Delivered orders and repeat purchases of the company (not per team)."""
        model, domain = domains["deliveries"]
        delivered = 0
        for group, pickings in self.env[model]._read_group(domain, ["group_id"], ["__count"]):
            # Deliveries of one procurement group are one order; without one, each is.
            delivered += 1 if group else pickings
        # Counts only, of the company named in the domain: sales reps' documents are
        # not the supervisors' to read, their number is.
        model, domain = domains["sale_orders"]
        orders = self.env[model].sudo()._read_group(domain, ["partner_id"], ["__count"])
        per_customer = {}
        for partner, number in orders:
            commercial = partner.commercial_partner_id
            per_customer[commercial] = per_customer.get(commercial, 0) + number
        customers = len(per_customer)
        repeat = sum(1 for number in per_customer.values() if number >= 2)
        return {
            "delivered_order_count": delivered,
            "customer_count": customers,
            "repeat_customer_count": repeat,
            "repeat_purchase_rate": self._percent(repeat, customers),
        }

    @api.model
    def _complaint_rate(self, complaints, delivered_orders, company):
        """Complaints per 100 delivered orders, or None below the company's minimum
        sample of delivered orders (and without any)."""
        minimum = max(company.aftersales_kpi_min_orders, 1)
        if delivered_orders < minimum:
            return None
        return 100.0 * complaints / delivered_orders

    @api.model
    def _targets(self, company):
        """``{indicator: (target, status key, higher is better)}`` from Settings."""
        return {
            "satisfaction_rate": (
                company.aftersales_target_satisfaction,
                "satisfaction_status",
                True,
            ),
            "complaint_ontime_rate": (
                company.aftersales_target_complaint_ontime,
                "complaint_ontime_status",
                True,
            ),
            "response_ontime_rate": (
                company.aftersales_target_first_response,
                "first_response_status",
                True,
            ),
            "resolution_ontime_rate": (
                company.aftersales_target_resolution_ontime,
                "resolution_ontime_status",
                True,
            ),
            "complaint_rate": (
                company.aftersales_target_complaint_rate,
                "complaint_rate_status",
                False,
            ),
        }

    @api.model
    def _statuses(self, kpis, company):
        statuses = {}
        for indicator, (target, status, higher) in self._targets(company).items():
            value = kpis[indicator]
            if value is None:
                statuses[status] = "none"
                continue
            # Compared rounded to 2 decimals, as they are displayed.
            value = round(value, 2)
            statuses[status] = (
                "met" if (value >= target if higher else value <= target) else "missed"
            )
        return statuses

    # ------------------------------------------------------------------
    # The dashboard (client action ``aftersales_dashboard``)
    # ------------------------------------------------------------------
    @api.model
    def get_dashboard_data(self, period="quarter", team_id=False, date_from=False, date_to=False):
        """Everything the dashboard shows for the current company, ``period``
        (month, quarter, year or custom with ``date_from`` and ``date_to``) and
        optionally one team: its filters, KPI cards and charts, each with the
        window action listing the records behind it."""
        company = self.env.company
        team = self.env["aftersales.team"].browse(team_id) if team_id else None
        if team and not team.exists():
            raise UserError(self.env._("This team does not exist any more."))
        date_from, date_to = self._period_dates(period, company, date_from, date_to)
        kpis = self.get_kpis(date_from, date_to, company, team)
        domains = self._figure_domains(date_from, date_to, company, team)
        label = self._period_label(period, date_from, date_to)
        if team:
            label = self.env._("%(period)s, %(team)s", period=label, team=team.display_name)
        drill = self._drill_factory(domains, label)
        return {
            "period": period,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "label": label,
            "team_id": team.id if team else False,
            "teams": [
                {"id": t.id, "name": t.display_name}
                for t in self.env["aftersales.team"].search(
                    [("company_id", "in", (company.id, False))], order="name"
                )
            ],
            "cards": self._cards(kpis, company, drill),
            "criteria": self._criteria(kpis),
            "feedback_action": drill(self.env._("Answered feedback"), "feedback"),
            "charts": self._charts(domains, date_from, date_to, company, team, drill),
        }

    @api.model
    def _drill_factory(self, domains, label):
        """``drill(title, figure, extra_domain)``: the window action of a figure's
        records, named after it and the period (its breadcrumb)."""

        def drill(title, figure, extra=None, views=("list", "form")):
            model, domain = domains[figure]
            if extra:
                domain = expression.AND([domain, extra])
            return self._window_action(
                self.env._("%(figure)s · %(period)s", figure=title, period=label),
                model,
                domain,
                views,
            )

        return drill

    @api.model
    def _window_action(self, name, model, domain, views=("list", "form")):
        return window_action(
            model,
            name=name,
            views=views,
            domain=domain,
            target="current",
            context={"create": False},
        )

    @api.model
    def _cards(self, kpis, company, drill):
        """The KPI cards: value, kind (how the client formats it), target and status,
        a line of detail, and the records behind the figure."""
        targets = self._targets(company)
        hours = self.env["aftersales.figures"]._format_hours

        def card(key, title, value, kind, action, detail, indicator=None):
            target, status, higher = targets.get(indicator, (None, None, True))
            return {
                "key": key,
                "title": title,
                "value": value,
                "kind": kind,
                "target": target,
                "target_higher": higher,
                "status": kpis[status] if status else False,
                "detail": detail,
                "action": action,
            }

        def times(avg, median):
            if avg is None:
                return self.env._("No data")
            return self.env._(
                "Average %(avg)s, median %(median)s", avg=hours(avg), median=hours(median)
            )

        decided = [
            [("sla_first_response_at", "!=", False), ("sla_response_deadline", "!=", False)],
            [
                ("is_closed", "=", True),
                ("sla_solved_at", "!=", False),
                ("sla_resolution_deadline", "!=", False),
            ],
        ]
        # Formatted here: a formatted string inside the call hides the rest of the
        # file from the translation extractor.
        score = f"{kpis['score_avg']:.2f}" if kpis["feedback_count"] else ""
        return [
            card(
                "tickets",
                self.env._("Tickets Received"),
                kpis["ticket_count"],
                "count",
                drill(self.env._("Tickets received"), "tickets"),
                self.env._("Complaints: %(complaints)s", complaints=kpis["complaint_count"]),
            ),
            card(
                "resolution_rate",
                self.env._("Resolution Rate"),
                kpis["resolution_rate"],
                "percent",
                drill(self.env._("Resolved tickets"), "resolved"),
                self.env._(
                    "Resolved: %(resolved)s of %(tickets)s",
                    resolved=kpis["resolved_count"],
                    tickets=kpis["ticket_count"],
                ),
            ),
            card(
                "first_response",
                self.env._("First Response on Time"),
                kpis["response_ontime_rate"],
                "percent",
                drill(self.env._("Tickets answered"), "responded"),
                times(kpis["first_response_avg"], kpis["first_response_median"]),
                "response_ontime_rate",
            ),
            card(
                "resolution",
                self.env._("Resolution on Time"),
                kpis["resolution_ontime_rate"],
                "percent",
                drill(self.env._("Tickets solved"), "solved"),
                times(kpis["resolution_avg"], kpis["resolution_median"]),
                "resolution_ontime_rate",
            ),
            card(
                "sla_met",
                self.env._("SLA Targets Met"),
                kpis["targets_met_rate"],
                "percent",
                drill(
                    self.env._("Tickets with a decided target"), "tickets", expression.OR(decided)
                ),
                self.env._(
                    "Response and resolution targets met: %(met)s of %(decided)s",
                    met=kpis["targets_met_count"],
                    decided=kpis["targets_decided_count"],
                ),
            ),
            card(
                "complaints",
                self.env._("Complaints Handled on Time"),
                kpis["complaint_ontime_rate"],
                "percent",
                drill(self.env._("Complaints"), "complaints"),
                self.env._(
                    "Complaints: %(count)s, solved: %(solved)s",
                    count=kpis["complaint_count"],
                    solved=kpis["complaint_decided_count"],
                ),
                "complaint_ontime_rate",
            ),
            card(
                "complaint_rate",
                self.env._("Complaint Rate (per 100 orders)"),
                kpis["complaint_rate"],
                "rate",
                drill(self.env._("Delivered orders"), "deliveries"),
                self.env._(
                    "Complaints: %(complaints)s, delivered orders: %(orders)s",
                    complaints=kpis["complaint_count"],
                    orders=kpis["delivered_order_count"],
                )
                if kpis["complaint_rate"] is not None
                else self.env._(
                    "Delivered orders: %(orders)s, fewer than the %(minimum)s a rate needs",
                    orders=kpis["delivered_order_count"],
                    minimum=max(company.aftersales_kpi_min_orders, 1),
                ),
                "complaint_rate",
            ),
            card(
                "satisfaction",
                self.env._("Satisfaction"),
                kpis["satisfaction_rate"],
                "percent",
                drill(self.env._("Answered feedback"), "feedback"),
                self.env._(
                    "Answers: %(count)s, mean score %(score)s / 5",
                    count=kpis["feedback_count"],
                    score=score,
                )
                if kpis["feedback_count"]
                else self.env._("No feedback answered"),
                "satisfaction_rate",
            ),
        ]

    @api.model
    def _criteria(self, kpis):
        """P8.4: mean and sample standard deviation of each feedback criterion."""
        Feedback = self.env["aftersales.feedback"]
        rows = []
        for criterion in ("score", *CRITERIA):
            if criterion == "score":
                label, scale = self.env._("Overall score"), "1-5"
            else:
                label = Feedback._fields[criterion]._description_string(self.env)
                scale = "1-4" if criterion in TECHNICIAN_CRITERIA else "1-5"
            rows.append(
                {
                    "key": criterion,
                    "label": label,
                    "scale": scale,
                    "avg": kpis[f"{criterion}_avg"],
                    "std": kpis[f"{criterion}_std"],
                }
            )
        return rows

    @api.model
    def _charts(self, domains, date_from, date_to, company, team, drill):
        """The charts' data as Chart.js takes it (labels, datasets) with, for each
        point, the records behind it (``actions[dataset][point]``)."""
        return {
            "channel": self._chart_by_channel(domains, drill),
            "category": self._chart_by_category(domains, drill),
            "times": self._chart_times(domains, drill),
            "satisfaction": self._chart_satisfaction(date_from, date_to, company, team),
            "sla": self._chart_sla(domains, drill),
        }

    @api.model
    def _selection_labels(self, model, field_name):
        return dict(self.env[model]._fields[field_name]._description_selection(self.env))

    @api.model
    def _chart_by_channel(self, domains, drill):
        model, domain = domains["tickets"]
        channels = self._selection_labels(model, "channel")
        groups = self.env[model]._read_group(domain, ["channel"], ["__count"])
        groups.sort(
            key=lambda group: list(channels).index(group[0]) if group[0] in channels else 99
        )
        labels = [channels.get(channel) or self.env._("Not set") for channel, _count in groups]
        return {
            "type": "bar",
            "labels": labels,
            "datasets": [{"label": self.env._("Tickets"), "data": [count for _c, count in groups]}],
            "actions": [
                [
                    drill(
                        self.env._("Tickets by channel: %s", label),
                        "tickets",
                        [("channel", "=", channel)],
                    )
                    for (channel, _count), label in zip(groups, labels, strict=True)
                ]
            ],
        }

    @api.model
    def _chart_by_category(self, domains, drill):
        model, domain = domains["tickets"]
        groups = self.env[model]._read_group(
            domain, ["category_id"], ["__count"], order="__count desc"
        )
        shown, rest = groups[:TOP_CATEGORIES], groups[TOP_CATEGORIES:]
        labels = [
            category.display_name or self.env._("Uncategorised") for category, _count in shown
        ]
        data = [count for _category, count in shown]
        actions = [
            drill(
                self.env._("Tickets by category: %s", label),
                "tickets",
                [("category_id", "=", category.id or False)],
            )
            for (category, _count), label in zip(shown, labels, strict=True)
        ]
        if rest:
            others = [category.id for category, _count in rest if category]
            labels.append(self.env._("Other categories"))
            data.append(sum(count for _category, count in rest))
            actions.append(
                drill(
                    self.env._("Tickets of other categories"),
                    "tickets",
                    [("category_id", "in", others)],
                )
            )
        return {
            "type": "bar",
            "labels": labels,
            "datasets": [{"label": self.env._("Tickets"), "data": data}],
            "actions": [actions],
            "horizontal": True,
        }

    @api.model
    def _chart_times(self, domains, drill):
        """Average first-response and resolution working hours per channel, next to
        the average of their targets (the tickets' own SLA targets)."""
        channels = self._selection_labels("aftersales.ticket", "channel")
        series = {}
        for figure, time_field, target_field in (
            ("responded", "sla_response_time", "sla_response_target"),
            ("solved", "sla_resolution_time", "sla_resolution_target"),
        ):
            model, domain = domains[figure]
            for channel, count, total, target in self.env[model]._read_group(
                domain, ["channel"], ["__count", f"{time_field}:sum", f"{target_field}:sum"]
            ):
                series[figure, channel] = (total / count, target / count)
        keys = [key for key in channels if any(channel == key for _f, channel in series)]
        keys += [key for _f, key in series if key not in channels and key not in keys]
        labels = [channels.get(key) or self.env._("Not set") for key in keys]

        def values(figure, index):
            return [
                round(series[figure, key][index], 2) if (figure, key) in series else None
                for key in keys
            ]

        def actions(figure, title):
            return [
                drill(
                    self.env._("%(figure)s: %(channel)s", figure=title, channel=label),
                    figure,
                    [("channel", "=", key)],
                )
                for key, label in zip(keys, labels, strict=True)
            ]

        answered, solved = self.env._("Tickets answered"), self.env._("Tickets solved")
        return {
            "type": "bar",
            "labels": labels,
            "hours": True,
            "datasets": [
                {
                    "label": self.env._("First response"),
                    "data": values("responded", 0),
                    "color": 0,
                },
                {
                    "label": self.env._("Response target"),
                    "data": values("responded", 1),
                    "target": True,
                    "color": 0,
                },
                {"label": self.env._("Resolution"), "data": values("solved", 0), "color": 3},
                {
                    "label": self.env._("Resolution target"),
                    "data": values("solved", 1),
                    "target": True,
                    "color": 3,
                },
            ],
            "actions": [
                actions("responded", answered),
                actions("responded", answered),
                actions("solved", solved),
                actions("solved", solved),
            ],
        }

    @api.model
    def _trend_months(self, date_from, date_to):
        """First days of the months of the period, at least TREND_MONTHS of them
        ending with the period's last month."""
        last = date_to.replace(day=1)
        first = min(date_from.replace(day=1), last - relativedelta(months=TREND_MONTHS - 1))
        months = []
        while first <= last:
            months.append(first)
            first += relativedelta(months=1)
        return months

    @api.model
    def _chart_satisfaction(self, date_from, date_to, company, team):
        """Share of satisfied answers per month (the company's months), with the
        target; a month without answers has no point."""
        months = self._trend_months(date_from, date_to)
        month_end = months[-1] + relativedelta(months=1, days=-1)
        domains = self._figure_domains(months[0], month_end, company, team)
        model, domain = domains["feedback"]
        # Months of the company's calendar, not of the reader's time zone.
        groups = (
            self.env[model]
            .with_context(tz=company._aftersales_tz_name())
            ._read_group(domain, ["answered_at:month", "is_satisfied"], ["__count"])
        )
        answered, satisfied = {}, {}
        for month, is_satisfied, count in groups:
            key = month.date() if hasattr(month, "date") else month
            answered[key] = answered.get(key, 0) + count
            if is_satisfied:
                satisfied[key] = satisfied.get(key, 0) + count
        data, actions = [], []
        for month in months:
            data.append(
                round(100.0 * satisfied.get(month, 0) / answered[month], 1)
                if answered.get(month)
                else None
            )
            last_day = month + relativedelta(months=1, days=-1)
            month_model, month_domain = self._figure_domains(month, last_day, company, team)[
                "feedback"
            ]
            name = format_date(self.env, month, date_format="MMMM y")
            if team:
                name = self.env._("%(period)s, %(team)s", period=name, team=team.display_name)
            actions.append(
                self._window_action(
                    self.env._("Answered feedback · %s", name), month_model, month_domain
                )
            )
        target = company.aftersales_target_satisfaction
        return {
            "type": "line",
            "labels": [format_date(self.env, month, date_format="MMM y") for month in months],
            "percent": True,
            "datasets": [
                {"label": self.env._("Satisfied (%)"), "data": data, "color": 2},
                {
                    "label": self.env._("Target"),
                    "data": [target] * len(months),
                    "dashed": True,
                    "color": 1,
                },
            ],
            "actions": [actions, actions],
        }

    @api.model
    def _chart_sla(self, domains, drill):
        """Response and resolution targets met and missed (decided ones)."""
        count = self._count(domains)
        figures = (
            (self.env._("Responses on time"), "response_met"),
            (self.env._("Responses late"), "response_missed"),
            (self.env._("Resolutions on time"), "resolution_met"),
            (self.env._("Resolutions late"), "resolution_missed"),
        )
        return {
            "type": "doughnut",
            "labels": [label for label, _figure in figures],
            "datasets": [
                {
                    "label": self.env._("Targets"),
                    "data": [count(figure) for _label, figure in figures],
                    "colors": ["met", "missed", "met_dark", "missed_dark"],
                }
            ],
            "actions": [[drill(label, figure) for label, figure in figures]],
        }
