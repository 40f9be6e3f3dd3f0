"""P2.6, P10.2 in the browser: an accountant opens a repair from "Repairs to
Invoice" (its goods receipt, work entries and service request included), creates
its invoice (through its sale order, the repair's one invoicing path) and no longer
finds it in the list."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.aftersales_service.models.repair_order import INSPECTION_CHECKS

from .common import company_user


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestTourAccountant(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.accountant = company_user(
            cls.env,
            "tour_accountant",
            company,
            name="Tour Accountant",
            groups="base.group_user,account.group_account_invoice",
        )
        technician = company_user(
            cls.env,
            "tour_invoice_supervisor",
            company,
            groups="base.group_user,aftersales_service.group_aftersales_supervisor",
        )
        team = cls.env["aftersales.team"].create(
            {
                "name": "Tour Workshop",
                "company_id": company.id,
                "member_ids": [Command.set(technician.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Qingdao Tour Customer", "is_company": True, "customer_rank": 1}
        )
        categ = cls.env["product.category"].create({"name": "Tour Heaters"})
        cls.env["aftersales.certification"].create(
            {"user_id": technician.id, "categ_id": categ.id, "company_id": company.id}
        )
        heater = cls.env["product.product"].create(
            {"name": "Tour Fan Heater", "type": "consu", "categ_id": categ.id}
        )
        part = cls.env["product.product"].create(
            {"name": "Tour Heating Element", "type": "consu", "list_price": 80.0}
        )
        ticket = cls.env["aftersales.ticket"].create(
            {
                "subject": "Heater stops after ten minutes",
                "partner_id": cls.customer.id,
                "team_id": team.id,
                "product_id": heater.id,
            }
        )
        repair = cls.env["repair.order"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": heater.id,
                "ticket_id": ticket.id,
                "user_id": technician.id,
                "aftersales_repair_mode": "workshop",
                "move_ids": [
                    Command.create(
                        {
                            "repair_line_type": "add",
                            "product_id": part.id,
                            "product_uom_qty": 1,
                        }
                    )
                ],
            }
        )
        repair._aftersales_receive_goods("Power cable", "Scratch on the grille")
        cls.env["aftersales.work.entry"].create(
            {
                "repair_id": repair.id,
                "user_id": technician.id,
                "description": "Heating element replaced",
                "hours": 1.0,
            }
        )
        # The customer accepts the quotation (sales), the workshop repairs and inspects.
        repair.action_create_sale_order()
        repair.sale_order_id.action_confirm()
        repair.action_validate()
        repair.action_repair_start()
        repair._aftersales_inspect(checks=dict.fromkeys(INSPECTION_CHECKS, True))
        repair.action_repair_end()
        cls.repair = repair

    def test_p2_6_accountant_invoices_a_repair_from_repairs_to_invoice(self):
        self.assertTrue(self.repair.aftersales_to_invoice)
        self.start_tour(
            "/odoo/action-aftersales_service.repair_order_action_to_invoice",
            "aftersales_accountant_invoice_repair",
            login="tour_accountant",
        )
        self.assertTrue(self.repair.aftersales_invoice_id)
        self.assertIn(self.repair.aftersales_invoice_id, self.repair.sale_order_id.invoice_ids)
        self.assertFalse(self.repair.aftersales_to_invoice)
