"""P9.2 / P8.4: the KPI report and dashboard, checked against a hand-computed month.

The dataset (March 2025, the test company; team "Shanghai" unless said otherwise):

=====  =========  ========  ========  ==========  ========  ========
ticket type       response  on time   resolution  on time   feedback
=====  =========  ========  ========  ==========  ========  ========
T1     service    1.0 h     yes       10 h        yes       F1
T2     service    3.0 h     no        20 h        no        F2
T3     service    2.0 h     yes       (open)      -         (requested only)
T4     complaint  0.5 h     yes       6 h         yes       F3
T5     complaint  4.0 h     no        30 h        no        -
=====  =========  ========  ========  ==========  ========  ========

Noise that must not count: a ticket in a cancelled stage and one received in
April (same team), a ticket of another team (counted only without team filter).

Feedback (technician criteria on 4 levels, service criteria 1-5):
F1 = 4,4,3,4 / 5,4,5 (score 4.667, satisfied); F2 = 4,3,4,4 / 4,4,4 (4.381,
satisfied); F3 = 2,1,2,2 / 2,2,3 (2.143, not satisfied).

Delivered orders in March: 5 done customer deliveries, two of them of one
procurement group, so 4 orders (an April delivery does not count). Sale orders in
March: customer A 2, B 1 (and 1 in February), C 1 (and a draft): 3 ordering
customers, 1 repeat customer.

Standard deviations are sample standard deviations (divisor n - 1).
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesDeskCase

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


@tagged("post_install", "-at_install", "aftersales")
class TestKpi(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_cancelled = cls.env.ref("aftersales_service.aftersales_stage_cancelled")
        cls._march_tickets()
        cls.t5 = cls._sla_ticket("2025-03-07 09:00", (4.0, False), (30.0, False), complaint=True)
        # Noise
        cancelled = cls._sla_ticket("2025-03-10 09:00", (9.0, False), None)
        cancelled.stage_id = cls.stage_cancelled
        cls._sla_ticket("2025-04-02 09:00", (9.0, False), (90.0, False))
        cls._sla_ticket("2025-03-12 09:00", (6.0, False), None, team=cls.other_team)

        cls._feedback(cls.t1, "2025-03-04 10:00", ("4", "4", "3", "4"), (5, 4, 5))
        cls._feedback(cls.t2, "2025-03-05 10:00", ("4", "3", "4", "4"), (4, 4, 4))
        cls._feedback(cls.t4, "2025-03-07 10:00", ("2", "1", "2", "2"), (2, 2, 3))
        cls.env["aftersales.feedback"].create(
            {
                "ticket_id": cls.t3.id,
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
                "company_id": cls.company.id,
                "state": "requested",
            }
        )

        group = cls.env["procurement.group"].create({"name": "SO-SPLIT"})
        for day, grp in (
            ("2025-03-03", group),
            ("2025-03-04", group),
            ("2025-03-10", None),
            ("2025-03-11", None),
            ("2025-03-20", None),
            ("2025-04-02", None),
        ):
            cls._delivery(day, grp)

        customer_a = cls._create_customer("Customer A")
        customer_b = cls._create_customer("Customer B")
        customer_c = cls._create_customer("Customer C")
        cls._sale_order(customer_a, "2025-03-05")
        cls._sale_order(customer_a, "2025-03-25")
        cls._sale_order(customer_b, "2025-02-20")
        cls._sale_order(customer_b, "2025-03-15")
        cls._sale_order(customer_c, "2025-03-16")
        cls._sale_order(customer_c, "2025-03-18", confirm=False)

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    @classmethod
    def _delivery(cls, day, group=None):
        """A done delivery of one consumable to a customer, dated ``day`` 10:00."""
        return cls.done_delivery(
            cls.customer, cls.product, datetime.fromisoformat(f"{day} 10:00:00"), group
        )

    def kpis(self, team=None, dates=MARCH):
        dashboard = self.env["aftersales.kpi.dashboard"].with_user(self.supervisor)
        return dashboard.get_kpis(
            *dates, self.company, team=team if team is not None else self.team
        )

    # ------------------------------------------------------------------
    # Tickets (P9.2)
    # ------------------------------------------------------------------
    def test_ticket_counts_skip_cancelled_and_other_months(self):
        """P9.2: 5 tickets received in March (cancelled and April ones left out),
        4 resolved, 2 complaints."""
        kpis = self.kpis()
        self.assertEqual(
            (kpis["ticket_count"], kpis["resolved_count"], kpis["complaint_count"]), (5, 4, 2)
        )

    def test_first_response_average_and_median(self):
        """P9.2: first response (1 + 3 + 2 + 0.5 + 4) / 5 = 2.1 h, median 2.0 h."""
        kpis = self.kpis()
        self.assertAlmostEqual(kpis["first_response_avg"], 2.1)
        self.assertAlmostEqual(kpis["first_response_median"], 2.0)

    def test_resolution_average_and_median(self):
        """P9.2: resolution of the 4 solved tickets (10 + 20 + 6 + 30) / 4 = 16.5 h;
        median of an even count = mean of the two middle values (10 + 20) / 2 = 15 h."""
        kpis = self.kpis()
        self.assertAlmostEqual(kpis["resolution_avg"], 16.5)
        self.assertAlmostEqual(kpis["resolution_median"], 15.0)

    def test_resolution_and_on_time_rates(self):
        """P9.2: resolution rate 4/5 = 80 %; first response on time 3/5 = 60 %;
        resolution on time 2/4 = 50 %; targets met (3 + 2) / (5 + 4) = 55.56 %;
        complaints handled on time 1/2 = 50 %."""
        kpis = self.kpis()
        self.assertAlmostEqual(kpis["resolution_rate"], 80.0)
        self.assertAlmostEqual(kpis["response_ontime_rate"], 60.0)
        self.assertAlmostEqual(kpis["resolution_ontime_rate"], 50.0)
        self.assertAlmostEqual(kpis["targets_met_rate"], 500 / 9)
        self.assertAlmostEqual(kpis["complaint_ontime_rate"], 50.0)

    def test_team_filter(self):
        """P9.2: without a team filter the other team's ticket counts too (6), and
        its 6 h response moves the average to (10.5 + 6) / 6 = 2.75 h."""
        kpis = self.kpis(team=self.env["aftersales.team"])
        self.assertEqual(kpis["ticket_count"], 6)
        self.assertAlmostEqual(kpis["first_response_avg"], 2.75)

    # ------------------------------------------------------------------
    # Orders (P9.2)
    # ------------------------------------------------------------------
    def test_complaint_rate_per_100_delivered_orders(self):
        """P9.2: 5 March deliveries, two of one procurement group = 4 delivered
        orders; 2 complaints -> 50 complaints per 100 orders (from a minimum sample of
        4 orders; below it there is no rate)."""
        self.company.aftersales_kpi_min_orders = 4
        kpis = self.kpis()
        self.assertEqual(kpis["delivered_order_count"], 4)
        self.assertAlmostEqual(kpis["complaint_rate"], 50.0)

    def test_repeat_purchase_rate(self):
        """P9.2: of 3 customers with a confirmed March order only A ordered twice
        in March (B's February order and C's draft do not count): 33.33 %."""
        kpis = self.kpis()
        self.assertEqual((kpis["customer_count"], kpis["repeat_customer_count"]), (3, 1))
        self.assertAlmostEqual(kpis["repeat_purchase_rate"], 100 / 3)

    # ------------------------------------------------------------------
    # Satisfaction (P8.4, P9.2)
    # ------------------------------------------------------------------
    def test_satisfaction_share(self):
        """P9.2: 3 answered feedback (the requested one does not count), 2 satisfied:
        66.67 %."""
        kpis = self.kpis()
        self.assertEqual(kpis["feedback_count"], 3)
        self.assertAlmostEqual(kpis["satisfaction_rate"], 200 / 3)

    def test_overall_score_mean_and_sample_std(self):
        """P8.4: overall scores 98/21, 92/21, 45/21: mean 235/63 = 3.7302, sample
        standard deviation 1.3820."""
        kpis = self.kpis()
        self.assertAlmostEqual(kpis["score_avg"], 235 / 63)
        self.assertAlmostEqual(kpis["score_std"], 1.3820, places=4)

    def test_criteria_mean_and_sample_std(self):
        """P8.4: mean and sample standard deviation (n - 1) per criterion, e.g.
        skill 4, 3, 1: mean 2.6667, std sqrt(((4/3)^2 + (1/3)^2 + (5/3)^2) / 2) = 1.5275."""
        expected = {
            "technician_attitude": (10 / 3, 1.1547),  # 4, 4, 2
            "technician_skill": (8 / 3, 1.5275),  # 4, 3, 1
            "technician_arrival": (3.0, 1.0),  # 3, 4, 2
            "technician_promise": (10 / 3, 1.1547),  # 4, 4, 2
            "service_attitude": (11 / 3, 1.5275),  # 5, 4, 2
            "response_speed": (10 / 3, 1.1547),  # 4, 4, 2
            "resolution_efficiency": (4.0, 1.0),  # 5, 4, 3
        }
        kpis = self.kpis()
        for criterion, (mean, std) in expected.items():
            with self.subTest(criterion=criterion):
                self.assertAlmostEqual(kpis[f"{criterion}_avg"], mean)
                self.assertAlmostEqual(kpis[f"{criterion}_std"], std, places=4)

    # ------------------------------------------------------------------
    # Targets and dashboard (P9.2)
    # ------------------------------------------------------------------
    def test_targets_met_and_missed(self):
        """P9.2: actual figures against the Settings targets: satisfaction 66.67 %
        meets a 60 % target; complaints on time 50 % miss 100 %; first response on
        time 60 % misses 95 %."""
        self.company.aftersales_target_satisfaction = 60.0
        kpis = self.kpis()
        self.assertEqual(
            (
                kpis["satisfaction_status"],
                kpis["complaint_ontime_status"],
                kpis["first_response_status"],
            ),
            ("met", "missed", "missed"),
        )

    def test_dashboard_shows_the_period_next_to_the_targets(self):
        """P9.2: the dashboard computes the indicators of the chosen period and team,
        next to the targets of Settings."""
        data = (
            self.env["aftersales.kpi.dashboard"]
            .with_user(self.supervisor)
            .get_dashboard_data("custom", self.team.id, *MARCH)
        )
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(cards["tickets"]["value"], 5)
        self.assertIn("02:00", cards["first_response"]["detail"])  # the median, 2.0 h
        self.assertEqual(cards["satisfaction"]["target"], 90.0)
        self.assertEqual(cards["satisfaction"]["status"], "missed")

    @freeze_time("2025-05-10 08:00:00")
    def test_dashboard_opens_on_the_current_quarter(self):
        """P9.2: the dashboard and the exports default to the current quarter."""
        dashboard = self.env["aftersales.kpi.dashboard"].with_user(self.supervisor)
        self.assertEqual(
            (dashboard._default_date_from(), dashboard._default_date_to()),
            (date(2025, 4, 1), date(2025, 6, 30)),
        )

    def test_report_pivot_matches_dashboard(self):
        """P9.2: the pivot's averages on the report are the dashboard's figures."""
        start, stop = self.company._aftersales_day_range(*MARCH)
        [(count, response, resolved, satisfaction)] = (
            self.env["aftersales.kpi.report"]
            .with_user(self.supervisor)
            ._read_group(
                [
                    ("date", ">=", start),
                    ("date", "<", stop),
                    ("team_id", "=", self.team.id),
                ],
                [],
                [
                    "ticket_count:sum",
                    "first_response_hours:avg",
                    "resolution_rate:avg",
                    "satisfaction:avg",
                ],
            )
        )
        self.assertEqual(count, 5)
        self.assertAlmostEqual(response, 2.1)
        self.assertAlmostEqual(resolved, 80.0)
        self.assertAlmostEqual(satisfaction, 200 / 3)

    def test_technician_cannot_read_kpis(self):
        """P9.2, P10.2: the KPI analysis is for supervisors; a technician cannot read it."""
        with self.assertRaises(AccessError):
            self.env["aftersales.kpi.report"].with_user(self.technician).search([])
