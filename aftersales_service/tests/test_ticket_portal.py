"""P2.1, P2.2, P10.2: customers file and follow their service requests on the portal."""

from datetime import timedelta
from urllib.parse import urlparse

from lxml import html

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.aftersales_service.tests.common import AftersalesPortalCase


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestTicketPortal(AftersalesPortalCase):
    """Two customers (commercial entities A and B), each with a portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"]
        cls.customer_a = partners.create({"name": "Hangzhou Xihu Appliances", "is_company": True})
        cls.customer_b = partners.create({"name": "Suzhou Lake Trading", "is_company": True})
        cls.user_a = cls._portal_user("as_portal_a", "Alice Chen", cls.customer_a)
        cls.user_b = cls._portal_user("as_portal_b", "Bob Wang", cls.customer_b)
        cls.product = cls.env["product.product"].create(
            {"name": "Air Purifier AP-200", "type": "consu", "sale_ok": True}
        )
        cls.spare_part = cls.env["product.product"].create(
            {"name": "AP-200 Fan Motor (internal)", "type": "consu", "sale_ok": False}
        )
        # A request of customer A taken by phone by an employee.
        cls.ticket_a = cls.env["aftersales.ticket"].create(
            {
                "subject": "Purifier fan is noisy",
                "partner_id": cls.user_a.partner_id.id,
                "channel": "phone",
                "product_id": cls.product.id,
                "company_id": cls.user_a.company_id.id,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def form_data(self, **overrides):
        """A complete request (P2.2) with the CSRF token of a freshly opened form."""
        response = self.open_url("/my/service-requests/new")
        self.assertEqual(response.status_code, 200)
        tokens = html.fromstring(response.content).xpath(
            "//form[hasclass('o_aftersales_service_request_form')]//input[@name='csrf_token']/@value"
        )
        self.assertTrue(tokens, "the request form carries a CSRF token")
        data = {
            "csrf_token": tokens[0],
            "subject": "Air purifier does not start",
            "ticket_type": "service",
            "product_id": str(self.product.id),
            "serial_number": "AP200-2024-00042",
            "purchase_date": "2024-03-01",
            "order_reference": "SO-XH-0815",
            "fault_symptom": "The power light blinks red and the fan never starts.",
            "fault_location": "Power button / control board",
            "usage_environment": "Office, air-conditioned",
            "partner_phone": "+86 571 8888 0000",
        }
        data.update(overrides)
        return data

    def post_form(self, **overrides):
        return self.open_url("/my/service-requests/new", data=self.form_data(**overrides))

    def requests_of(self, company_partner):
        return self.env["aftersales.ticket"].search(
            [("commercial_partner_id", "=", company_partner.id)]
        )

    # ------------------------------------------------------------------
    # P2.1: the web channel
    # ------------------------------------------------------------------
    def test_p2_1_customer_files_a_request_through_the_portal_form(self):
        self.login(self.user_a)
        response = self.post_form()

        ticket = self.requests_of(self.customer_a) - self.ticket_a
        self.assertEqual(len(ticket), 1)
        self.assertRecordValues(
            ticket,
            [
                {
                    "channel": "web",
                    "partner_id": self.user_a.partner_id.id,
                    "company_id": self.user_a.company_id.id,
                    "subject": "Air purifier does not start",
                    "ticket_type": "service",
                    "product_id": self.product.id,
                    "serial_number": "AP200-2024-00042",
                    "purchase_date": fields.Date.to_date("2024-03-01"),
                    "order_reference": "SO-XH-0815",
                    "fault_location": "Power button / control board",
                    "usage_environment": "Office, air-conditioned",
                    "partner_phone": "+86 571 8888 0000",
                }
            ],
        )
        # The customer lands on the new request's page.
        self.assert_landed_on(response, ticket, f"/my/service-requests/{ticket.id}")

    def test_p2_1_request_type_is_chosen_on_the_form(self):
        self.login(self.user_a)
        self.post_form(ticket_type="complaint", subject="Technician came two days late")
        ticket = self.requests_of(self.customer_a) - self.ticket_a
        self.assertEqual(ticket.ticket_type, "complaint")

    def test_p2_1_home_page_counts_the_customers_requests(self):
        self.login(self.user_a)
        home = self.open_url("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn('data-placeholder_count="aftersales_ticket_count"', home.text)
        self.assertIn('href="/my/service-requests/new"', home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_ticket_count"]}
        )
        self.assertEqual(counters["aftersales_ticket_count"], 1)

    def test_p10_2_home_page_counter_ignores_other_customers_requests(self):
        self.login(self.user_b)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_ticket_count"]}
        )
        self.assertEqual(counters["aftersales_ticket_count"], 0)

    # ------------------------------------------------------------------
    # P2.2: the data a request records, validated on the form
    # ------------------------------------------------------------------
    def test_p2_2_missing_required_data_is_refused_with_messages(self):
        self.login(self.user_a)
        response = self.post_form(subject=" ", product_id="", fault_symptom="", partner_phone="")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, "/my/service-requests/new")
        for message in (
            "Your request was not sent",
            "Give your request a subject",
            "Choose the product your request is about.",
            "Describe the fault: what happens, and since when.",
            "Give a phone number where our service team can reach you.",
        ):
            self.assertIn(message, response.text)
        self.assertEqual(self.requests_of(self.customer_a), self.ticket_a, "no ticket created")

    def test_p2_2_form_keeps_what_the_customer_typed_after_an_error(self):
        self.login(self.user_a)
        response = self.post_form(partner_phone="")
        page = html.fromstring(response.content)
        self.assertEqual(page.xpath("//input[@name='serial_number']/@value"), ["AP200-2024-00042"])
        self.assertEqual(
            page.xpath("//select[@name='product_id']/option[@selected]/@value"),
            [str(self.product.id)],
        )

    def test_p2_2_purchase_date_in_the_future_is_refused(self):
        self.login(self.user_a)
        future = fields.Date.today() + timedelta(days=10)
        response = self.post_form(purchase_date=fields.Date.to_string(future))

        self.assertEqual(response.status_code, 200)
        # In the customer's date format (en_US), not the form's ISO value.
        self.assertIn(f"The purchase date {future:%m/%d/%Y} is in the future", response.text)
        self.assertEqual(self.requests_of(self.customer_a), self.ticket_a, "no ticket created")

    def test_p2_2_purchase_date_that_is_not_a_date_is_refused(self):
        self.login(self.user_a)
        response = self.post_form(purchase_date="last spring")
        self.assertIn("Enter the purchase date as a date", response.text)
        self.assertEqual(self.requests_of(self.customer_a), self.ticket_a, "no ticket created")

    def test_p2_2_product_not_offered_on_the_form_is_refused(self):
        self.login(self.user_a)
        form = self.open_url("/my/service-requests/new")
        self.assertNotIn(self.spare_part.name, form.text, "only saleable products are offered")

        response = self.post_form(product_id=str(self.spare_part.id))
        self.assertIn("Choose the product from the list.", response.text)
        self.assertEqual(self.requests_of(self.customer_a), self.ticket_a, "no ticket created")

    def test_p2_2_request_without_csrf_token_is_refused(self):
        self.login(self.user_a)
        data = self.form_data()
        del data["csrf_token"]
        with mute_logger("odoo.http"):
            response = self.open_url("/my/service-requests/new", data=data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.requests_of(self.customer_a), self.ticket_a, "no ticket created")

    # ------------------------------------------------------------------
    # P10.2: customers see their own requests only
    # ------------------------------------------------------------------
    def test_p10_2_customer_and_company_posted_in_the_form_are_ignored(self):
        self.login(self.user_a)
        other_company = self.env["res.company"].create({"name": "Other After-Sales Co"})
        self.post_form(
            partner_id=str(self.user_b.partner_id.id),
            company_id=str(other_company.id),
            channel="email",
        )
        self.assertFalse(self.requests_of(self.customer_b), "nothing filed in B's name")
        ticket = self.requests_of(self.customer_a) - self.ticket_a
        self.assertRecordValues(
            ticket,
            [
                {
                    "partner_id": self.user_a.partner_id.id,
                    "company_id": self.user_a.company_id.id,
                    "channel": "web",
                }
            ],
        )

    def test_p10_2_customer_sees_their_request_with_expected_resolution_and_chatter(self):
        self.assertTrue(self.ticket_a.sla_resolution_deadline, "the SLA engine set a deadline")
        self.login(self.user_a)
        response = self.open_url(self.ticket_a.access_url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, self.ticket_a.access_url)
        page = html.fromstring(response.content)
        self.assertIn(self.ticket_a.name, response.text)
        self.assertIn("Purifier fan is noisy", response.text)
        self.assertIn("Air Purifier AP-200", response.text)
        self.assertTrue(page.xpath("//*[@id='service_request_expected_resolution']"))
        chatter = page.xpath("//div[hasclass('o_portal_chatter')]")
        self.assertTrue(chatter, "the customer can reply and attach photos")
        self.assertEqual(chatter[0].get("data-res_model"), "aftersales.ticket")
        self.assertEqual(chatter[0].get("data-res_id"), str(self.ticket_a.id))

    def test_p10_2_other_customer_cannot_open_the_request(self):
        self.login(self.user_b)
        response = self.open_url(self.ticket_a.access_url, allow_redirects=False)

        if response.status_code in (301, 302, 303):
            self.assertEqual(urlparse(response.headers["Location"]).path, "/my")
        else:
            self.assertIn(response.status_code, (403, 404))
        followed = self.open_url(self.ticket_a.access_url)
        self.assertNotIn("Purifier fan is noisy", followed.text)

    def test_p10_2_other_customer_does_not_see_the_request_in_their_list(self):
        self.login(self.user_b)
        response = self.open_url("/my/service-requests")

        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.ticket_a.name, response.text)
        self.assertNotIn("Purifier fan is noisy", response.text)
        self.assertIn("You have no service request yet.", response.text)

    # ------------------------------------------------------------------
    # The list: search, filter, sort
    # ------------------------------------------------------------------
    def test_p2_1_customer_lists_their_requests(self):
        self.login(self.user_a)
        response = self.open_url("/my/service-requests?sortby=stage")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_a.name, response.text)
        self.assertIn(f'href="/my/service-requests/{self.ticket_a.id}"', response.text)

    def test_p2_1_list_searches_by_number_or_subject(self):
        self.login(self.user_a)
        by_number = self.open_url(f"/my/service-requests?search={self.ticket_a.name}")
        self.assertIn("Purifier fan is noisy", by_number.text)
        by_subject = self.open_url("/my/service-requests?search=fan+is+noisy")
        self.assertIn(self.ticket_a.name, by_subject.text)
        no_match = self.open_url("/my/service-requests?search=dishwasher")
        self.assertNotIn(self.ticket_a.name, no_match.text)
        self.assertIn("No service request matches your search.", no_match.text)

    def test_p2_1_list_filters_open_and_closed_requests(self):
        self.login(self.user_a)
        self.assertFalse(self.ticket_a.is_closed)
        self.assertIn(self.ticket_a.name, self.open_url("/my/service-requests?filterby=open").text)
        self.assertNotIn(
            self.ticket_a.name, self.open_url("/my/service-requests?filterby=closed").text
        )
