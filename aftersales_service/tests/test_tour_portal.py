"""P2.1, P2.3, P2.8, P5, P8.1: the portal customer's path in the browser: file a
request, find its acknowledgement, follow it in plain words, answer the feedback
link, and return a delivered product."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestTourPortal(HttpCase):
    """A customer company with a portal user, who bought (and was delivered) two
    purifiers and paid a deposit, served by a team of the main company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.aftersales_return_window_days = 7
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Customer Ltd", "is_company": True}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Tao Lin", "parent_id": cls.customer.id, "email": "tao.lin@example.com"}
        )
        cls.portal = new_test_user(
            cls.env, login="as_tour_customer", groups="base.group_portal", partner_id=contact.id
        )
        cls.team = cls.env["aftersales.team"].create(
            {"name": "Tour Service Desk", "company_id": cls.company.id}
        )
        cls.purifier = cls.env["product.product"].create(
            {"name": "Tour Purifier TP-1", "type": "consu", "is_storable": True}
        )
        deposit = cls.env["product.product"].create({"name": "Tour Deposit", "type": "service"})
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(cls.purifier, warehouse.lot_stock_id, 5)
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.purifier.id, "product_uom_qty": 2, "price_unit": 900}
                    ),
                    Command.create(
                        {"product_id": deposit.id, "product_uom_qty": 1, "price_unit": 100}
                    ),
                ],
            }
        )
        cls.order.action_confirm()
        cls.order.message_subscribe(contact.ids)  # the customer's portal lists the order
        delivery = cls.order.picking_ids
        delivery.move_ids.quantity = 2
        delivery.move_ids.picked = True
        delivery._action_done()

    def requests(self):
        return self.env["aftersales.ticket"].search(
            [("commercial_partner_id", "=", self.customer.id)]
        )

    def test_p2_1_customer_files_a_request_and_finds_its_acknowledgement(self):
        """P2.1, P2.3, P2.8: the form, the acknowledgement in the conversation, the
        status in plain words (tour ``aftersales_portal_request``)."""
        self.start_tour("/my", "aftersales_portal_request", login=self.portal.login)
        ticket = self.requests()
        self.assertEqual(len(ticket), 1)
        self.assertRecordValues(
            ticket,
            [{"channel": "web", "product_id": self.purifier.id, "sla_first_response_at": False}],
        )
        self.assertIn("Tour: the purifier does not start", ticket.subject)

    def test_p8_1_customer_follows_the_solved_request_and_answers_the_feedback(self):
        """P2.8, P8.1: the solved request leads to the feedback link the customer
        was mailed; the public page takes the answers (tour
        ``aftersales_portal_feedback``)."""
        # Filed as the portal form does, then solved by the team.
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.portal)
            .sudo()
            .create(
                {
                    "subject": "Tour: the heater stays cold",
                    "partner_id": self.portal.partner_id.id,
                    "team_id": self.team.id,
                    "channel": "web",
                    "company_id": self.company.id,
                    "product_id": self.purifier.id,
                }
            )
        )
        ticket.stage_id = self.env.ref("aftersales_service.aftersales_stage_solved")
        later = fields.Datetime.now() + timedelta(
            hours=self.company.aftersales_feedback_delay_hours + 1
        )
        feedback = (
            self.env["aftersales.feedback"].sudo()._request_company_feedback(self.company, later)
        )
        feedback = feedback.filtered(lambda f: f.ticket_id == ticket)
        self.assertEqual(len(feedback), 1)

        self.start_tour("/my", "aftersales_portal_feedback", login=self.portal.login)
        self.assertRecordValues(
            feedback,
            [
                {
                    "state": "answered",
                    "technician_arrival": "3",
                    "service_attitude": 5,
                    "response_speed": 4,
                    "comment": "Quick and friendly.",
                }
            ],
        )

    def test_p5_customer_returns_a_delivered_product_from_the_order(self):
        """P5.1: from the delivered order to a submitted return (tour
        ``aftersales_portal_return``)."""
        self.start_tour("/my/orders", "aftersales_portal_return", login=self.portal.login)
        rma = self.env["aftersales.rma"].search([("commercial_partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            rma,
            [
                {
                    "state": "draft",
                    "kind": "refund",
                    "quantity": 2.0,
                    "sale_line_id": self.order.order_line[0].id,
                    "description": "The fan rattles from the first day.",
                }
            ],
        )
