"""P4, P5.1, P10.2: customers start a return or an exchange from a delivered order
line on the portal, follow it, and cancel a draft; never on another customer's."""

from datetime import timedelta
from urllib.parse import urlparse

from lxml import html

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from odoo.addons.aftersales_service.tests.common import AftersalesPortalCase, delivered_order


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestRmaPortal(AftersalesPortalCase):
    """Two customers (commercial entities A and B), each with a portal user and an
    order of 2 air purifiers delivered today; 7-day return window, 30-day vouchers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {"aftersales_return_window_days": 7, "aftersales_voucher_validity_days": 30}
        )
        partners = cls.env["res.partner"]
        cls.customer_a = partners.create({"name": "Hangzhou Xihu Appliances", "is_company": True})
        cls.customer_b = partners.create({"name": "Suzhou Lake Trading", "is_company": True})
        cls.user_a = cls._portal_user("as_rma_portal_a", "Alice Chen", cls.customer_a)
        cls.user_b = cls._portal_user("as_rma_portal_b", "Bob Wang", cls.customer_b)
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Air Purifier AP-500",
                "type": "consu",
                "is_storable": True,
                "list_price": 1000.0,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(cls.goods, cls.warehouse.lot_stock_id, 20)
        cls.defective = cls.env.ref("aftersales_service.aftersales_rma_reason_defective")
        cls.order_a = delivered_order(
            cls.env, cls.customer_a, cls.goods, 2, 1000, company=cls.company
        )
        cls.line_a = cls.order_a.order_line
        cls.order_b = delivered_order(
            cls.env, cls.customer_b, cls.goods, 2, 1000, company=cls.company
        )
        cls.line_b = cls.order_b.order_line

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def csrf_token(self, url, form_xpath):
        response = self.open_url(url)
        self.assertEqual(response.status_code, 200)
        tokens = html.fromstring(response.content).xpath(
            f"{form_xpath}//input[@name='csrf_token']/@value"
        )
        self.assertTrue(tokens, f"{url} has a form with a CSRF token")
        return tokens[0]

    def form_data(self, line, **overrides):
        """A refund of 1 (P5) with the CSRF token of a freshly opened form of ``line``."""
        data = {
            "csrf_token": self.csrf_token(
                f"/my/returns/new?line_id={line.id}", "//form[hasclass('o_aftersales_return_form')]"
            ),
            "line_id": str(line.id),
            "kind": "refund",
            "quantity": "1",
            "reason_id": str(self.defective.id),
            "description": "The fan rattles from the first day.",
        }
        data.update(overrides)
        return data

    def post_form(self, line, **overrides):
        return self.open_url("/my/returns/new", data=self.form_data(line, **overrides))

    def returns_of(self, company_partner):
        return self.env["aftersales.rma"].search(
            [("commercial_partner_id", "=", company_partner.id)]
        )

    def rma(self, user, line, kind="refund", **vals):
        """A request taken by an employee for ``user``'s company."""
        values = {
            "kind": kind,
            "partner_id": user.partner_id.id,
            "sale_line_id": line.id,
            "quantity": 1,
            "reason_id": self.defective.id,
            "company_id": self.company.id,
        }
        if kind == "exchange":
            values.update(
                {"exchange_condition": "unrepairable", "evidence": "Motor burnt, part discontinued"}
            )
        values.update(vals)
        return self.env["aftersales.rma"].create(values)

    def cancel(self, rma, token_page, **data):
        token = self.csrf_token(token_page, "//form[@id='return_cancel_form']")
        return self.open_url(
            f"/my/returns/{rma.id}/cancel", data=dict({"csrf_token": token}, **data)
        )

    def assert_redirected_to_my(self, url, **kwargs):
        response = self.open_url(url, allow_redirects=False, **kwargs)
        self.assertIn(response.status_code, (301, 302, 303))
        self.assertEqual(urlparse(response.headers["Location"]).path, "/my")

    # ------------------------------------------------------------------
    # P5.1: a return starts from the delivered order line
    # ------------------------------------------------------------------
    def test_p5_1_delivered_order_line_offers_a_return_button(self):
        """P5.1: the customer's delivered order line links to the return form."""
        self.login(self.user_a)
        response = self.open_url(self.order_a.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/my/returns/new?line_id={self.line_a.id}"', response.text)

    def test_p10_2_order_link_shows_no_return_button_to_another_customer(self):
        """P10.2: someone else holding the order's link gets no return button."""
        self.login(self.user_b)
        response = self.open_url(self.order_a.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("/my/returns/new?line_id=", response.text)

    def test_p5_1_customer_starts_a_refund_from_their_delivered_order(self):
        """P5.1: a refund posted on the form is a draft return of the customer's line."""
        self.login(self.user_a)
        response = self.post_form(self.line_a, quantity="1")

        rma = self.returns_of(self.customer_a)
        self.assertEqual(len(rma), 1)
        self.assertRecordValues(
            rma,
            [
                {
                    "state": "draft",
                    "kind": "refund",
                    "quantity": 1.0,
                    "partner_id": self.user_a.partner_id.id,
                    "sale_line_id": self.line_a.id,
                    "company_id": self.company.id,
                    "reason_id": self.defective.id,
                    "description": "The fan rattles from the first day.",
                }
            ],
        )
        self.assert_landed_on(response, rma, f"/my/returns/{rma.id}")

    def test_p4_1_customer_requests_an_exchange_with_its_condition(self):
        """P4.1: an exchange records the condition and what shows it."""
        self.login(self.user_a)
        self.post_form(
            self.line_a,
            kind="exchange",
            exchange_condition="non_human_damage",
            evidence="The display stays dark; no drop or water damage.",
        )
        self.assertRecordValues(
            self.returns_of(self.customer_a),
            [
                {
                    "state": "draft",
                    "kind": "exchange",
                    "exchange_condition": "non_human_damage",
                    "evidence": "The display stays dark; no drop or water damage.",
                }
            ],
        )

    def test_p4_1_exchange_without_its_condition_is_refused(self):
        """P4.1: an exchange needs its condition and evidence; nothing is created."""
        self.login(self.user_a)
        response = self.post_form(self.line_a, kind="exchange", exchange_condition="", evidence="")
        self.assertIn("Choose why the product should be exchanged.", response.text)
        self.assertIn("Describe what shows the condition", response.text)
        self.assertFalse(self.returns_of(self.customer_a), "nothing created")

    def test_p5_quantity_above_the_delivered_one_is_refused_with_the_reason(self):
        """P5: never more than delivered minus already returned; nothing is created."""
        self.login(self.user_a)
        response = self.post_form(self.line_a, quantity="3")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, "/my/returns/new")
        self.assertIn("Your request was not sent", response.text)
        self.assertIn(
            f"You can return at most 2 x {self.goods.display_name} from {self.order_a.name}",
            response.text,
        )
        self.assertFalse(self.returns_of(self.customer_a), "nothing created")

    def test_p5_quantity_already_being_returned_is_not_offered_again(self):
        """P5: what an open return takes is no longer returnable on the portal."""
        self.rma(self.user_a, self.line_a, quantity=2)
        self.login(self.user_a)
        response = self.post_form(self.line_a, quantity="1")
        self.assertIn("You can return at most 0 x", response.text)
        self.assertEqual(len(self.returns_of(self.customer_a)), 1, "nothing created")

    def test_p5_1_refund_after_the_window_is_refused_with_the_dates(self):
        """P5.1: later requests are refused with the reason; nothing is created."""
        self.order_a.picking_ids.date_done = fields.Datetime.now() - timedelta(days=10)
        self.login(self.user_a)
        response = self.post_form(self.line_a)

        self.assertIn("accepted within 7 days of receiving the goods.", response.text)
        self.assertIn("You can still ask for an exchange", response.text)
        self.assertFalse(self.returns_of(self.customer_a), "nothing created")

    def test_p10_2_customer_company_and_state_posted_in_the_form_are_ignored(self):
        """P10.2: the server sets the customer, the company and the state."""
        other_company = self.env["res.company"].create({"name": "Other After-Sales Co"})
        self.login(self.user_a)
        self.post_form(
            self.line_a,
            partner_id=str(self.user_b.partner_id.id),
            company_id=str(other_company.id),
            state="confirmed",
            voucher_valid_until="2099-12-31",
        )
        self.assertFalse(self.returns_of(self.customer_b), "nothing filed in B's name")
        self.assertRecordValues(
            self.returns_of(self.customer_a),
            [
                {
                    "partner_id": self.user_a.partner_id.id,
                    "company_id": self.company.id,
                    "state": "draft",
                    "voucher_valid_until": False,
                }
            ],
        )

    def test_p10_2_return_without_csrf_token_is_refused(self):
        """P10.2: a post without the form's CSRF token creates nothing."""
        self.login(self.user_a)
        data = self.form_data(self.line_a)
        del data["csrf_token"]
        with mute_logger("odoo.http"):
            response = self.open_url("/my/returns/new", data=data)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.returns_of(self.customer_a), "nothing created")

    # ------------------------------------------------------------------
    # P10.2: list, detail and counter of the customer's own returns
    # ------------------------------------------------------------------
    def test_p10_2_customer_lists_their_returns(self):
        """P10.2: the list shows the customer's own returns."""
        rma = self.rma(self.user_a, self.line_a)
        self.login(self.user_a)
        response = self.open_url("/my/returns")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/my/returns/{rma.id}"', response.text)
        self.assertIn(self.goods.name, response.text)

    def test_p10_2_list_filters_open_and_closed_returns(self):
        """P10.2: a draft is open, not closed."""
        rma = self.rma(self.user_a, self.line_a)
        self.login(self.user_a)
        self.assertIn(rma.name, self.open_url("/my/returns?filterby=open").text)
        self.assertNotIn(rma.name, self.open_url("/my/returns?filterby=closed").text)

    def test_p10_2_customer_sees_their_return_with_window_end_and_chatter(self):
        """P5.1, P10.2: the detail shows the request, the window end and the chatter."""
        rma = self.rma(self.user_a, self.line_a)
        self.assertTrue(rma.window_end)
        self.login(self.user_a)
        response = self.open_url(rma.access_url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, rma.access_url)
        page = html.fromstring(response.content)
        shown = (rma.name, self.goods.name, self.order_a.name, self.defective.name, "Submitted")
        for text in shown:
            self.assertIn(text, response.text)
        self.assertIn(
            format_date(self.env, rma.window_end),
            page.xpath("string(//*[@id='return_window_end'])"),
        )
        chatter = page.xpath("//div[hasclass('o_portal_chatter')]")
        self.assertTrue(chatter, "the customer can write and attach photos")
        self.assertEqual(chatter[0].get("data-res_model"), "aftersales.rma")
        self.assertEqual(chatter[0].get("data-res_id"), str(rma.id))

    def test_p10_2_home_page_counts_the_customers_returns(self):
        """P10.2: the home counter counts the customer's own returns only."""
        self.rma(self.user_a, self.line_a)
        self.login(self.user_a)
        home = self.open_url("/my")
        self.assertIn('data-placeholder_count="aftersales_rma_count"', home.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["aftersales_rma_count"]})
        self.assertEqual(counters["aftersales_rma_count"], 1)
        self.login(self.user_b)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["aftersales_rma_count"]})
        self.assertEqual(counters["aftersales_rma_count"], 0)

    # ------------------------------------------------------------------
    # P10.2: another customer can neither see nor act
    # ------------------------------------------------------------------
    def test_p10_2_other_customer_is_redirected_from_the_return(self):
        """P10.2: another customer opening the return's URL lands on /my."""
        rma = self.rma(self.user_a, self.line_a, description="Rattles since day one")
        self.login(self.user_b)
        self.assert_redirected_to_my(rma.access_url)
        followed = self.open_url(rma.access_url)
        self.assertNotIn("Rattles since day one", followed.text)
        listed = self.open_url("/my/returns")
        self.assertNotIn(rma.name, listed.text)

    def test_p10_2_other_customer_cannot_start_a_return_on_the_line(self):
        """P10.2: another customer's order line is refused; nothing is created."""
        self.login(self.user_b)
        token = self.csrf_token(
            f"/my/returns/new?line_id={self.line_b.id}",
            "//form[hasclass('o_aftersales_return_form')]",
        )
        response = self.open_url(
            "/my/returns/new",
            data={
                "csrf_token": token,
                "line_id": str(self.line_a.id),
                "kind": "refund",
                "quantity": "1",
                "reason_id": str(self.defective.id),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("This order line is not one of your delivered orders", response.text)
        self.assertNotIn(self.order_a.name, response.text)
        self.assertFalse(self.env["aftersales.rma"].search([("sale_line_id", "=", self.line_a.id)]))
        self.assertFalse(self.returns_of(self.customer_b), "nothing created")

    def test_p10_2_other_customer_cannot_cancel_the_return(self):
        """P10.2: another customer's cancel post is redirected; the return is unchanged."""
        rma_a = self.rma(self.user_a, self.line_a)
        rma_b = self.rma(self.user_b, self.line_b)
        self.login(self.user_b)
        token = self.csrf_token(rma_b.access_url, "//form[@id='return_cancel_form']")
        response = self.open_url(
            f"/my/returns/{rma_a.id}/cancel", data={"csrf_token": token}, allow_redirects=False
        )
        self.assertIn(response.status_code, (301, 302, 303))
        self.assertEqual(urlparse(response.headers["Location"]).path, "/my")
        self.assertRecordValues(rma_a, [{"state": "draft", "close_reason": False}])

    # ------------------------------------------------------------------
    # Cancel a draft
    # ------------------------------------------------------------------
    def test_p5_customer_cancels_their_draft(self):
        """P5: the customer withdraws a draft, with the reason kept."""
        rma = self.rma(self.user_a, self.line_a)
        self.login(self.user_a)
        response = self.cancel(rma, rma.access_url, reason="Found the missing part")

        self.assertEqual(rma.state, "cancelled")
        self.assertIn("Found the missing part", rma.close_reason)
        self.assertEqual(urlparse(response.url).path, rma.access_url)
        self.assertIn("is cancelled", response.text)

    def test_p5_confirmed_return_cannot_be_cancelled_on_the_portal(self):
        """P5: once confirmed, the customer can no longer cancel it here."""
        conditions = ("packaging", "accessories", "unused", "proof")
        rma = self.rma(
            self.user_a, self.line_a, **{f"condition_{name}": True for name in conditions}
        )
        self.login(self.user_a)
        token = self.csrf_token(rma.access_url, "//form[@id='return_cancel_form']")
        rma.action_confirm()
        self.assertEqual(rma.state, "confirmed")
        response = self.open_url(f"/my/returns/{rma.id}/cancel", data={"csrf_token": token})

        self.assertIn("is no longer a draft", response.text)
        self.assertEqual(rma.state, "confirmed")

    # ------------------------------------------------------------------
    # P4.2: the replacement voucher
    # ------------------------------------------------------------------
    def test_p4_2_exchange_detail_shows_the_voucher_validity(self):
        """P4.2: the voucher's number and validity date are on the detail page."""
        rma = self.rma(self.user_a, self.line_a, kind="exchange")
        rma.action_confirm()
        self.assertEqual(rma.state, "voucher")
        self.login(self.user_a)
        page = html.fromstring(self.open_url(rma.access_url).content)

        voucher = page.xpath("string(//*[@id='return_voucher'])")
        self.assertIn(rma.name, voucher)
        self.assertIn(format_date(self.env, rma.voucher_valid_until), voucher)
        self.assertFalse(page.xpath("//*[@id='return_voucher_expired']"))

    def test_p4_2_expired_voucher_is_marked_expired(self):
        """P4.2: a voucher past its validity date is shown as expired."""
        rma = self.rma(self.user_a, self.line_a, kind="exchange")
        rma.action_confirm()
        rma.voucher_valid_until = fields.Date.today() - timedelta(days=1)
        self.login(self.user_a)
        page = html.fromstring(self.open_url(rma.access_url).content)
        self.assertTrue(page.xpath("//*[@id='return_voucher_expired']"))
