"""P10.1, P10.2, P11.1: who sees which tickets."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestTicketAccess(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = cls._create_user("as_technician_other", "group_aftersales_user")
        cls.other_team = cls.env["aftersales.team"].create(
            {
                "name": "Beijing Centre",
                "company_id": cls.company.id,
                "member_ids": [(6, 0, cls.outsider.ids)],
            }
        )
        cls.own = cls.ticket()
        cls.foreign = cls.ticket(team_id=cls.other_team.id, subject="Beijing ticket")

    def visible_to(self, user):
        return self.env["aftersales.ticket"].with_user(user).search([])

    def test_technician_sees_the_tickets_of_their_teams(self):
        visible = self.visible_to(self.technician)
        self.assertIn(self.own, visible)
        self.assertNotIn(self.foreign, visible)

    def test_technician_cannot_open_another_teams_ticket(self):
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.technician).read(["subject"])

    def test_technician_sees_a_ticket_assigned_to_them_in_another_team(self):
        self.foreign.user_id = self.technician
        self.assertIn(self.foreign, self.visible_to(self.technician))

    def test_supervisor_sees_all_tickets_of_the_company(self):
        visible = self.visible_to(self.supervisor)
        self.assertIn(self.own, visible)
        self.assertIn(self.foreign, visible)

    def test_user_of_another_company_sees_none(self):
        company_b = self._create_company("Company B", with_accounting=False)
        supervisor_b = self._create_user("as_sup_b", "group_aftersales_supervisor", company_b)
        tickets = (
            self.env["aftersales.ticket"]
            .with_user(supervisor_b)
            .with_context(allowed_company_ids=company_b.ids)
        )
        self.assertFalse(tickets.search([("id", "in", (self.own | self.foreign).ids)]))

    def test_technician_cannot_delete_a_ticket(self):
        with self.assertRaises(AccessError):
            self.own.with_user(self.technician).unlink()

    def test_technician_cannot_change_sla_policies(self):
        with self.assertRaises(AccessError):
            self.policy.with_user(self.technician).response_hours = 10

    def test_technician_cannot_set_sla_fields_by_hand(self):
        """SLA fields are readonly in the UI and recomputed from the policy."""
        self.own.with_user(self.technician).write({"priority": "0"})
        self.assertEqual(self.own.sla_policy_id.priority or "0", "0")
