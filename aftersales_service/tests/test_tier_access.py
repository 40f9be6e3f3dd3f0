"""P1.2, P10.1, P10.2, P11.1: who may pin tiers and edit tier definitions."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install", "aftersales")
class TestTierAccess(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gold = cls._tier("GOLD", 1, min_invoiced_amount=100000)
        cls.customer = cls._create_customer("Beijing Jingcheng")

    def test_technician_cannot_pin_a_tier(self):
        with self.assertRaises(AccessError):
            self.partner_in(self.customer).with_user(self.technician).write(
                {"aftersales_tier_id": self.gold.id, "aftersales_tier_pinned": True}
            )

    def test_supervisor_cannot_pin_a_tier(self):
        with self.assertRaises(AccessError):
            self.partner_in(self.customer).with_user(self.supervisor).aftersales_tier_pinned = True

    def test_manager_can_pin_a_tier(self):
        partner = self.partner_in(self.customer).with_user(self.manager)
        partner.write({"aftersales_tier_id": self.gold.id, "aftersales_tier_pinned": True})
        self.assertTrue(partner.aftersales_tier_pinned)
        self.assertEqual(partner.aftersales_tier_id, self.gold)

    def test_technician_can_still_edit_other_partner_fields(self):
        self.partner_in(self.customer).with_user(self.technician).write(
            {"aftersales_contact_time": "9:00-11:00"}
        )
        self.assertEqual(self.customer.aftersales_contact_time, "9:00-11:00")

    def test_technician_cannot_edit_tier_definitions(self):
        with self.assertRaises(AccessError):
            self.gold.with_user(self.technician).min_invoiced_amount = 1
        with self.assertRaises(AccessError):
            self.env["aftersales.tier"].with_user(self.technician).create(
                {"name": "Platinum", "code": "PLAT"}
            )

    def test_manager_can_edit_tier_definitions(self):
        self.gold.with_user(self.manager).min_invoiced_amount = 150000
        self.assertEqual(self.gold.min_invoiced_amount, 150000)

    def test_technician_cannot_recompute_tiers(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.tier"].with_user(self.technician).action_recompute_tiers()

    def test_manager_recompute_button_reports_counts(self):
        action = self.env["aftersales.tier"].with_user(self.manager).action_recompute_tiers()
        self.assertEqual(action["tag"], "display_notification")

    def test_user_of_company_b_does_not_see_company_a_tiers(self):
        company_b = self._create_company("Company B", with_accounting=False)
        user_b = self._create_user("as_manager_b", "group_aftersales_manager", company=company_b)
        tier_b = self._tier("GOLD", 1, company=company_b)
        tiers_b = (
            self.env["aftersales.tier"]
            .with_user(user_b)
            .with_context(allowed_company_ids=company_b.ids)
        )
        visible = tiers_b.search([])
        self.assertIn(tier_b, visible)
        self.assertNotIn(self.gold, visible)
        with self.assertRaises(AccessError):
            self.gold.with_env(tiers_b.env).read(["name"])

    def test_shared_tier_is_visible_in_every_company(self):
        shared = self._tier("SHARED", 5, company_id=False)
        company_b = self._create_company("Company B", with_accounting=False)
        user_b = self._create_user("as_tech_b", "group_aftersales_user", company=company_b)
        tiers_b = (
            self.env["aftersales.tier"]
            .with_user(user_b)
            .with_context(allowed_company_ids=company_b.ids)
        )
        self.assertIn(shared, tiers_b.search([]))

    def test_sales_and_accounting_users_can_read_tiers(self):
        for group in ("sales_team.group_sale_salesman", "account.group_account_invoice"):
            user = self.env["res.users"].create(
                {
                    "name": group,
                    "login": group,
                    "company_id": self.company.id,
                    "company_ids": [(6, 0, self.company.ids)],
                    "groups_id": [(6, 0, [self.env.ref(group).id])],
                }
            )
            self.assertEqual(self.gold.with_user(user).read(["code"])[0]["code"], "GOLD")
