"""P7, P10.2: customers read their maintenance contracts on the portal (period,
covered serials, terms, renewal), also through the link of the expiry notice;
never another customer's, never a draft."""

from datetime import timedelta
from urllib.parse import urlparse

from lxml import html

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.aftersales_service.tests.common import AftersalesPortalCase


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestContractPortal(AftersalesPortalCase):
    """Two customers (commercial entities A and B), each with a portal user and a
    contract in force covering one serial of an air purifier; customer A also has
    an ended contract and a draft. A 30-day reminder window."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.aftersales_contract_reminder_days = 30
        partners = cls.env["res.partner"]
        cls.customer_a = partners.create({"name": "Hangzhou Xihu Appliances", "is_company": True})
        cls.customer_b = partners.create({"name": "Suzhou Lake Trading", "is_company": True})
        cls.user_a = cls._portal_user(
            "as_contract_portal_a", "Alice Chen", cls.customer_a, tz="UTC"
        )
        cls.user_b = cls._portal_user("as_contract_portal_b", "Bob Wang", cls.customer_b, tz="UTC")
        cls.rep = new_test_user(
            cls.env,
            login="as_contract_portal_rep",
            name="Rita Sales",
            email="rita.sales@example.com",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.purifier = cls.env["product.product"].create(
            {
                "name": "Air Purifier AP-900",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.today = cls.env.company._aftersales_today()
        cls.contract_a = cls._contract(
            cls.customer_a,
            "SN-AP900-A1",
            date_start=cls.today - timedelta(days=30),
            date_end=cls.today + timedelta(days=200),
            user_id=cls.rep.id,
            labour_free=True,
            parts_discount=20.0,
            visits_per_year=2,
            response_hours=4.0,
            resolution_hours=24.0,
        )
        cls.ended_a = cls._contract(
            cls.customer_a,
            "SN-AP900-A2",
            date_start=cls.today - timedelta(days=400),
            date_end=cls.today - timedelta(days=35),
        )
        cls.draft_a = cls._contract(
            cls.customer_a,
            "SN-AP900-A3",
            activate=False,
            date_start=cls.today,
            date_end=cls.today + timedelta(days=364),
        )
        cls.contract_b = cls._contract(
            cls.customer_b,
            "SN-AP900-B1",
            date_start=cls.today - timedelta(days=10),
            date_end=cls.today + timedelta(days=355),
        )

    @classmethod
    def _contract(cls, customer, serial, activate=True, **values):
        lot = cls.env["stock.lot"].create(
            {"name": serial, "product_id": cls.purifier.id, "company_id": cls.company.id}
        )
        contract = cls.env["aftersales.contract"].create(
            {
                "partner_id": customer.id,
                "company_id": cls.company.id,
                "line_ids": [Command.create({"product_id": cls.purifier.id, "lot_id": lot.id})],
                **values,
            }
        )
        if activate:
            contract.action_activate()
        return contract

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def assert_redirected_to_my(self, url):
        response = self.open_url(url, allow_redirects=False)
        self.assertIn(response.status_code, (301, 302, 303))
        self.assertEqual(urlparse(response.headers["Location"]).path, "/my")

    def text_of(self, response, element_id):
        return html.fromstring(response.content).xpath(f"string(//*[@id='{element_id}'])")

    # ------------------------------------------------------------------
    # P7, P10.2: the customer's list and counter
    # ------------------------------------------------------------------
    def test_p7_p10_2_customer_lists_their_contract_in_force(self):
        """P7.1, P10.2: the list shows the customer's contract in force, with the
        covered product and its end date."""
        self.assertEqual(self.contract_a.state, "active")
        self.login(self.user_a)
        response = self.open_url("/my/contracts")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/my/contracts/{self.contract_a.id}"', response.text)
        self.assertIn(self.purifier.name, response.text)

    def test_p7_list_filters_contracts_in_force_and_ended(self):
        """P7.1: "in force" and "ended" split the customer's contracts by their dates."""
        self.assertEqual(self.ended_a.state, "expired")
        self.login(self.user_a)
        in_force = self.open_url("/my/contracts?filterby=in_force").text
        self.assertIn(self.contract_a.name, in_force)
        self.assertNotIn(self.ended_a.name, in_force)
        ended = self.open_url("/my/contracts?filterby=ended").text
        self.assertIn(self.ended_a.name, ended)
        self.assertNotIn(self.contract_a.name, ended)
        every = self.open_url("/my/contracts?filterby=all").text
        self.assertLess(
            every.index(self.contract_a.name),
            every.index(self.ended_a.name),
            "sorted by end date, latest first",
        )

    def test_p7_draft_contract_is_neither_listed_nor_shown(self):
        """P7, P10.2: a draft is still being prepared: not listed, not counted, and
        its page sends the customer back to /my."""
        self.login(self.user_a)
        listed = self.open_url("/my/contracts").text
        self.assertNotIn(self.draft_a.name, listed)
        self.assertIn(self.contract_a.name, listed)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_contract_count"]}
        )
        self.assertEqual(counters["aftersales_contract_count"], 2, "in force and ended, no draft")
        self.assert_redirected_to_my(self.draft_a.access_url)

    def test_p10_2_home_page_shows_the_contract_entry(self):
        """P10.2: the portal home has the contracts entry with its counter."""
        self.login(self.user_b)
        home = self.open_url("/my")
        self.assertIn('data-placeholder_count="aftersales_contract_count"', home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_contract_count"]}
        )
        self.assertEqual(counters["aftersales_contract_count"], 1, "B's own contract only")

    # ------------------------------------------------------------------
    # P7.1: the contract page
    # ------------------------------------------------------------------
    def test_p7_1_customer_sees_their_contract_with_the_covered_serial_and_terms(self):
        """P7.1, P10.2: the page shows the period, days left, the covered serial, the
        terms, the sales contact and the chatter."""
        contract = self.contract_a
        self.login(self.user_a)
        response = self.open_url(contract.access_url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, f"/my/contracts/{contract.id}")
        for text in (contract.name, "In force", self.purifier.name, "SN-AP900-A1"):
            self.assertIn(text, response.text)
        self.assertIn("200 days", self.text_of(response, "contract_days_left"))
        self.assertIn("Free of charge", self.text_of(response, "contract_term_labour"))
        self.assertIn("20 %", self.text_of(response, "contract_term_parts"))
        self.assertIn("2", self.text_of(response, "contract_term_visits"))
        self.assertIn("Within 4 working hours", self.text_of(response, "contract_term_response"))
        self.assertIn("Within 24 working hours", self.text_of(response, "contract_term_resolution"))
        self.assertIn(
            "Your sales contact: Rita Sales",
            " ".join(self.text_of(response, "contract_sales_contact_line").split()),
        )
        chatter = html.fromstring(response.content).xpath("//div[hasclass('o_portal_chatter')]")
        self.assertTrue(chatter, "the customer can write to the sales rep")
        self.assertEqual(chatter[0].get("data-res_model"), "aftersales.contract")
        self.assertEqual(chatter[0].get("data-res_id"), str(contract.id))

    def test_p7_2_expiry_notice_link_opens_the_contract_without_login(self):
        """P7.2: the link of the expiry notice (``get_portal_url()``, with the access
        token) opens the contract page for a customer who is not logged in."""
        template = self.env.ref("aftersales_service.mail_template_contract_expiry")
        body = template._render_field("body_html", self.contract_a.ids)[self.contract_a.id]
        links = html.fromstring(str(body)).xpath("//a/@href")
        self.assertEqual(len(links), 1)
        link = links[0]
        self.assertTrue(
            link.endswith(self.contract_a.get_portal_url()), "the page's link with its token"
        )
        self.assertIn("access_token=", link)

        response = self.open_url(link)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, f"/my/contracts/{self.contract_a.id}")
        self.assertIn(self.contract_a.name, response.text)
        self.assertIn("SN-AP900-A1", response.text)

    def test_p10_2_contract_page_without_token_or_login_is_refused(self):
        """P10.2: without the access token an anonymous visitor gets nothing."""
        response = self.open_url(f"{self.contract_a.access_url}?access_token=wrong-token")
        self.assertNotIn("SN-AP900-A1", response.text)
        self.assertNotEqual(urlparse(response.url).path, self.contract_a.access_url)

    def test_p7_3_renewal_is_shown_on_the_contract(self):
        """P7.3: once the sales rep prepared the renewal, the contract page names it;
        a draft renewal is described, not linked, until the customer accepts it."""
        self.contract_a.action_renew()
        renewal = self.contract_a.next_contract_id
        self.assertEqual(renewal.state, "draft")
        self.login(self.user_a)
        response = self.open_url(self.contract_a.access_url)
        self.assertIn(renewal.name, self.text_of(response, "contract_renewal"))
        self.assertNotIn(f'href="{renewal.access_url}"', response.text)

        renewal.action_activate()
        response = self.open_url(self.contract_a.access_url)
        self.assertEqual(self.contract_a.state, "renewed")
        self.assertIn(f'href="{renewal.access_url}"', response.text)

    # ------------------------------------------------------------------
    # P10.2: another customer sees nothing
    # ------------------------------------------------------------------
    def test_p10_2_other_customer_is_redirected_from_the_contract(self):
        """P10.2: customer B opening A's contract lands on /my and never sees it."""
        self.login(self.user_b)
        self.assert_redirected_to_my(self.contract_a.access_url)
        followed = self.open_url(self.contract_a.access_url)
        self.assertNotIn("SN-AP900-A1", followed.text)
        listed = self.open_url("/my/contracts")
        self.assertNotIn(self.contract_a.name, listed.text)
        self.assertIn(self.contract_b.name, listed.text)

    def test_p10_2_unknown_contract_redirects_to_my(self):
        """P10.2: a contract id that does not exist is answered like a foreign one."""
        self.login(self.user_a)
        self.assert_redirected_to_my(f"/my/contracts/{self.contract_b.id + 1000}")
