"""P2.9, P6.3, P6.4: the supervisor finds escalated and late work: an SLA status
and an escalation level that can be searched and grouped, the "Escalated", "SLA
Failed" and "Due Soon" filters of tickets, repairs and returns, and the
Escalations menu; technical fields are not offered for grouping (P10.1)."""

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesDeskCase, AftersalesRepairCase, AftersalesRmaCase


class SearchViewMixin:
    """The filters as the web client gets them: the model's search view, as a user."""

    def search_filter_domain(self, model, name, user=None):
        records = self.env[model].with_user(user or self.supervisor)
        arch = records.get_views([(False, "search")])["views"]["search"]["arch"]
        nodes = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")
        self.assertEqual(len(nodes), 1, f"{model} has one filter named {name}")
        return safe_eval(nodes[0].get("domain"), {"uid": records.env.uid})

    def filtered_by(self, model, name, records, user=None):
        """Which of ``records`` the search view's filter ``name`` keeps."""
        domain = self.search_filter_domain(model, name, user)
        found = self.env[model].with_user(user or self.supervisor).search(domain)
        return found.sudo() & records

    def queue(self, action):
        """What the supervisor finds in the After-Sales action ``action`` (its
        default filters)."""
        xmlid = f"aftersales_service.{action}"
        model = self.env.ref(xmlid).res_model
        return self.env[model].with_user(self.supervisor).search(self.action_domain(xmlid))

    def action_domain(self, xmlid, user=None):
        """The domain the action's default filters give: filters of one group are
        OR-ed, the groups AND-ed, as in the search panel."""
        action = self.env.ref(xmlid)
        records = self.env[action.res_model].with_user(user or self.supervisor)
        context = safe_eval(action.context)
        search_view = action.search_view_id.id or False
        arch = records.get_views([(search_view, "search")])["views"]["search"]["arch"]
        root = etree.fromstring(arch)
        defaults = {
            key.removeprefix("search_default_")
            for key, value in context.items()
            if key.startswith("search_default_") and value
        }
        groups, group = [], []
        for node in root.iter("filter", "separator", "group"):
            if node.tag != "filter":
                if group:
                    groups.append(group)
                group = []
                continue
            if node.get("name") in defaults and node.get("domain"):
                defaults.discard(node.get("name"))
                group.append(safe_eval(node.get("domain"), {"uid": records.env.uid}))
        if group:
            groups.append(group)
        self.assertFalse(defaults, f"{xmlid}: default filters missing from the search view")
        domain = []
        for domains in groups:
            domain += ["|"] * (len(domains) - 1) + [leaf for d in domains for leaf in d]
        return domain


@tagged("post_install", "-at_install", "aftersales")
class TestSlaSupervisorQueue(SearchViewMixin, AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"aftersales_escalation_warning_minutes": 30, "aftersales_escalation_level2_hours": 4}
        )
        # All received Monday 09:00: respond by 11:00, resolve by Tuesday 16:00.
        with freeze_time(cls.utc("2026-01-12 09:00")):
            cls.late = cls.ticket(subject="Nobody answered")
            cls.answered = cls.ticket(subject="Answered at once")
            cls.waiting = cls.ticket(subject="Waiting for the customer's photos")
            cls.solved = cls.ticket(subject="Solved on the phone")
        with freeze_time(cls.utc("2026-01-12 09:30")):
            cls.answered.stage_id = cls.stage_progress
            cls.waiting.stage_id = cls.stage_waiting
            cls.solved.stage_id = cls.stage_solved
        cls.desk = cls.late | cls.answered | cls.waiting | cls.solved

    def escalate(self, local):
        with freeze_time(self.utc(local)):
            self.env["aftersales.sla.policy"]._cron_escalate()

    # ------------------------------------------------------------------ status
    def test_p6_3_sla_status_sums_up_both_targets(self):
        with freeze_time(self.utc("2026-01-12 12:00")):
            self.desk.invalidate_recordset()
            self.assertEqual(
                [t.sla_status for t in self.desk], ["missed", "running", "paused", "met"]
            )

    def test_p6_3_sla_status_search_matches_the_status_shown(self):
        tickets = self.env["aftersales.ticket"].with_user(self.supervisor)
        for moment in ("2026-01-12 10:00", "2026-01-12 12:00", "2026-01-13 17:00"):
            with freeze_time(self.utc(moment)):
                self.desk.invalidate_recordset(["sla_status"])
                for status in ("missed", "due_soon", "running", "paused", "met", False):
                    with self.subTest(moment=moment, status=status):
                        expected = self.desk.filtered(lambda t, s=status: t.sla_status == s)
                        found = tickets.search([("sla_status", "=", status)]).sudo() & self.desk
                        self.assertEqual(found, expected)
                        others = tickets.search([("sla_status", "!=", status)]).sudo()
                        self.assertEqual(others & self.desk, self.desk - expected)

    def test_p6_3_tickets_group_by_sla_status_most_urgent_first(self):
        with freeze_time(self.utc("2026-01-12 12:00")):
            groups = (
                self.env["aftersales.ticket"]
                .with_user(self.supervisor)
                .read_group([("id", "in", self.desk.ids)], ["__count"], ["sla_status"])
            )
        self.assertEqual(
            [(g["sla_status"], g["sla_status_count"]) for g in groups],
            [("missed", 1), ("running", 1), ("paused", 1), ("met", 1)],
        )

    # ------------------------------------------------------------------ filters
    def test_p6_3_sla_failed_filter_finds_missed_targets(self):
        with freeze_time(self.utc("2026-01-12 12:00")):
            found = self.filtered_by("aftersales.ticket", "sla_failed", self.desk)
        self.assertEqual(found, self.late)

    def test_p6_3_sla_failed_filter_keeps_a_target_met_late(self):
        """Closed late is still a failed SLA (the P9.2 on-time rate counts it)."""
        with freeze_time(self.utc("2026-01-12 12:00")):
            self.late.stage_id = self.stage_solved
            self.assertEqual(self.late.sla_response_status, "missed")
            found = self.filtered_by("aftersales.ticket", "sla_failed", self.desk)
        self.assertEqual(found, self.late)

    def test_p6_3_due_soon_filter_finds_targets_due_within_2_hours(self):
        with freeze_time(self.utc("2026-01-12 10:00")):
            found = self.filtered_by("aftersales.ticket", "due_soon", self.desk)
        self.assertEqual(found, self.late)

    def test_p6_4_escalated_filter_finds_escalated_tickets(self):
        self.escalate("2026-01-12 10:31")
        found = self.filtered_by("aftersales.ticket", "escalated", self.desk)
        self.assertEqual(found, self.late)

    # ------------------------------------------------------------------ level
    def test_p6_4_escalation_level_follows_the_escalation_steps(self):
        self.assertFalse(self.late.sla_escalation_level)
        self.escalate("2026-01-12 10:31")
        self.assertEqual(self.late.sla_escalation_level, "1")
        self.escalate("2026-01-12 15:05")
        self.assertEqual(self.late.sla_escalation_level, "2")
        self.assertEqual(self.late.sla_resolution_escalation, 0, "the highest of both targets")

    def test_p6_4_tickets_group_by_escalation_level(self):
        self.escalate("2026-01-12 15:05")
        groups = (
            self.env["aftersales.ticket"]
            .with_user(self.supervisor)
            ._read_group([("id", "in", self.desk.ids)], ["sla_escalation_level"], ["__count"])
        )
        self.assertEqual(dict(groups), {"2": 1, False: 3})

    # ------------------------------------------------------------------ queue
    def test_p6_4_escalation_queue_lists_open_escalated_or_failed_tickets(self):
        with freeze_time(self.utc("2026-01-12 12:00")):
            self.escalate("2026-01-12 12:00")
            found = self.queue("aftersales_ticket_action_escalation")
        self.assertEqual(found.sudo() & self.desk, self.late)

    def test_p6_4_escalation_queue_leaves_closed_tickets_out(self):
        with freeze_time(self.utc("2026-01-12 12:00")):
            self.late.stage_id = self.stage_solved
            found = self.queue("aftersales_ticket_action_escalation")
        self.assertFalse(found.sudo() & self.desk)

    def test_p6_4_escalations_menu_is_the_supervisors(self):
        menu = self.env.ref("aftersales_service.aftersales_menu_escalation")
        entries = menu.child_id
        self.assertEqual(
            [entry.action.res_model for entry in entries],
            ["aftersales.ticket", "repair.order", "aftersales.rma"],
        )
        visible = self.env["ir.ui.menu"].with_user(self.supervisor)._visible_menu_ids()
        self.assertTrue(set(entries.ids) <= visible)
        hidden = self.env["ir.ui.menu"].with_user(self.technician)._visible_menu_ids()
        self.assertFalse(set((menu | entries).ids) & hidden)


@tagged("post_install", "-at_install", "aftersales")
class TestSlaSupervisorQueueRepairs(SearchViewMixin, AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"aftersales_escalation_warning_minutes": 30, "aftersales_escalation_level2_hours": 4}
        )
        cls.env["aftersales.sla.policy"].create(
            {
                "name": "Workshop repairs of the test team",
                "sequence": 1,
                "company_id": cls.company.id,
                "model_name": "repair.order",
                "team_id": cls.team.id,
                "response_hours": 9,
                "resolution_hours": 45,
            }
        )
        # Requested Monday 09:00: take the product by Tuesday 09:00, repair it by
        # the next Monday 09:00 (5 working days); the other one a week later.
        cls.late = cls.repair(
            aftersales_repair_mode="workshop", aftersales_received_at=cls.utc("2026-01-12 09:00")
        )
        cls.fresh = cls.repair(
            aftersales_repair_mode="workshop", aftersales_received_at=cls.utc("2026-01-19 09:00")
        )
        cls.repairs = cls.late | cls.fresh

    def test_p2_9_repair_past_its_planned_date_is_in_sla_failed(self):
        self.assertEqual(self.late.sla_resolution_deadline, self.utc("2026-01-19 09:00"))
        with freeze_time(self.utc("2026-01-19 12:00")):
            found = self.filtered_by("repair.order", "aftersales_sla_failed", self.repairs)
        self.assertEqual(found, self.late)

    def test_p2_9_due_soon_filter_finds_repairs_due_within_2_hours(self):
        with freeze_time(self.utc("2026-01-19 07:30")):
            found = self.filtered_by("repair.order", "aftersales_due_soon", self.repairs)
        self.assertEqual(found, self.late)

    def test_p2_9_escalated_repairs_are_in_the_escalation_queue(self):
        with freeze_time(self.utc("2026-01-19 12:00")):
            self.env["aftersales.sla.policy"]._cron_escalate()
            self.assertEqual(self.late.sla_escalation_level, "2")
            self.assertEqual(
                self.filtered_by("repair.order", "aftersales_escalated", self.repairs), self.late
            )
            found = self.queue("repair_order_action_escalation")
        self.assertEqual(found.sudo() & self.repairs, self.late)

    def test_p2_9_cancelled_repairs_leave_the_escalation_queue(self):
        with freeze_time(self.utc("2026-01-19 12:00")):
            self.env["aftersales.sla.policy"]._cron_escalate()
            self.late.action_repair_cancel()
            found = self.queue("repair_order_action_escalation")
        self.assertFalse(found.sudo() & self.repairs)

    def test_p2_9_repairs_group_by_sla_status_and_escalation(self):
        repairs = self.env["repair.order"].with_user(self.supervisor)
        with freeze_time(self.utc("2026-01-19 12:00")):
            by_status = repairs._read_group(
                [("id", "in", self.repairs.ids)], ["sla_status"], ["__count"]
            )
            self.env["aftersales.sla.policy"]._cron_escalate()
            by_level = repairs._read_group(
                [("id", "in", self.repairs.ids)], ["sla_escalation_level"], ["__count"]
            )
        self.assertEqual(dict(by_status), {"missed": 1, "running": 1})
        self.assertEqual(dict(by_level), {"2": 1, False: 1})


@tagged("post_install", "-at_install", "aftersales")
class TestSlaSupervisorQueueReturns(SearchViewMixin, AftersalesRmaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Requested Monday: the conditions are confirmed by Tuesday 17:00.
        with freeze_time(cls.utc("2026-01-12 09:00")):
            cls.request = cls.rma("exchange", request_date="2026-01-12")

    def test_p4_2_late_confirmation_is_in_sla_failed_and_escalated(self):
        with freeze_time(self.utc("2026-01-16 09:00")):
            self.env["aftersales.sla.policy"]._cron_escalate()
            self.assertEqual(self.request.sla_escalation_level, "2")
            self.assertEqual(
                self.filtered_by("aftersales.rma", "sla_failed", self.request), self.request
            )
            self.assertEqual(
                self.filtered_by("aftersales.rma", "escalated", self.request), self.request
            )
            found = self.queue("aftersales_rma_action_escalation")
        self.assertEqual(found.sudo() & self.request, self.request)

    def test_p4_2_a_new_phase_clears_the_escalation_level(self):
        with freeze_time(self.utc("2026-01-16 09:00")):
            self.env["aftersales.sla.policy"]._cron_escalate()
            self.request.action_confirm()
            self.request.action_create_return_transfer()
            self.assertEqual(self.request.sla_escalation_level, "2")
            self.receive(self.request)
        self.assertFalse(self.request.sla_escalation_level)


@tagged("post_install", "-at_install", "aftersales")
class TestTechnicalFieldsNotGroupable(AftersalesDeskCase):
    """P10.1: "Add Custom Group" offers what users group by, not the machinery."""

    HIDDEN = {
        "aftersales.ticket": (
            "access_token",
            "color",
            "customer_tier_color",
            "sla_calendar_id",
            "sla_paused_since",
            "sla_response_escalation",
            "sla_resolution_escalation",
            "sla_apology_sent",
        ),
        "repair.order": (
            "aftersales_currency_id",
            "procurement_group_id",
            "sla_calendar_id",
            "sla_paused_since",
            "sla_apology_sent",
        ),
        "aftersales.rma": ("access_token", "window_days", "sla_calendar_id", "sla_paused_since"),
        "aftersales.contract": ("access_token", "currency_id", "reminder_date_end"),
        "aftersales.callback": ("plan_key",),
        "aftersales.feedback": ("access_token", "expires_on"),
    }
    OFFERED = {
        "aftersales.ticket": ("sla_status", "sla_escalation_level", "stage_id", "team_id"),
        "repair.order": ("sla_status", "sla_escalation_level", "state"),
        "aftersales.rma": ("sla_status", "sla_escalation_level", "state"),
        "aftersales.contract": ("state", "user_id"),
        "aftersales.callback": ("state", "user_id"),
        "aftersales.feedback": ("state", "technician_id"),
    }

    def groupable(self, model):
        fields = self.env[model].with_user(self.supervisor).fields_get(attributes=["groupable"])
        return {name for name, desc in fields.items() if desc.get("groupable")}

    def test_p10_1_technical_fields_are_not_offered_for_grouping(self):
        for model, names in self.HIDDEN.items():
            groupable = self.groupable(model)
            for name in names:
                with self.subTest(model=model, field=name):
                    self.assertIn(name, self.env[model]._fields)
                    self.assertNotIn(name, groupable)

    def test_p10_1_business_fields_stay_groupable(self):
        for model, names in self.OFFERED.items():
            groupable = self.groupable(model)
            for name in names:
                with self.subTest(model=model, field=name):
                    self.assertIn(name, groupable)

    def test_p10_1_technical_fields_stay_readable_and_searchable(self):
        ticket = self.ticket()
        tickets = self.env["aftersales.ticket"].with_user(self.supervisor)
        self.assertEqual(tickets.search([("color", "=", 0), ("id", "=", ticket.id)]), ticket)
        self.assertEqual(tickets.browse(ticket.id).read(["sla_calendar_id"])[0]["id"], ticket.id)
