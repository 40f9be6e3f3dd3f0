"""P2.6, P2.7, P3.3, P3.4, P10.2: the technician's repair path in the browser —
carry-in from intake to the signed return (with the supervisor's inspection in
between), and an on-site job signed on the tablet."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesRepairCase


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestTourTechnician(HttpCase, AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.tour_technician = new_test_user(
            cls.env,
            login="tour_technician",
            name="Tour Technician",
            groups="base.group_user,aftersales_service.group_aftersales_user",
            **company,
        )
        cls.tour_supervisor = new_test_user(
            cls.env,
            login="tour_supervisor",
            name="Tour Supervisor",
            groups="base.group_user,aftersales_service.group_aftersales_supervisor",
            **company,
        )
        cls.team.member_ids |= cls.tour_technician | cls.tour_supervisor
        cls.env["aftersales.certification"].create(
            {
                "user_id": cls.tour_technician.id,
                "categ_id": cls.appliances.id,
                "company_id": cls.company.id,
            }
        )
        cls.tour_customer = cls._create_customer("Tour Customer Xihu")
        cls.tour_product = cls.env["product.product"].create(
            {
                "name": "Tour Purifier TP-1",
                "type": "consu",
                "categ_id": cls.purifiers.id,
                "list_price": 800.0,
            }
        )
        cls.tour_part = cls.env["product.product"].create(
            {"name": "Tour Fan Motor", "type": "consu", "list_price": 120.0}
        )

    def test_p2_7_carry_in_repair_from_intake_to_the_signed_return(self):
        """P2.7, P3.3, P3.4: the technician registers the repair, takes the product,
        records the quote's acceptance, logs work and a part; the supervisor
        inspects; the technician ends it and the customer signs for the return."""
        self.start_tour(
            "/odoo/repairs/new", "aftersales_technician_carry_in_tour", login="tour_technician"
        )
        repair = self.env["repair.order"].search([("partner_id", "=", self.tour_customer.id)])
        self.assertEqual(len(repair), 1)
        self.assertEqual(repair.state, "under_repair")
        receipt = repair.aftersales_goods_receipt_ids
        self.assertEqual(receipt.accessories, "Power cable, remote control")
        self.assertEqual(receipt.condition, "Scratch on the top cover")
        self.assertEqual(receipt.received_by, self.tour_technician)
        self.assertEqual(repair.aftersales_quote_accepted_by, "Zhou Ming")
        self.assertEqual(repair.aftersales_quote_acceptance, "phone")
        self.assertEqual(repair.aftersales_labour_hours, 1.5)
        self.assertEqual(repair.move_ids.product_id, self.tour_part)

        self.start_tour(
            f"/odoo/repairs/{repair.id}",
            "aftersales_supervisor_inspection_tour",
            login="tour_supervisor",
        )
        self.env.invalidate_all()
        self.assertEqual(repair.aftersales_inspector_id, self.tour_supervisor)
        self.assertEqual(repair.aftersales_inspection_note, "Ran 30 minutes at full speed, quiet")

        self.start_tour(
            f"/odoo/repairs/{repair.id}",
            "aftersales_technician_return_tour",
            login="tour_technician",
        )
        self.env.invalidate_all()
        self.assertEqual(repair.state, "done")
        self.assertTrue(repair.aftersales_returned_on)
        self.assertEqual(receipt.state, "returned")
        self.assertEqual(receipt.return_signed_by, "Zhou Ming")
        self.assertEqual(receipt.returned_by, self.tour_technician)
        self.assertTrue(receipt.return_signature)

    def test_p2_6_on_site_job_signed_on_the_tablet(self):
        """P2.6: End Repair of an on-site job opens the signature dialog; the job is
        done with who signed, when and who recorded it."""
        person = self.env["res.partner"].create({"name": "Wang Fang"})
        repair = self.repair(
            self.tour_product,
            partner_id=person.id,
            aftersales_repair_mode="on_site",
            user_id=self.tour_technician.id,
        )
        repair.action_validate()
        repair.action_repair_start()
        self.start_tour(
            f"/odoo/repairs/{repair.id}",
            "aftersales_technician_on_site_tour",
            login="tour_technician",
        )
        self.env.invalidate_all()
        self.assertEqual(repair.state, "done")
        self.assertEqual(repair.aftersales_signed_by, "Wang Fang")
        self.assertTrue(repair.aftersales_signed_on)
        self.assertTrue(repair.aftersales_signature)
        self.assertEqual(repair.aftersales_signature_user_id, self.tour_technician)
