"""P1.5, P6.6: callbacks are planned automatically — after a solved request, for new
customers, at the tier's cadence — and recorded; the planner never plans twice."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestCallbackPlanning(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # New-customer callbacks count working days on the company's calendar.
        cls.company.resource_calendar_id = cls.calendar
        cls.company.aftersales_satisfaction_callback_hours = 24
        cls.company.aftersales_new_customer_callback_days = 3
        cls.company.aftersales_high_value_visit_months = 12
        cls.stable_tier = cls._tier("STD", 20, callback_interval_days=90)
        cls.vip_tier = cls._tier(
            "VIP", 10, callback_interval_days=30, dedicated_account_manager=True
        )
        cls.Callback = cls.env["aftersales.callback"]

    def plan(self):
        return self.Callback._plan_company_callbacks(
            self.company, now=datetime.now().replace(microsecond=0)
        ).with_context(active_test=False)

    def graded(self, partner, tier, stage="stable"):
        partner.with_company(self.company).write(
            {"aftersales_tier_id": tier.id, "aftersales_lifecycle_stage": stage}
        )
        return partner

    # ------------------------------------------------------------------
    # P6.6: satisfaction callback after a solved request
    # ------------------------------------------------------------------
    def test_satisfaction_callback_24_hours_after_the_request_is_solved(self):
        """P6.6: solved Monday 10:00 → callback planned Tuesday 10:00, owned by the
        technician."""
        with freeze_time("2026-03-02 02:00"):
            ticket = self.ticket(user_id=self.technician.id)
            ticket.stage_id = self.stage_solved
            self.assertEqual(ticket.sla_solved_at, datetime(2026, 3, 2, 2, 0))
        with freeze_time("2026-03-02 20:00"):
            callback = self.plan().filtered(lambda c: c.ticket_id == ticket)
        self.assertEqual(callback.purpose, "satisfaction")
        self.assertEqual(callback.planned_date, datetime(2026, 3, 3, 2, 0))
        self.assertEqual(callback.user_id, self.technician)
        self.assertEqual(callback.partner_id, self.customer)

    def test_cancelled_request_gets_no_satisfaction_callback(self):
        """P6.6: a request dropped without service is not followed up."""
        with freeze_time("2026-03-02 02:00"):
            ticket = self.ticket()
            ticket.stage_id = self.env.ref("aftersales_service.aftersales_stage_cancelled")
            planned = self.plan()
        self.assertFalse(planned.filtered(lambda c: c.ticket_id == ticket))

    def test_running_the_planner_again_plans_nothing_twice(self):
        """P1.5: the planner is idempotent: a second run creates nothing."""
        with freeze_time("2026-03-02 02:00"):
            ticket = self.ticket()
            ticket.stage_id = self.stage_solved
            self.graded(self.customer, self.vip_tier)
            first = self.plan()
            second = self.plan()
        self.assertTrue(first)
        self.assertFalse(second)
        self.assertEqual(
            self.Callback.search_count([("partner_id", "=", self.customer.id)]), len(first)
        )

    # ------------------------------------------------------------------
    # P1.5: new customers
    # ------------------------------------------------------------------
    def test_new_customer_is_called_within_3_working_days_of_the_first_order(self):
        """P1.5: first order Friday 2026-03-06 10:00 (Shanghai) → 3 working days
        (27 h on the Mon-Fri 08-17 calendar) later: Wednesday 2026-03-11 10:00."""
        newcomer = self._create_customer("Ningbo Harbour Trading")
        with freeze_time("2026-03-06 02:00"):
            order = self._sale_order(newcomer, "2026-03-06")
            order.date_order = datetime(2026, 3, 6, 2, 0)  # 10:00 in Shanghai
            self.graded(newcomer, self.stable_tier, stage="new")
            callback = self.plan().filtered(lambda c: c.partner_id == newcomer)
        self.assertEqual(callback.purpose, "new_customer")
        self.assertEqual(callback.planned_date, datetime(2026, 3, 11, 2, 0))

    def test_new_customer_gets_no_periodic_call_yet(self):
        """P1.5: a new customer's first call is the new-customer one, not a periodic."""
        newcomer = self._create_customer("Ningbo Harbour Trading")
        with freeze_time("2026-03-06 02:00"):
            self._sale_order(newcomer, "2026-03-06")
            self.graded(newcomer, self.stable_tier, stage="new")
            purposes = self.plan().filtered(lambda c: c.partner_id == newcomer).mapped("purpose")
        self.assertEqual(purposes, ["new_customer"])

    # ------------------------------------------------------------------
    # P1.4, P1.5: cadence of the tier
    # ------------------------------------------------------------------
    def test_stable_customer_is_called_every_quarter(self):
        """P1.5: a 90-day tier: one callback now, none again within the quarter, the
        next one once the next 90-day period starts."""
        self.graded(self.customer, self.stable_tier)
        with freeze_time("2026-01-05 02:00"):
            first = self.plan().filtered(lambda c: c.purpose == "periodic")
        with freeze_time("2026-02-15 02:00"):
            again = self.plan().filtered(lambda c: c.purpose == "periodic")
        with freeze_time("2026-04-20 02:00"):
            next_quarter = self.plan().filtered(lambda c: c.purpose == "periodic")
        self.assertEqual(len(first), 1)
        self.assertFalse(again)
        self.assertEqual(len(next_quarter), 1)
        self.assertEqual(first.tier_id, self.stable_tier)

    def test_high_value_customer_is_called_monthly_and_visited_yearly(self):
        """P1.5: a tier with a dedicated account manager: a call every 30 days and a
        visit once a year, owned by the account manager."""
        self.customer.aftersales_account_manager_id = self.supervisor
        self.graded(self.customer, self.vip_tier)
        with freeze_time("2026-01-05 02:00"):
            january = self.plan()
        with freeze_time("2026-02-10 02:00"):
            february = self.plan()
        self.assertEqual(sorted(january.mapped("purpose")), ["periodic", "visit"])
        self.assertEqual(february.mapped("purpose"), ["periodic"])
        visit = january.filtered(lambda c: c.purpose == "visit")
        self.assertEqual((visit.method, visit.user_id), ("visit", self.supervisor))

    def test_tier_without_cadence_plans_no_periodic_call(self):
        """P1.4: a tier whose cadence is 0 gets no periodic callback."""
        quiet = self._tier("LOW", 30, callback_interval_days=0)
        self.graded(self.customer, quiet)
        with freeze_time("2026-01-05 02:00"):
            self.assertFalse(self.plan().filtered(lambda c: c.partner_id == self.customer))

    # ------------------------------------------------------------------
    # Recording (P1.5)
    # ------------------------------------------------------------------
    def test_done_callback_needs_what_the_customer_said(self):
        """P1.5: a callback is recorded with the customer's answer."""
        callback = self.Callback.create(
            {"partner_id": self.customer.id, "planned_date": "2026-03-02 02:00:00"}
        )
        with self.assertRaises(UserError):
            callback.action_done()
        callback.answer = "Very happy with the repair."
        callback.action_done()
        self.assertEqual(callback.state, "done")
        self.assertTrue(callback.done_at)

    def test_overdue_callbacks_are_flagged(self):
        """P1.5: a planned callback past its date is overdue (and searchable)."""
        with freeze_time("2026-03-05 02:00"):
            late = self.Callback.create(
                {"partner_id": self.customer.id, "planned_date": "2026-03-02 02:00:00"}
            )
            future = self.Callback.create(
                {"partner_id": self.customer.id, "planned_date": "2026-03-09 02:00:00"}
            )
            self.assertTrue(late.is_overdue)
            self.assertFalse(future.is_overdue)
            overdue = self.Callback.search([("is_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(future, overdue)

    def test_done_callback_counts_as_the_last_contact(self):
        """P1.3: a callback made is a contact: the churn-risk clock restarts."""
        callback = self.Callback.create(
            {
                "partner_id": self.customer.id,
                "planned_date": "2026-03-02 02:00:00",
                "answer": "Fine",
            }
        )
        callback.action_done()
        contacts = self.env["aftersales.tier"]._last_contact_by_partner(self.company)
        self.assertEqual(
            contacts[self.customer.id], self.company._aftersales_local_date(callback.done_at)
        )

    # ------------------------------------------------------------------
    # Access (P10.2, P11.1)
    # ------------------------------------------------------------------
    def test_technician_plans_and_records_callbacks(self):
        """P10.2: the service team plans and records callbacks."""
        callback = (
            self.Callback.with_user(self.technician)
            .with_company(self.company)
            .create({"partner_id": self.customer.id, "planned_date": "2026-03-02 02:00:00"})
        )
        callback.write({"answer": "Satisfied"})
        callback.action_done()
        self.assertEqual(callback.state, "done")

    def test_other_company_cannot_read_the_callbacks(self):
        """P11.1: callbacks stay in their company."""
        callback = self.Callback.create(
            {"partner_id": self.customer.id, "planned_date": "2026-03-02 02:00:00"}
        )
        company_b = self._create_company("After-Sales Callback Company B", with_accounting=False)
        outsider = self._create_user("as_cb_outsider", "group_aftersales_user", company=company_b)
        with self.assertRaises(AccessError):
            callback.with_user(outsider).read(["partner_id"])
