"""Team assignment of new tickets: manual, round robin, fewest open tickets."""

from odoo import Command
from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestTicketAssignment(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second = cls._create_user("as_technician_2", "group_aftersales_user")
        cls.team.member_ids = [Command.set((cls.technician | cls.second).ids)]

    def test_manual_assignment_leaves_tickets_unassigned(self):
        self.team.assignment_method = "manual"
        self.assertFalse(self.ticket().user_id)

    def test_round_robin_alternates_between_members(self):
        self.team.assignment_method = "round_robin"
        users = [self.ticket().user_id for _i in range(4)]
        self.assertEqual(users, [self.technician, self.second, self.technician, self.second])

    def test_fewest_open_tickets_goes_to_the_least_loaded_member(self):
        self.team.assignment_method = "manual"
        self.ticket(user_id=self.technician.id)
        self.ticket(user_id=self.technician.id)
        self.team.assignment_method = "least_open"
        self.assertEqual(self.ticket().user_id, self.second)

    def test_batch_creation_spreads_the_load(self):
        self.team.assignment_method = "least_open"
        tickets = self.env["aftersales.ticket"].create(
            [
                {"subject": f"Call {i}", "team_id": self.team.id, "partner_id": self.customer.id}
                for i in range(4)
            ]
        )
        self.assertEqual(len(tickets.filtered(lambda t: t.user_id == self.second)), 2)

    def test_explicit_assignee_is_kept(self):
        self.team.assignment_method = "round_robin"
        self.assertEqual(self.ticket(user_id=self.second.id).user_id, self.second)
