"""P9.2 / P8.4: the service dashboard (client action ``aftersales_dashboard``) and
its one server method, ``aftersales.kpi.dashboard.get_dashboard_data``.

The dataset (March 2025, Shanghai time, team "Shanghai Service Centre"):

=====  =========  =======  ========  =======  ==========  =======  ==========
ticket type       channel  response  on time  resolution  on time  category
=====  =========  =======  ========  =======  ==========  =======  ==========
T1     service    phone    1.0 h     yes      10 h        yes      noise
T2     service    web      3.0 h     no       20 h        no       (none)
T3     service    phone    2.0 h     yes      (open)      -        noise
T4     complaint  email    0.5 h     yes      6 h         yes      (none)
T5     complaint  phone    0 h       yes      (open)      -        (none)
=====  =========  =======  ========  =======  ==========  =======  ==========

T5 was answered at once: its 0 h response is stored as NULL by the ORM and must
count as 0 in the average. Noise that must not count: a ticket in a cancelled
stage, an archived one, one received in April and one of another team.

Feedback: F1 on T1 (satisfied) on 03-04, F2 on T2 (not satisfied) on 03-05, F3 on
T4 answered at 00:30 on 1 April in Shanghai (16:30 UTC on 31 March): April's.
One delivered order in March.

Every figure is checked against the records read independently (SQL on the
tables, or the KPI analysis view).
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import SQL

from .common import AftersalesDeskCase

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


@tagged("post_install", "-at_install", "aftersales")
class TestDashboard(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.noise = cls.env.ref("aftersales_service.aftersales_category_fault_noise")
        cls._march_tickets()
        cls.t5 = cls._sla_ticket("2025-03-07 09:00", (0.0, True), None, complaint=True)
        (cls.t1 | cls.t3).category_id = cls.noise
        cls.t2.channel = "web"
        cls.t4.channel = "email"
        cancelled = cls._sla_ticket("2025-03-10 09:00", (9.0, False), None)
        cancelled.stage_id = cls.env.ref("aftersales_service.aftersales_stage_cancelled")
        cls._sla_ticket("2025-03-11 09:00", (9.0, False), None).active = False
        cls._sla_ticket("2025-04-02 09:00", (9.0, False), (90.0, False))
        cls._sla_ticket("2025-03-12 09:00", (6.0, False), None, team=cls.other_team)

        cls.f1 = cls._feedback(cls.t1, "2025-03-04 10:00", ("4", "4", "3", "4"), (5, 4, 5))
        cls.f2 = cls._feedback(cls.t2, "2025-03-05 10:00", ("2", "1", "2", "2"), (2, 2, 3))
        cls.f3 = cls._feedback(cls.t4, "2025-04-01 00:30", ("4", "4", "4", "4"), (5, 5, 5))
        cls.delivery = cls.done_delivery(cls.customer, cls.product, datetime(2025, 3, 10, 2, 0))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def data(self, user=None, period="custom", team=None, dates=MARCH):
        team = self.team if team is None else team
        dashboard = self.env["aftersales.kpi.dashboard"].with_user(user or self.supervisor)
        return dashboard.with_company(self.company).get_dashboard_data(
            period,
            team_id=team.id,
            date_from=dates[0] if period == "custom" else False,
            date_to=dates[1] if period == "custom" else False,
        )

    def cards(self, data=None):
        return {card["key"]: card for card in (data or self.data())["cards"]}

    def sql_tickets(self, team=None):
        """The March ticket figures straight from the tables."""
        team = team or self.team
        start, stop = self.company._aftersales_day_range(*MARCH)
        self.env.flush_all()
        [row] = self.env.execute_query_dict(
            SQL(
                """
            SELECT count(*) AS tickets,
                   count(*) FILTER (WHERE t.is_closed) AS resolved,
                   count(*) FILTER (WHERE t.ticket_type = 'complaint') AS complaints,
                   avg(COALESCE(t.sla_response_time, 0))
                       FILTER (WHERE t.sla_first_response_at IS NOT NULL) AS response_avg,
                   avg(COALESCE(t.sla_resolution_time, 0))
                       FILTER (WHERE t.is_closed AND t.sla_solved_at IS NOT NULL)
                       AS resolution_avg,
                   100.0 * count(*) FILTER (WHERE t.sla_response_ontime >= 100
                                              AND t.sla_first_response_at IS NOT NULL)
                       / NULLIF(count(*) FILTER (WHERE t.sla_first_response_at IS NOT NULL
                                                  AND t.sla_response_deadline IS NOT NULL), 0)
                       AS response_ontime,
                   100.0 * count(*) FILTER (WHERE t.is_closed AND t.sla_resolution_ontime >= 100)
                       / NULLIF(count(*) FILTER (WHERE t.is_closed
                                                  AND t.sla_resolution_deadline IS NOT NULL), 0)
                       AS resolution_ontime
              FROM aftersales_ticket t
              JOIN aftersales_stage s ON s.id = t.stage_id
             WHERE t.company_id = %(company)s AND t.team_id = %(team)s AND t.active
               AND NOT COALESCE(s.is_cancelled, FALSE)
               AND t.received_at >= %(start)s AND t.received_at < %(stop)s
            """,
                company=self.company.id,
                team=team.id,
                start=start,
                stop=stop,
            )
        )
        return row

    # ------------------------------------------------------------------
    # Figures against the records (P9.2)
    # ------------------------------------------------------------------
    def test_p9_2_ticket_cards_equal_the_tickets_counted_in_sql(self):
        """P9.2: 5 tickets, 2 resolved (cancelled, archived, April and other-team
        tickets left out), first response and resolution on time as in the tables."""
        cards, sql = self.cards(), self.sql_tickets()
        self.assertEqual((sql["tickets"], sql["resolved"], sql["complaints"]), (5, 3, 2))
        self.assertEqual(cards["tickets"]["value"], sql["tickets"])
        self.assertAlmostEqual(
            cards["resolution_rate"]["value"], 100.0 * sql["resolved"] / sql["tickets"]
        )
        self.assertAlmostEqual(cards["first_response"]["value"], sql["response_ontime"])
        self.assertAlmostEqual(cards["first_response"]["value"], 80.0)
        self.assertAlmostEqual(cards["resolution"]["value"], sql["resolution_ontime"])

    def test_p9_2_an_instant_response_counts_as_0_hours_in_the_average(self):
        """P9.2: (1 + 3 + 2 + 0.5 + 0) / 5 = 1.3 h: T5's 0 h (NULL in the table) counts."""
        kpis = (
            self.env["aftersales.kpi.dashboard"]
            .with_user(self.supervisor)
            .get_kpis(*MARCH, self.company, self.team)
        )
        self.assertAlmostEqual(kpis["first_response_avg"], self.sql_tickets()["response_avg"])
        self.assertAlmostEqual(kpis["first_response_avg"], 1.3)
        self.assertAlmostEqual(kpis["resolution_avg"], 12.0)
        self.assertIn("01:18", self.cards()["first_response"]["detail"])

    def test_p9_2_dashboard_equals_the_kpi_analysis_view(self):
        """P9.2: the cards equal the KPI analysis (SQL view) averaged over March."""
        start, stop = self.company._aftersales_day_range(*MARCH)
        Report = self.env["aftersales.kpi.report"].with_user(self.supervisor)
        domain = [("date", ">=", start), ("date", "<", stop), ("team_id", "=", self.team.id)]
        [(tickets, response, resolution, complaints, met, decided)] = Report._read_group(
            [*domain, ("line_type", "=", "ticket")],
            [],
            [
                "ticket_count:sum",
                "response_ontime:avg",
                "resolution_ontime:avg",
                "complaint_ontime:avg",
                "target_met_count:sum",
                "target_count:sum",
            ],
        )
        [(satisfaction,)] = Report._read_group(
            [*domain, ("line_type", "=", "feedback")], [], ["satisfaction:avg"]
        )
        cards = self.cards()
        self.assertEqual(cards["tickets"]["value"], tickets)
        self.assertAlmostEqual(cards["first_response"]["value"], response)
        self.assertAlmostEqual(cards["resolution"]["value"], resolution)
        self.assertAlmostEqual(cards["complaints"]["value"], complaints)
        self.assertAlmostEqual(cards["sla_met"]["value"], 100.0 * met / decided)
        self.assertAlmostEqual(cards["satisfaction"]["value"], satisfaction)
        self.assertAlmostEqual(cards["satisfaction"]["value"], 50.0)

    def test_p9_2_volume_charts_equal_the_tickets_grouped_in_sql(self):
        """P9.2: tickets by channel (phone 3, web 1, e-mail 1) and by category."""
        charts = self.data()["charts"]
        channel = dict(
            zip(charts["channel"]["labels"], charts["channel"]["datasets"][0]["data"], strict=True)
        )
        self.assertEqual(channel, {"Phone": 3, "Web / Portal": 1, "E-mail": 1})
        category = dict(
            zip(
                charts["category"]["labels"], charts["category"]["datasets"][0]["data"], strict=True
            )
        )
        self.assertEqual(category, {self.noise.display_name: 2, "Uncategorised": 3})

    def test_p9_2_satisfaction_trend_counts_months_on_the_shanghai_calendar(self):
        """P9.2, P8.4: F3 answered at 00:30 on 1 April in Shanghai is April's point
        (100 %), March has F1 and F2 (50 %); months without answers have none."""
        chart = self.data(dates=(date(2025, 3, 1), date(2025, 4, 30)))["charts"]["satisfaction"]
        points = dict(zip(chart["labels"], chart["datasets"][0]["data"], strict=True))
        self.assertEqual(len(chart["labels"]), 6)
        self.assertEqual(points["Mar 2025"], 50.0)
        self.assertEqual(points["Apr 2025"], 100.0)
        self.assertIsNone(points["Feb 2025"])
        self.assertEqual(chart["datasets"][1]["data"][-1], 90.0)

    def test_p9_2_times_chart_sets_averages_against_their_targets(self):
        """P9.2, P6.3: per channel, the average response and resolution hours next to
        the average of the tickets' targets; phone: (1 + 2 + 0) / 3 = 1 h for 2 h."""
        chart = self.data()["charts"]["times"]
        phone = chart["labels"].index("Phone")
        response, response_target, resolution = (chart["datasets"][i]["data"] for i in (0, 1, 2))
        self.assertAlmostEqual(response[phone], 1.0)
        self.assertAlmostEqual(response_target[phone], 2.0)
        self.assertAlmostEqual(resolution[phone], 10.0)

    def test_p8_4_criteria_mean_and_sample_std_equal_sql(self):
        """P8.4: F1 and F2 in March: attitude 4 and 2, mean 3.0, sample std sqrt(2);
        every criterion as avg / stddev_samp over the answered feedback."""
        start, stop = self.company._aftersales_day_range(*MARCH)
        self.env.flush_all()
        [(attitude_avg, attitude_std, speed_avg, speed_std)] = self.env.execute_query(
            SQL(
                """
            SELECT avg(technician_attitude::float), stddev_samp(technician_attitude::float),
                   avg(response_speed), stddev_samp(response_speed)
              FROM aftersales_feedback
             WHERE company_id = %s AND team_id = %s AND state = 'answered'
               AND answered_at >= %s AND answered_at < %s
            """,
                self.company.id,
                self.team.id,
                start,
                stop,
            )
        )
        criteria = {row["key"]: row for row in self.data()["criteria"]}
        self.assertAlmostEqual(criteria["technician_attitude"]["avg"], attitude_avg)
        self.assertAlmostEqual(criteria["technician_attitude"]["std"], attitude_std)
        self.assertAlmostEqual(criteria["technician_attitude"]["std"], 2**0.5)
        self.assertAlmostEqual(criteria["response_speed"]["avg"], float(speed_avg))
        self.assertAlmostEqual(criteria["response_speed"]["std"], float(speed_std))

    # ------------------------------------------------------------------
    # Drill-down (P9.2)
    # ------------------------------------------------------------------
    def test_p9_2_each_card_opens_the_records_it_counts(self):
        """P9.2: a card's action lists the records behind its figure, named after the
        figure and the period."""
        cards = self.cards()
        expected = {
            "tickets": 5,
            "resolution_rate": 3,
            "first_response": 5,
            "resolution": 3,
            "complaints": 2,
            "complaint_rate": 1,
            "satisfaction": 2,
        }
        for key, count in expected.items():
            with self.subTest(card=key):
                action = cards[key]["action"]
                records = self.env[action["res_model"]].with_user(self.supervisor)
                self.assertEqual(records.search_count(action["domain"]), count)
                self.assertIn("2025", action["name"])
        self.assertEqual(cards["tickets"]["action"]["res_model"], "aftersales.ticket")
        self.assertEqual(cards["satisfaction"]["action"]["res_model"], "aftersales.feedback")
        self.assertNotIn("aftersales.kpi.dashboard", cards["tickets"]["action"]["name"])

    def test_p9_2_sla_chart_splits_every_decided_target_into_met_and_missed(self):
        """P9.2, P6.3: 8 decided targets (5 responses, 3 resolutions), 6 met and 2
        missed, as the KPI analysis counts them; a missed target stored as NULL
        (0 written over NULL by the ORM), as T2's response here, is missed all the same."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE aftersales_ticket SET sla_response_ontime = NULL WHERE id = %s", self.t2.id)
        )
        self.env.invalidate_all()
        start, stop = self.company._aftersales_day_range(*MARCH)
        [(met, decided)] = (
            self.env["aftersales.kpi.report"]
            .with_user(self.supervisor)
            ._read_group(
                [
                    ("date", ">=", start),
                    ("date", "<", stop),
                    ("team_id", "=", self.team.id),
                    ("line_type", "=", "ticket"),
                ],
                [],
                ["target_met_count:sum", "target_count:sum"],
            )
        )
        on_time, late, solved_on_time, solved_late = self.data()["charts"]["sla"]["datasets"][0][
            "data"
        ]
        self.assertEqual((met, decided), (6, 8))
        self.assertEqual(on_time + solved_on_time, met)
        self.assertEqual(late + solved_late, decided - met)

    def test_p9_2_each_chart_point_opens_the_records_it_counts(self):
        """P9.2: a bar or slice opens as many records as it shows."""
        charts = self.data()["charts"]
        for name in ("channel", "category", "sla"):
            chart = charts[name]
            for index, value in enumerate(chart["datasets"][0]["data"]):
                with self.subTest(chart=name, point=chart["labels"][index]):
                    action = chart["actions"][0][index]
                    records = self.env[action["res_model"]].with_user(self.supervisor)
                    self.assertEqual(records.search_count(action["domain"]), value)

    # ------------------------------------------------------------------
    # Filters, targets, access (P9.2)
    # ------------------------------------------------------------------
    @freeze_time("2025-05-10 08:00:00")
    def test_p9_2_periods_are_the_company_month_quarter_and_year(self):
        for period, dates in (
            ("month", ("2025-05-01", "2025-05-31")),
            ("quarter", ("2025-04-01", "2025-06-30")),
            ("year", ("2025-01-01", "2025-12-31")),
        ):
            with self.subTest(period=period):
                data = self.data(period=period)
                self.assertEqual((data["date_from"], data["date_to"]), dates)

    @freeze_time("2025-03-31 16:30:00")
    def test_p9_2_this_month_is_the_shanghai_month(self):
        """P9.2: at 00:30 on 1 April in Shanghai (31 March UTC) this month is April."""
        self.assertEqual(self.data(period="month")["date_from"], "2025-04-01")

    def test_p9_2_custom_period_ending_before_it_starts_is_refused(self):
        with self.assertRaises(UserError):
            self.data(dates=(date(2025, 3, 31), date(2025, 3, 1)))

    def test_p9_2_without_a_team_every_team_counts(self):
        """P9.2: the other team's March ticket counts without a team filter."""
        data = self.data(team=self.env["aftersales.team"])
        self.assertEqual(self.cards(data)["tickets"]["value"], 6)
        self.assertIn(self.team.id, [team["id"] for team in data["teams"]])

    def test_p9_2_targets_set_in_settings_are_shown_next_to_the_figures(self):
        """P9.2: the targets are edited in Settings and the cards compare with them."""
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [Command.link(self.company.id)]})
        settings = Form(self.env["res.config.settings"].with_user(admin).with_company(self.company))
        settings.aftersales_target_first_response = 75.0
        settings.aftersales_target_resolution_ontime = 70.0
        settings.save().execute()
        cards = self.cards()
        self.assertEqual(cards["first_response"]["target"], 75.0)
        self.assertEqual(cards["first_response"]["status"], "met")
        self.assertEqual(cards["resolution"]["target"], 70.0)
        self.assertEqual(cards["resolution"]["status"], "missed")

    def test_p9_2_complaint_rate_of_one_delivered_order_is_no_data(self):
        """P9.2: 2 complaints on 1 delivered order is no rate (not 200 per 100): the
        sample is below the company's minimum of delivered orders."""
        card = self.cards()["complaint_rate"]
        self.assertIsNone(card["value"])
        self.assertEqual(card["status"], "none")
        self.assertIn("fewer than the 20", card["detail"])

    def test_p9_2_complaint_rate_from_the_minimum_sample_on(self):
        """P9.2: with a minimum of one order the rate is complaints per 100 orders."""
        self.company.aftersales_kpi_min_orders = 1
        card = self.cards()["complaint_rate"]
        self.assertAlmostEqual(card["value"], 200.0)
        self.assertEqual(card["status"], "missed")

    def test_p9_2_satisfaction_without_answers_is_no_data(self):
        """P8.4, P9.2: a period without answered feedback has no satisfaction."""
        card = self.cards(self.data(dates=(date(2025, 2, 1), date(2025, 2, 28))))["satisfaction"]
        self.assertIsNone(card["value"])
        self.assertEqual(card["status"], "none")

    def test_p9_2_technician_cannot_read_the_dashboard(self):
        """P9.2, P10.2: the indicators are the supervisors'."""
        with self.assertRaises(AccessError):
            self.data(user=self.technician)

    def test_p9_2_dashboard_action_is_a_client_action_in_the_reporting_menu(self):
        """P9.2: the Reporting menu opens the client action, not a form."""
        menu = self.env.ref("aftersales_service.aftersales_kpi_dashboard_menu")
        self.assertEqual(menu.action._name, "ir.actions.client")
        self.assertEqual(menu.action.tag, "aftersales_dashboard")


@tagged("post_install", "-at_install", "aftersales")
class TestDashboardDemo(TransactionCase):
    """P9.2: on the demo data (when installed), the dashboard of the demo company
    equals the KPI analysis view for the whole year."""

    def test_p9_2_dashboard_equals_the_kpi_analysis_on_demo_data(self):
        module = self.env["ir.module.module"].search([("name", "=", "aftersales_service")])
        if not module.demo:
            self.skipTest("demo data not installed")
        company = self.env.ref("base.main_company")
        admin = self.env.ref("base.user_admin")
        env = self.env(user=admin, context=dict(self.env.context, allowed_company_ids=company.ids))
        dashboard = env["aftersales.kpi.dashboard"]
        data = dashboard.get_dashboard_data("year")
        cards = {card["key"]: card for card in data["cards"]}
        start, stop = company._aftersales_day_range(data["date_from"], data["date_to"])
        Report = env["aftersales.kpi.report"]
        domain = [("date", ">=", start), ("date", "<", stop), ("company_id", "=", company.id)]
        [(tickets, response)] = Report._read_group(
            [*domain, ("line_type", "=", "ticket")], [], ["ticket_count:sum", "response_ontime:avg"]
        )
        [(satisfaction,)] = Report._read_group(
            [*domain, ("line_type", "=", "feedback")],
            [],
            ["satisfaction:avg"],
        )
        self.assertEqual(cards["tickets"]["value"], tickets or 0)
        for key, expected in (("first_response", response), ("satisfaction", satisfaction)):
            with self.subTest(card=key):
                if expected is None:
                    self.assertIsNone(cards[key]["value"])
                else:
                    self.assertAlmostEqual(cards[key]["value"], expected)
        channels = sum(data["charts"]["channel"]["datasets"][0]["data"])
        self.assertEqual(channels, tickets or 0)
