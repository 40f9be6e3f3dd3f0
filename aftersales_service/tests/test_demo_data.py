"""Issue 16: the demo database shows a living service business. Each role's demo
login finds records to work on (P10.2), the history spans about six months in
every state, times are Shanghai working hours, and the history generator is
deterministic (``aftersales.demo``, ``models/aftersales_demo.py``).

These tests read the installed demo data; they skip on a database without it."""

import logging
from collections import Counter
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_service.models.aftersales_demo import (
    ANCHOR_PARAM,
    DEMO_SEED,
    FINGERPRINT_PARAM,
    DemoHistory,
)

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install", "aftersales")
class TestDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.tech = ref("aftersales_service.res_users_technician_demo", raise_if_not_found=False)
        if not cls.tech or not ref("base.user_demo", raise_if_not_found=False):
            raise cls.skipTest(cls, "the demo data is not installed")
        cls.supervisor = ref("aftersales_service.res_users_supervisor_demo")
        cls.accountant = ref("aftersales_service.res_users_accountant_demo")
        cls.rep = ref("base.user_demo")
        cls.portal = ref("base.demo_user0")
        cls.company = ref("base.main_company")
        cls.today = cls.company._aftersales_today()

    def count(self, user, model, domain):
        found = self.env[model].with_user(user).search_count(domain)
        _logger.info("demo %s: %s %s %s", user.login, found, model, domain)
        return found

    def local_hour(self, moment):
        return fields.Datetime.context_timestamp(self.company.partner_id, moment).hour

    # ------------------------------------------------------------------
    # Each role finds work (P10.2)
    # ------------------------------------------------------------------
    def test_p10_2_agent_finds_open_tickets_and_the_technician_repairs(self):
        """P2.1, P2.5: tech (agent and field technician) has open requests assigned,
        and repairs to dispatch, visit or finish, with visits planned ahead."""
        open_tickets = self.count(
            self.tech,
            "aftersales.ticket",
            [("user_id", "=", self.tech.id), ("is_closed", "=", False)],
        )
        self.assertGreaterEqual(open_tickets, 4)
        repairs = self.count(
            self.tech,
            "repair.order",
            [
                ("user_id", "=", self.tech.id),
                ("state", "in", ("draft", "confirmed", "under_repair")),
            ],
        )
        self.assertGreaterEqual(repairs, 3)
        visits = (
            self.env["repair.order"]
            .with_user(self.tech)
            .search(
                [
                    ("user_id", "=", self.tech.id),
                    ("aftersales_planned_visit", ">", fields.Datetime.now()),
                ]
            )
        )
        self.assertTrue(visits, "a visit is planned for tech")
        done = self.count(
            self.tech, "repair.order", [("user_id", "=", self.tech.id), ("state", "=", "done")]
        )
        self.assertGreaterEqual(done, 10, "tech's performance has a history")

    def test_p2_9_supervisor_finds_escalations_and_inspections(self):
        """P2.9, P6.4: escalated open requests; P3.4: workshop repairs to inspect."""
        escalated = self.count(
            self.supervisor,
            "aftersales.ticket",
            [("sla_escalation_level", "!=", False), ("is_closed", "=", False)],
        )
        self.assertGreaterEqual(escalated, 3)
        # The tours pick their own ticket in the escalation queue's first page.
        self.assertLess(escalated, 60)
        to_inspect = self.count(
            self.supervisor,
            "repair.order",
            [
                ("state", "=", "under_repair"),
                ("aftersales_repair_mode", "=", "workshop"),
                ("aftersales_inspected_on", "=", False),
            ],
        )
        self.assertGreaterEqual(to_inspect, 1)
        activities = self.count(
            self.supervisor, "mail.activity", [("user_id", "=", self.supervisor.id)]
        )
        self.assertGreaterEqual(activities, 1)

    def test_p2_6_accountant_finds_repairs_to_invoice_and_credit_notes(self):
        """P2.6: done chargeable repairs to invoice; P5.3: a draft credit note of a
        return to post; older repairs invoiced."""
        to_invoice = self.count(
            self.accountant, "repair.order", [("aftersales_to_invoice", "=", True)]
        )
        self.assertGreaterEqual(to_invoice, 4)
        self.assertLess(to_invoice, 60, "the tours find their repair on the first page")
        drafts = self.count(
            self.accountant,
            "account.move",
            [("move_type", "=", "out_refund"), ("state", "=", "draft")],
        )
        self.assertGreaterEqual(drafts, 1)
        invoiced = self.count(
            self.accountant, "repair.order", [("aftersales_invoice_id.state", "=", "posted")]
        )
        self.assertGreaterEqual(invoiced, 3)

    def test_p7_2_sales_rep_finds_the_expiring_contract_and_its_task(self):
        """P7.2: demo's contract ending this month, with its "Win renewal" task; an
        expired contract to win back, with its overdue task; P7.3: a draft."""
        Contract = self.env["aftersales.contract"].with_user(self.rep)
        month_end = self.today.replace(day=28) + timedelta(days=4)
        month_end -= timedelta(days=month_end.day)
        expiring = Contract.search(
            [
                ("user_id", "=", self.rep.id),
                ("state", "=", "expiring"),
                ("date_end", ">=", self.today.replace(day=1)),
                ("date_end", "<=", month_end),
            ]
        )
        _logger.info("demo demo: %s expiring contracts this month", len(expiring))
        self.assertTrue(expiring)
        renewal = self.env.ref("aftersales_service.mail_activity_type_contract_renewal")
        self.assertTrue(
            expiring.activity_ids.filtered(
                lambda a: a.user_id == self.rep and a.activity_type_id == renewal
            )
        )
        expired = Contract.search([("user_id", "=", self.rep.id), ("state", "=", "expired")])
        self.assertTrue(expired)
        overdue = expired.activity_ids.filtered(lambda a: a.date_deadline < self.today)
        self.assertTrue(overdue, "the win-back task outlived the contract")
        self.assertEqual(
            self.count(self.rep, "aftersales.contract", [("state", "=", "draft")]) >= 1, True
        )

    def test_p2_1_portal_customer_finds_requests_orders_and_contract(self):
        """P2.1, P2.8: open and past requests; P5.1: a delivered order with something
        left to return; P7: a contract; P8.1: a feedback link waiting."""
        partner = self.portal.partner_id.commercial_partner_id
        domain = [("commercial_partner_id", "=", partner.id)]
        open_tickets = self.count(
            self.portal, "aftersales.ticket", [*domain, ("is_closed", "=", False)]
        )
        closed = self.count(self.portal, "aftersales.ticket", [*domain, ("is_closed", "=", True)])
        self.assertGreaterEqual(open_tickets, 1)
        self.assertGreaterEqual(closed, 2)
        lines = (
            self.env["sale.order.line"]
            .with_user(self.portal)
            .search([("order_partner_id", "child_of", partner.id), ("qty_delivered", ">", 0)])
        )
        window = self.company.aftersales_return_window_days
        returnable = lines.filtered(
            lambda line: any(
                self.company._aftersales_local_date(picking.date_done) + timedelta(days=window)
                >= self.today
                for picking in line.sudo().move_ids.picking_id
                if picking.state == "done"
            )
        )
        _logger.info("demo portal: %s delivered lines, %s returnable", len(lines), len(returnable))
        self.assertTrue(returnable)
        self.assertGreaterEqual(
            self.count(
                self.portal,
                "aftersales.contract",
                [*domain, ("state", "in", ("active", "expiring"))],
            ),
            1,
        )
        waiting = (
            self.env["aftersales.feedback"]
            .sudo()
            .search_count([*domain, ("state", "=", "requested")])
        )
        self.assertGreaterEqual(waiting, 1)

    # ------------------------------------------------------------------
    # History (issue 16)
    # ------------------------------------------------------------------
    def test_history_spans_six_months_in_every_state(self):
        Ticket = self.env["aftersales.ticket"]
        tickets = Ticket.search([("company_id", "=", self.company.id)])
        self.assertGreaterEqual(len(tickets), 200)
        oldest = min(self.company._aftersales_local_date(t.received_at) for t in tickets)
        self.assertLessEqual(oldest, self.today - timedelta(days=150))
        stages = Counter(tickets.stage_id.mapped("name"))
        per_stage = Counter(t.stage_id.name for t in tickets)
        _logger.info("demo history: tickets per stage %s", dict(per_stage))
        self.assertEqual(
            set(stages),
            {"New", "In Progress", "Waiting for Customer", "Solved", "Cancelled"},
        )
        self.assertEqual(
            set(tickets.mapped("ticket_type")),
            {"service", "complaint", "consultation", "suggestion"},
        )
        self.assertEqual(
            set(tickets.mapped("channel")), {"phone", "web", "email", "social", "store"}
        )
        months = {
            self.company._aftersales_local_date(t.received_at).replace(day=1) for t in tickets
        }
        self.assertGreaterEqual(len(months), 6)
        expected = {
            "repair.order": {"draft", "confirmed", "under_repair", "done", "cancel"},
            "aftersales.rma": {
                "draft",
                "confirmed",
                "voucher",
                "received",
                "inspected",
                "refunded",
                "replaced",
                "done",
                "refused",
                "cancelled",
            },
            "aftersales.feedback": {"requested", "answered", "expired", "cancelled"},
            "aftersales.callback": {"planned", "done", "missed", "cancelled"},
            "aftersales.contract": {
                "draft",
                "active",
                "expiring",
                "expired",
                "renewed",
                "cancelled",
            },
        }
        minimum = {
            "repair.order": 80,
            "aftersales.rma": 15,
            "aftersales.feedback": 150,
            "aftersales.callback": 80,
            "aftersales.contract": 8,
        }
        for model, states in expected.items():
            counts = dict(self.env[model]._read_group([], ["state"], ["__count"]))
            _logger.info("demo history: %s per state %s", model, counts)
            self.assertEqual(set(counts), states, model)
            self.assertGreaterEqual(sum(counts.values()), minimum[model], model)
        answered = self.env["aftersales.feedback"].search_count([("state", "=", "answered")])
        self.assertGreaterEqual(answered, 100)

    def test_p1_5_every_callback_has_an_owner_at_a_local_working_hour(self):
        callbacks = self.env["aftersales.callback"].search([])
        self.assertFalse(callbacks.filtered(lambda c: not c.user_id), "callbacks without owner")
        hours = Counter(self.local_hour(c.planned_date) for c in callbacks)
        self.assertFalse(
            [hour for hour in hours if not 8 <= hour <= 21], f"callback hours: {dict(hours)}"
        )

    def test_demo_lives_in_shanghai_time(self):
        """Company calendar, company and demo users in Asia/Shanghai: a visit planned at
        10:00 reads 10:00 for everyone (no more visit at 02:00)."""
        self.assertEqual(self.company._aftersales_tz_name(), "Asia/Shanghai")
        users = self.env["res.users"].search(
            [
                (
                    "login",
                    "in",
                    ("admin", "demo", "tech", "supervisor", "manager", "accountant", "portal"),
                )
            ]
        )
        self.assertEqual(set(users.mapped("tz")), {"Asia/Shanghai"})
        visits = self.env["repair.order"].search([("aftersales_planned_visit", "!=", False)])
        self.assertTrue(visits)
        hours = {self.local_hour(r.aftersales_planned_visit) for r in visits}
        self.assertFalse([h for h in hours if not 8 <= h <= 18], f"visit hours: {hours}")
        onsite = self.env.ref("aftersales_service.repair_order_onsite_demo")
        self.assertEqual(self.local_hour(onsite.aftersales_planned_visit), 10)

    def test_repaired_products_are_appliances_with_serials_and_warranty(self):
        repairs = self.env["repair.order"].search(
            [("company_id", "=", self.company.id), ("state", "!=", "cancel")]
        )
        products = repairs.product_id
        self.assertTrue(all(p.tracking == "serial" for p in products), products.mapped("name"))
        self.assertTrue(all(p.product_tmpl_id._fields for p in products))
        categories = products.categ_id
        self.assertTrue(
            all(
                c.aftersales_warranty_months or c.parent_id.aftersales_warranty_months
                for c in categories
            )
        )
        tickets = self.env["aftersales.ticket"].search([("product_id", "!=", False)])
        self.assertFalse(
            tickets.product_id.filtered(lambda p: "Desk" in p.name or "Drawer" in p.name)
        )

    def test_history_generator_is_deterministic(self):
        """The same seed and day give the same plan, and the installed history is
        that plan: its fingerprint, its requests and their subjects."""
        params = self.env["ir.config_parameter"].sudo()
        anchor = fields.Date.to_date(params.get_param(ANCHOR_PARAM))
        self.assertTrue(anchor)
        first = DemoHistory(self.env, seed=DEMO_SEED, anchor=anchor).plan()
        again = DemoHistory(self.env, seed=DEMO_SEED, anchor=anchor).plan()
        self.assertEqual(DemoHistory.fingerprint(first), DemoHistory.fingerprint(again))
        self.assertEqual(DemoHistory.fingerprint(first), params.get_param(FINGERPRINT_PARAM))
        other = DemoHistory(self.env, seed=DEMO_SEED + 1, anchor=anchor).plan()
        self.assertNotEqual(DemoHistory.fingerprint(first), DemoHistory.fingerprint(other))
        subjects = Counter(DemoHistory.case_subject(first, case) for case in first["cases"])
        installed = Counter(self.env["aftersales.ticket"].search([]).mapped("subject"))
        missing = subjects - installed
        self.assertFalse(missing, "planned requests missing from the database")
        serials = {unit["serial"] for unit in first["units"] if not unit.get("lot")}
        lots = set(self.env["stock.lot"].search([("name", "in", list(serials))]).mapped("name"))
        self.assertEqual(lots, serials)
