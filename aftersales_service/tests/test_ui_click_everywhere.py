"""Every menu, view and button of the After-Sales app opens without a client error,
for a manager and for a technician (Odoo's own click-everywhere bot in Chromium)."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestUiClickEverywhere(HttpCase):
    allow_end_on_form = True

    def setUp(self):
        super().setUp()
        # After minutes of clicking, the browser holds a large heap and, on a loaded
        # machine, answers the DevTools requests of its own shutdown slower than the
        # 10 s Odoo allows each: the bot had succeeded, the test failed on cleanup.
        request = ChromeBrowser._websocket_request

        def patient_request(browser, method, *, params=None, timeout=10.0):
            return request(browser, method, params=params, timeout=max(timeout, 60.0))

        self.patch(ChromeBrowser, "_websocket_request", patient_request)
        stop = ChromeBrowser.stop

        def stop_for_sure(browser):
            try:
                stop(browser)
            finally:
                # A shutdown that still fails would leave the DevTools socket and its
                # reader thread open, and the test process would never exit.
                if getattr(browser, "ws", None) is not None and browser.ws.connected:
                    browser.ws.close()
                if browser.chrome and browser.chrome.poll() is None:
                    browser.chrome.kill()

        self.patch(ChromeBrowser, "stop", stop_for_sure)

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
