"""P2.1, P2.2, P2.8, P6.1, P6.2, P6.5 in the browser: an agent registers a phone
complaint, classifies it, decides a repair and creates it from the ticket (the
customer, product and serial come along); once the workshop has repaired and
returned the product, the ticket is in progress asking for its root cause and
corrective action, which the agent records before solving it."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.aftersales_service.models.repair_order import INSPECTION_CHECKS

from .common import SIGNATURE, company_user


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestTourAgent(HttpCase):
    # Both tours end on the saved record they worked on (the ticket, the repair).
    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.agent = company_user(
            cls.env,
            "tour_agent",
            company,
            name="Tour Agent",
            groups="base.group_user,aftersales_service.group_aftersales_user",
        )
        cls.workshop = company_user(
            cls.env,
            "tour_workshop_supervisor",
            company,
            groups="base.group_user,aftersales_service.group_aftersales_supervisor",
        )
        cls.team = cls.env["aftersales.team"].create(
            {
                "name": "Tour Service Desk",
                "company_id": company.id,
                "member_ids": [Command.set((cls.agent | cls.workshop).ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Suzhou Tour Appliances", "is_company": True, "customer_rank": 1}
        )
        categ = cls.env["product.category"].create({"name": "Tour Purifiers"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Purifier TP-1",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": categ.id,
            }
        )
        cls.serial = cls.env["stock.lot"].create(
            {"name": "TP1-0001", "product_id": cls.product.id, "company_id": company.id}
        )
        cls.env["aftersales.category"].create(
            {"name": "Tour fan noise", "complaint_category": "quality"}
        )
        cls.env["aftersales.certification"].create(
            {"user_id": cls.workshop.id, "categ_id": categ.id, "company_id": company.id}
        )

    def workshop_repairs_and_returns(self, repair):
        """What the workshop does between the two tours (P2.7, P3.3, P3.4)."""
        repair = repair.with_user(self.workshop)
        self.env["stock.quant"]._update_available_quantity(
            self.product, repair.location_id, 1, lot_id=self.serial
        )
        repair.action_validate()
        if repair.aftersales_quote_state == "waiting":
            repair._aftersales_accept_quote("Zhou Min", "phone")
        repair.action_repair_start()
        repair._aftersales_inspect(checks=dict.fromkeys(INSPECTION_CHECKS, True))
        repair.action_repair_end()
        self.env["aftersales.repair.return.wizard"].with_user(self.workshop).create(
            {"repair_id": repair.id, "signature": SIGNATURE, "signed_by": "Zhou Min"}
        ).action_confirm()

    def test_p6_2_phone_complaint_to_repair_and_back_p6_5(self):
        self.start_tour(
            "/odoo/action-aftersales_service.aftersales_ticket_action/new",
            "aftersales_agent_complaint_to_repair",
            login="tour_agent",
        )
        ticket = self.env["aftersales.ticket"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(
            (ticket.ticket_type, ticket.channel, ticket.remedy), ("complaint", "phone", "repair")
        )
        repair = self.env["repair.order"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(
            (repair.partner_id, repair.product_id, repair.lot_id),
            (self.customer, self.product, self.serial),
        )

        self.workshop_repairs_and_returns(repair)
        self.assertEqual(repair.state, "done")
        self.assertFalse(ticket.is_closed, "P6.5: no root cause recorded yet")

        self.start_tour(
            f"/odoo/action-aftersales_service.aftersales_ticket_action/{ticket.id}",
            "aftersales_agent_complaint_after_repair",
            login="tour_agent",
        )
        self.assertTrue(ticket.is_closed)
        self.assertFalse(ticket.stage_id.is_cancelled)
        self.assertFalse(ticket.activity_ids)
