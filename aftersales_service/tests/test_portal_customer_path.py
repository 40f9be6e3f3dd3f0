"""P2.2, P2.8, P5, P8.1: what a customer meets on the portal is theirs and in their
words: the request form offers what they bought or have under contract, statuses
say where a request or a return stands, a solved request leads to its feedback, a
return is offered only where something is left to send back."""

from datetime import timedelta

from lxml import html

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.aftersales_service.tests.common import AftersalesPortalCase, delivered_order


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestPortalCustomerPath(AftersalesPortalCase):
    """Customer A bought a purifier (delivered) and a dehumidifier (invoiced), paid
    a deposit and labour (services), and has a heater under contract; customer B
    bought nothing. The catalogue also has a fan nobody bought and a spare part
    that is not sold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.aftersales_return_window_days = 7
        partners = cls.env["res.partner"]
        cls.customer_a = partners.create({"name": "Ningbo Harbour Offices", "is_company": True})
        cls.customer_b = partners.create({"name": "Wenzhou Shoe Works", "is_company": True})
        cls.user_a = cls._portal_user("as_path_portal_a", "Anna Zhou", cls.customer_a)
        cls.user_b = cls._portal_user("as_path_portal_b", "Ben Xu", cls.customer_b)
        products = cls.env["product.product"]
        cls.purifier = products.create(
            {"name": "Path Purifier P-1", "type": "consu", "is_storable": True}
        )
        cls.dehumidifier = products.create({"name": "Path Dehumidifier D-2", "type": "consu"})
        cls.heater = products.create({"name": "Path Heater H-3", "type": "consu", "sale_ok": False})
        cls.fan = products.create({"name": "Path Fan F-4", "type": "consu"})
        cls.spare = products.create({"name": "Path Fan Motor", "type": "consu", "sale_ok": False})
        cls.deposit = products.create({"name": "Path Deposit", "type": "service"})
        cls.labour = products.create({"name": "Path Labour Hour", "type": "service"})
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(cls.purifier, warehouse.lot_stock_id, 10)
        cls.order_a = delivered_order(
            cls.env, cls.customer_a, cls.purifier, 2, 800, company=cls.company
        )
        cls.line_a = cls.order_a.order_line
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer_a.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 1, "price_unit": 50})
                    for product in (cls.dehumidifier, cls.deposit, cls.labour)
                ],
            }
        )
        invoice.action_post()
        contract = cls.env["aftersales.contract"].create(
            {
                "partner_id": cls.customer_a.id,
                "company_id": cls.company.id,
                "date_start": cls.company._aftersales_today() - timedelta(days=10),
                "date_end": cls.company._aftersales_today() + timedelta(days=300),
                "line_ids": [Command.create({"product_id": cls.heater.id})],
            }
        )
        contract.action_activate()
        cls.team = cls.env["aftersales.team"].create(
            {"name": "Path Service Desk", "company_id": cls.company.id}
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def page(self, url):
        # The first page renders the frontend assets: allow more than the default 12 s.
        response = self.url_open(url, timeout=60)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.content)

    def offered_products(self):
        tree = self.page("/my/service-requests/new")
        return {
            int(value)
            for value in tree.xpath("//select[@name='product_id']/option/@value")
            if value
        }

    def request_of(self, user, **vals):
        return self.env["aftersales.ticket"].create(
            dict(
                {
                    "subject": "Purifier rattles",
                    "partner_id": user.partner_id.id,
                    "team_id": self.team.id,
                    "channel": "web",
                    "company_id": self.company.id,
                },
                **vals,
            )
        )

    def status_of(self, tree):
        return tree.xpath("string(//span[hasclass('o_aftersales_ticket_status')])").strip()

    # ------------------------------------------------------------------
    # P2.2: the products a request can be about
    # ------------------------------------------------------------------
    def test_p2_2_portal_form_offers_what_the_customer_bought_or_has_under_contract(self):
        """P2.2: delivered, invoiced and contract products; no service (deposit,
        labour), nothing the customer never bought."""
        self.login(self.user_a)
        self.assertEqual(
            self.offered_products(), {self.purifier.id, self.dehumidifier.id, self.heater.id}
        )

    def test_p2_2_portal_form_offers_saleable_goods_to_a_new_customer(self):
        """P2.2: a customer who bought nothing yet chooses among the saleable goods;
        services and parts that are not sold are not offered."""
        self.login(self.user_b)
        offered = self.offered_products()
        self.assertTrue({self.purifier.id, self.dehumidifier.id, self.fan.id} <= offered)
        for product in (self.deposit, self.labour, self.spare, self.heater):
            self.assertNotIn(product.id, offered, product.name)

    def test_p2_2_product_of_another_customer_is_refused_on_the_form(self):
        """P2.2: the posted product must be one of the offered ones."""
        self.login(self.user_a)
        tree = self.page("/my/service-requests/new")
        token = tree.xpath("//form//input[@name='csrf_token']/@value")[0]
        response = self.url_open(
            "/my/service-requests/new",
            data={
                "csrf_token": token,
                "subject": "Fan broken",
                "ticket_type": "service",
                "product_id": str(self.fan.id),
                "partner_phone": "+86 574 0000 0000",
                "fault_symptom": "It does not turn.",
            },
            timeout=60,
        )
        self.assertIn("Choose the product from the list.", response.text)

    def test_p2_2_ticket_form_offers_the_customers_products(self):
        """P2.2: on the agent's form the product list follows the customer."""
        agent = new_test_user(
            self.env,
            login="as_path_agent",
            groups="base.group_user,aftersales_service.group_aftersales_user",
        )
        self.team.member_ids = agent
        form = Form(self.env["aftersales.ticket"].with_user(agent))
        form.subject = "Heater does not heat"
        form.team_id = self.team
        form.partner_id = self.user_a.partner_id
        self.assertEqual(
            {product.id for product in form.allowed_product_ids},
            {self.purifier.id, self.dehumidifier.id, self.heater.id},
        )
        domain = self.env["aftersales.ticket"]._fields["product_id"].domain
        self.assertIn("allowed_product_ids", domain, "the list is the field's domain")
        form.partner_id = self.user_b.partner_id
        self.assertIn(self.fan, form.allowed_product_ids)
        self.assertNotIn(self.labour, form.allowed_product_ids)

    # ------------------------------------------------------------------
    # P2.8: statuses in the customer's words
    # ------------------------------------------------------------------
    def test_p2_8_request_statuses_are_told_in_the_customers_words(self):
        """P2.8: "New" is "Received", the waiting stage waits for the customer's
        reply; internal stage names are not shown."""
        ticket = self.request_of(self.user_a)
        self.login(self.user_a)
        listing = self.page("/my/service-requests")
        self.assertEqual(self.status_of(listing), "Received")
        steps = (
            ("aftersales_stage_in_progress", "In progress"),
            ("aftersales_stage_waiting", "Waiting for your reply"),
            ("aftersales_stage_solved", "Solved"),
            ("aftersales_stage_cancelled", "Cancelled"),
        )
        for xmlid, words in steps:
            ticket.stage_id = self.env.ref(f"aftersales_service.{xmlid}")
            self.assertEqual(self.status_of(self.page(ticket.access_url)), words, xmlid)
        self.assertNotIn("Waiting for Customer", self.page(ticket.access_url).text_content())

    def test_p2_3_new_request_page_shows_when_we_get_back(self):
        """P2.3: until the first response the page tells when it is due."""
        ticket = self.request_of(self.user_a)
        self.assertTrue(ticket.sla_response_deadline)
        self.login(self.user_a)
        tree = self.page(ticket.access_url)
        self.assertTrue(tree.xpath("//div[@id='service_request_expected_response']"))

    # ------------------------------------------------------------------
    # P8.1: the feedback of a solved request
    # ------------------------------------------------------------------
    def test_p8_1_solved_request_links_its_feedback_until_answered(self):
        """P8.1: the feedback link the customer was mailed is on the solved request
        too; once answered it is gone."""
        ticket = self.request_of(
            self.user_a, stage_id=self.env.ref("aftersales_service.aftersales_stage_solved").id
        )
        feedback = self.env["aftersales.feedback"].create(
            {
                "ticket_id": ticket.id,
                "partner_id": ticket.partner_id.id,
                "company_id": self.company.id,
                "access_token": "path-feedback-token",
                "expires_on": self.company._aftersales_today() + timedelta(days=7),
            }
        )
        self.login(self.user_a)
        box = "//div[@id='service_request_feedback']"
        links = self.page(ticket.access_url).xpath(f"{box}//a/@href")
        self.assertEqual(
            links, [f"/aftersales/feedback/{feedback.id}?access_token=path-feedback-token"]
        )
        feedback.sudo().write({"state": "answered"})
        self.assertFalse(self.page(ticket.access_url).xpath(box))

    # ------------------------------------------------------------------
    # P5: returns only where something is left
    # ------------------------------------------------------------------
    def _return_everything(self):
        return self.env["aftersales.rma"].create(
            {
                "kind": "refund",
                "partner_id": self.user_a.partner_id.id,
                "sale_line_id": self.line_a.id,
                "quantity": 2,
                "reason_id": self.env.ref("aftersales_service.aftersales_rma_reason_defective").id,
                "company_id": self.company.id,
            }
        )

    def test_p5_line_with_something_left_is_offered_with_what_is_left(self):
        self.login(self.user_a)
        tree = self.page("/my/returns/new")
        self.assertTrue(tree.xpath(f"//a[@href='/my/returns/new?line_id={self.line_a.id}']"))

    def test_p5_line_with_nothing_left_is_not_offered(self):
        """P5: a line whose goods are all being returned is left out of the
        choices, and the page says why nothing is offered."""
        self._return_everything()
        self.login(self.user_a)
        tree = self.page("/my/returns/new")
        self.assertFalse(tree.xpath(f"//a[@href='/my/returns/new?line_id={self.line_a.id}']"))
        self.assertTrue(tree.xpath("//div[@id='return_nothing_left']"))

    def test_p5_form_of_a_line_with_nothing_left_says_why_and_cannot_be_sent(self):
        """P5: opened from a link, the form of such a line tells what the other
        returns take and its Send button is disabled."""
        rma = self._return_everything()
        self.login(self.user_a)
        tree = self.page(f"/my/returns/new?line_id={self.line_a.id}")
        why = tree.xpath("string(//div[@id='return_nothing_left'])")
        self.assertIn("Nothing is left to return", why)
        self.assertIn(rma.name, why)
        self.assertEqual(tree.xpath("//button[@id='return_send']/@disabled"), ["disabled"])
        fields_ = tree.xpath("//form[hasclass('o_aftersales_return_form')]/fieldset[1]")
        self.assertEqual(fields_[0].get("disabled"), "disabled", "the fields are disabled too")

    def test_p5_order_page_disables_the_return_of_a_line_with_nothing_left(self):
        """P5: on the order, the line keeps a disabled button with the reason."""
        self.login(self.user_a)
        url = self.order_a.get_portal_url()
        self.assertTrue(self.page(url).xpath("//a[hasclass('o_aftersales_return_button')]"))
        self._return_everything()
        tree = self.page(url)
        self.assertFalse(tree.xpath("//a[hasclass('o_aftersales_return_button')]"))
        disabled = tree.xpath("//button[hasclass('o_aftersales_return_button_disabled')]")
        self.assertEqual(len(disabled), 1)
        self.assertEqual(disabled[0].get("disabled"), "disabled")
        self.assertIn("Nothing left to return", tree.text_content())
