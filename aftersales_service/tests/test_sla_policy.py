"""P6.3, P1.4: which SLA policy and targets a ticket gets."""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestSlaPolicy(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Generic: any phone request of the team. Specific: urgent phone requests.
        cls.policy.unlink()
        cls.phone = cls._policy(
            name="Phone", ticket_type=False, priority=False, response_hours=2, resolution_hours=24
        )
        cls.urgent_phone = cls._policy(
            name="Urgent phone",
            ticket_type=False,
            priority="2",
            response_hours=1,
            resolution_hours=8,
            sequence=50,
        )

    def test_more_specific_policy_wins_over_lower_sequence(self):
        ticket = self.ticket(priority="2")
        self.assertEqual(ticket.sla_policy_id, self.urgent_phone)
        self.assertEqual((ticket.sla_response_target, ticket.sla_resolution_target), (1, 8))

    def test_generic_policy_applies_when_specific_does_not_match(self):
        self.assertEqual(self.ticket(priority="1").sla_policy_id, self.phone)

    def test_sequence_breaks_ties_between_equally_specific_policies(self):
        tie = self._policy(name="Tie", ticket_type=False, priority=False, sequence=0)
        self.assertEqual(self.ticket(priority="1").sla_policy_id, tie)

    def test_seeded_channel_policy_applies_without_team_policy(self):
        """P6.3 seed data: e-mail requests get 1 h response / 48 h solution."""
        (self.phone | self.urgent_phone).unlink()
        ticket = self.ticket(channel="email", priority="0")
        self.assertEqual(
            ticket.sla_policy_id, self.env.ref("aftersales_service.aftersales_sla_policy_email")
        )
        self.assertEqual((ticket.sla_response_target, ticket.sla_resolution_target), (1, 48))

    def test_stricter_tier_target_replaces_the_channel_target(self):
        tier = self._tier("GOLD", 1, first_response_hours=1, resolution_hours=12)
        self.partner_in(self.customer).aftersales_tier_id = tier
        ticket = self.ticket(priority="1")
        self.assertEqual(ticket.customer_tier_id, tier)
        self.assertEqual((ticket.sla_response_target, ticket.sla_resolution_target), (1, 12))

    def test_looser_tier_target_does_not_relax_the_policy(self):
        tier = self._tier("STD", 1, first_response_hours=8, resolution_hours=72)
        self.partner_in(self.customer).aftersales_tier_id = tier
        ticket = self.ticket(priority="1")
        self.assertEqual((ticket.sla_response_target, ticket.sla_resolution_target), (2, 24))

    def test_tier_criterion_selects_a_policy(self):
        tier = self._tier("STRAT", 1)
        self.partner_in(self.customer).aftersales_tier_id = tier
        vip = self._policy(
            name="Strategic phone",
            ticket_type=False,
            priority=False,
            tier_id=tier.id,
            response_hours=0.5,
            resolution_hours=4,
        )
        self.assertEqual(self.ticket(priority="1").sla_policy_id, vip)

    def test_priority_change_recomputes_the_deadlines(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket(priority="1")
            self.assertEqual(ticket.sla_response_deadline, self.utc("2026-01-12 11:00"))
            ticket.priority = "2"
        self.assertEqual(ticket.sla_policy_id, self.urgent_phone)
        self.assertEqual(ticket.sla_response_deadline, self.utc("2026-01-12 10:00"))

    def test_closed_ticket_keeps_its_deadlines(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            ticket = self.ticket(priority="1")
            ticket.stage_id = self.stage_solved
            ticket.priority = "2"
        self.assertEqual(ticket.sla_policy_id, self.phone)

    def test_policy_targets_must_be_positive(self):
        with self.assertRaises(ValidationError):
            self._policy(name="Bad", response_hours=0)
        with self.assertRaises(ValidationError):
            self._policy(name="Bad", response_hours=10, resolution_hours=5)
