"""P2.5, P3.1, P3.5, P2.9: qualified technicians, arrival and workshop deadlines on
the SLA clock, escalation of late repairs."""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesRepairCase


@tagged("post_install", "-at_install", "aftersales")
class TestRepairDispatch(AftersalesRepairCase):
    def test_unqualified_technician_is_refused(self):
        outsider = self._create_user("as_untrained", "group_aftersales_user")
        with self.assertRaises(ValidationError) as refused:
            self.repair(user_id=outsider.id)
        self.assertIn("not certified", str(refused.exception))

    def test_certification_of_a_parent_category_qualifies(self):
        self.assertEqual(self.repair(user_id=self.technician.id).user_id, self.technician)

    def test_expired_certification_does_not_qualify(self):
        self.env["aftersales.certification"].search(
            [("user_id", "=", self.technician.id)]
        ).date_valid_until = "2020-01-01"
        with self.assertRaises(ValidationError):
            self.repair(user_id=self.technician.id)

    def test_uncertified_creator_leaves_the_repair_to_dispatch(self):
        repair = (
            self.env["repair.order"]
            .with_user(self.supervisor)
            .create({"partner_id": self.customer.id, "product_id": self.purifier.id})
        )
        self.assertFalse(repair.user_id)

    def on_site_repair(self, ticket, zone):
        """An on-site repair of ``ticket`` in ``zone``."""
        return self.repair(
            ticket_id=ticket.id, aftersales_repair_mode="on_site", aftersales_zone_id=zone.id
        )

    def test_city_arrival_deadline_is_6_working_hours(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
            repair = self.on_site_repair(ticket, self.city)
        self.assertEqual(repair.sla_response_deadline, self.utc("2026-01-12 15:00"))

    def test_suburb_arrival_deadline_is_7_working_hours(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket()
            repair = self.on_site_repair(ticket, self.suburb)
        self.assertEqual(repair.sla_response_deadline, self.utc("2026-01-12 16:00"))

    def test_arrival_counts_from_the_request_not_the_repair(self):
        with freeze_time(self.utc("2026-01-12 16:00")):
            ticket = self.ticket()
        with freeze_time(self.utc("2026-01-13 10:00")):
            repair = self.on_site_repair(ticket, self.city)
        # Mon 16-17 (1 h) + Tue 08-13 (5 h).
        self.assertEqual(repair.sla_response_deadline, self.utc("2026-01-13 13:00"))

    def test_zone_comes_from_the_customer_address(self):
        self.customer.aftersales_zone_id = self.suburb
        self.assertEqual(self.repair().aftersales_zone_id, self.suburb)

    def test_arrival_on_site_is_the_first_response(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            repair = self.repair(aftersales_repair_mode="on_site", aftersales_zone_id=self.city.id)
        with freeze_time(self.utc("2026-01-12 14:00")):
            repair.action_aftersales_arrive()
            self.assertEqual(repair.sla_response_status, "met")

    def test_workshop_repair_is_due_in_5_working_days(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            repair = self.repair()
        # 5 days x 9 h = 45 h: Mon 8 h, Tue-Fri 36 h, next Mon 1 h.
        self.assertEqual(repair.sla_resolution_deadline, self.utc("2026-01-19 09:00"))

    def test_late_repair_escalates_to_the_team_leader(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            repair = self.repair()
        with freeze_time(self.utc("2026-01-19 10:00")):
            self.env["aftersales.sla.policy"]._cron_escalate()
            self.env["aftersales.sla.policy"]._cron_escalate()
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "repair.order"),
                ("res_id", "=", repair.id),
                ("user_id", "=", self.leader.id),
            ]
        )
        # One for the leader, naming both targets: the repair neither started
        # (response) nor ended in time.
        self.assertEqual(
            activities.mapped("summary"),
            ["First response overdue (level 1); Resolution overdue (level 1)"],
        )

    def test_dispatch_lists_older_requests_first(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            older = self.repair(aftersales_repair_mode="on_site")
        with freeze_time(self.utc("2026-01-13 09:00")):
            newer = self.repair(aftersales_repair_mode="on_site")
        action = self.env.ref("aftersales_service.repair_order_action_dispatch")
        found = self.env["repair.order"].search(
            [*safe_eval(action.domain), ("id", "in", (older | newer).ids)],
            order="aftersales_received_at",
        )
        self.assertEqual(found.ids, (older | newer).ids)
