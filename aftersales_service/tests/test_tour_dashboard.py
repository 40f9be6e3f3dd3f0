"""P9.2: a supervisor reads the service dashboard in the browser, changes its
period and team, and drills down from a card into the records it counts."""

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import SUPERVISOR, company_user


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestTourDashboard(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.ref("base.main_company")
        cls.supervisor = company_user(
            cls.env, "tour_dashboard", company, name="Tour Dashboard Supervisor", **SUPERVISOR
        )
        team = cls.env["aftersales.team"].create(
            {"name": "Tour Dashboard Team", "company_id": company.id}
        )
        customer = cls.env["res.partner"].create(
            {"name": "Tour Dashboard Customer", "is_company": True, "customer_rank": 1}
        )
        cls.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Tour: dashboard ticket {number}",
                    "partner_id": customer.id,
                    "team_id": team.id,
                    "company_id": company.id,
                    "channel": channel,
                    "received_at": fields.Datetime.now(),
                }
                for number, channel in ((1, "phone"), (2, "phone"), (3, "web"))
            ]
        )

    def test_p9_2_supervisor_changes_the_period_and_drills_down_from_a_card(self):
        self.start_tour(
            "/odoo/aftersales-dashboard", "aftersales_dashboard_tour", login="tour_dashboard"
        )
