"""P11.1: several companies share one database and a customer; every decision that
reads history reads only its own company's (P2.4, P3.1, P3.6, P7.1)."""

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesContractCase


@tagged("post_install", "-at_install", "aftersales")
class TestCompanyScopedDecisions(AftersalesContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._create_company("After-Sales Branch B")
        cls.company_b.write(
            {"aftersales_default_warranty_months": 12, "aftersales_repair_warranty_months": 3}
        )
        both = cls.company | cls.company_b
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=both.ids))
        (cls.technician | cls.supervisor).write({"company_ids": [Command.set(both.ids)]})
        cls.team_b = (
            cls.env["aftersales.team"]
            .with_company(cls.company_b)
            .create(
                {
                    "name": "Branch B Service",
                    "company_id": cls.company_b.id,
                    "resource_calendar_id": cls.company_b.resource_calendar_id.id,
                    "member_ids": [Command.set(cls.technician.ids)],
                }
            )
        )
        cls.today = cls.company._aftersales_today()
        # A serial of no company: both companies may sell and repair it.
        cls.shared_serial = cls.env["stock.lot"].create(
            {"name": "SN-SHARED-1", "product_id": cls.serial_purifier.id, "company_id": False}
        )

    def repair_in(self, company, team, product=None, lot=None, user=None, **vals):
        """A repair registered in ``company`` through the form, as an agent would."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        model = env["repair.order"].with_company(company).with_user(user or self.technician)
        with Form(model) as form:
            form.partner_id = self.customer
            form.product_id = product or self.serial_purifier
            if lot:
                form.lot_id = lot
            form.aftersales_team_id = team
            form.aftersales_fault_category_id = self.noise
            for fname, value in vals.items():
                setattr(form, fname, value)
        return form.record

    def test_p2_4_a_delivery_by_another_company_grants_no_warranty(self):
        """P2.4: delivered a month ago by company A: free in A, paid in B."""
        self.deliver(self.shared_serial, self.today - relativedelta(months=1))
        in_a = self.repair_in(self.company, self.team, lot=self.shared_serial)
        in_b = self.repair_in(self.company_b, self.team_b, lot=self.shared_serial)
        self.assertEqual(in_a.aftersales_service_type, "free")
        self.assertEqual(in_b.aftersales_service_type, "paid")
        self.assertFalse(in_b.aftersales_purchase_date)

    def test_p2_4_an_invoice_of_another_company_grants_no_warranty(self):
        """P2.4: invoiced two months ago by company A: free in A, paid in B."""
        self.invoice_product(self.purifier, self.today - relativedelta(months=2))
        in_a = self.repair_in(self.company, self.team, product=self.purifier)
        in_b = self.repair_in(self.company_b, self.team_b, product=self.purifier)
        self.assertEqual(in_a.aftersales_purchase_date_source, "invoice")
        self.assertEqual(in_b.aftersales_service_type, "paid")

    def test_p3_6_a_repair_by_another_company_is_no_free_repeat(self):
        """P3.6: the same fault a month after company A repaired it: a free repeat
        in A, a paid repair in B."""
        first = self.repair(self.purifier, user_id=self.technician.id)
        self.finish(first)
        again_in_a = self.repair_in(self.company, self.team, product=self.purifier)
        again_in_b = self.repair_in(self.company_b, self.team_b, product=self.purifier)
        self.assertEqual(again_in_a.aftersales_previous_repair_id, first)
        self.assertEqual(again_in_a.aftersales_service_type, "free")
        self.assertFalse(again_in_b.aftersales_previous_repair_id)
        self.assertEqual(again_in_b.aftersales_service_type, "paid")

    def test_p7_1_a_contract_of_another_company_does_not_cover(self):
        """P7.1: company A's maintenance contract on the serial prices A's repairs,
        not B's."""
        contract = self.contract(lots=self.shared_serial)
        contract.write(
            {
                "date_start": self.today - relativedelta(months=1),
                "date_end": self.today + relativedelta(months=11),
            }
        )
        in_a = self.repair_in(self.company, self.team, lot=self.shared_serial)
        in_b = self.repair_in(self.company_b, self.team_b, lot=self.shared_serial)
        self.assertEqual(in_a.aftersales_contract_id, contract)
        self.assertEqual(in_a.aftersales_service_type, "contract")
        self.assertFalse(in_b.aftersales_contract_id)
        self.assertEqual(in_b.aftersales_service_type, "paid")

    def test_p7_1_each_company_may_cover_the_same_serial_once(self):
        """P7.1: one contract at a time per serial within a company; another company
        may cover the same serial for its own service."""
        self.contract(lots=self.shared_serial)
        in_b = self.env["aftersales.contract"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company_b.id,
                "date_start": self.START,
                "date_end": self.END,
                "line_ids": [
                    Command.create(
                        {"product_id": self.serial_purifier.id, "lot_id": self.shared_serial.id}
                    )
                ],
            }
        )
        in_b.action_activate()
        self.assertIn(in_b.state, ("active", "expiring", "expired"))
        with self.assertRaises(ValidationError):
            self.contract(lots=self.shared_serial)

    def test_p3_1_a_certification_of_another_company_does_not_qualify(self):
        """P3.1: certified for appliances in company A only: assignable in A, refused
        in B with the reason."""
        in_a = self.repair_in(self.company, self.team, product=self.purifier)
        in_a.user_id = self.technician
        in_b = self.repair_in(self.company_b, self.team_b, product=self.purifier)
        with self.assertRaises(ValidationError) as refused:
            in_b.user_id = self.technician
        self.assertIn("not certified", str(refused.exception))
