"""P7.2, P10.2: the contract menus live in the Sales app without taking it over:
Sales still opens on Quotations, for a sales rep as for the administrator."""

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install", "aftersales")
class TestSalesMenu(TransactionCase):
    def opening_action(self, user):
        """The action the web client runs when ``user`` opens the Sales app."""
        menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
        return menus[self.env.ref("sale.sale_menu_root").id]["actionID"], menus

    def test_p7_2_sales_opens_on_quotations_with_the_renewals_menu_present(self):
        rep = new_test_user(
            self.env,
            login="as_menu_rep",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        quotations = self.env.ref("sale.action_quotations_with_onboarding")
        renewals = self.env.ref("aftersales_service.aftersales_contract_menu_sale_renewals")
        for user in (rep, self.env.ref("base.user_admin")):
            action_id, menus = self.opening_action(user)
            self.assertEqual(action_id, quotations.id, user.login)
            self.assertIn(renewals.id, menus, f"{user.login} still has the Renewals menu")
