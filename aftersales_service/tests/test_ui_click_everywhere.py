"""Every menu, view and button of the After-Sales app opens without a client error,
for a manager and for a technician (Odoo's own click-everywhere bot in Chromium)."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestUiClickEverywhere(HttpCase):
    allow_end_on_form = True

    def click_everywhere(self, login):
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('aftersales_service.aftersales_menu_root');",
            "odoo.isReady === true",
            login=login,
            timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_app_opens_everywhere_for_the_admin(self):
        self.click_everywhere("admin")

    def test_app_opens_everywhere_for_a_technician(self):
        new_test_user(
            self.env,
            login="ui_technician",
            password="ui_technician",
            groups="base.group_user,aftersales_service.group_aftersales_user",
        )
        self.click_everywhere("ui_technician")
