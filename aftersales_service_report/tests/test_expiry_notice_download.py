"""P7.2, P10.2: the expiry notice e-mail links to the printed notice (保养到期通知书),
printed when the customer opens the link; the link opens for the customer (access
token or login) and for nobody else, and never fails on a wrong id or token."""

from datetime import timedelta
from urllib.parse import urlparse

from lxml import html

from odoo import Command
from odoo.http import content_disposition
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestExpiryNoticeDownload(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, no_reset_password=True)
        )
        cls.company = cls.env.company
        cls.company.aftersales_contract_reminder_days = 30
        cls.today = cls.company._aftersales_today()
        partners = cls.env["res.partner"]
        cls.customer_a = partners.create(
            {"name": "Ningbo Harbour Hotels", "is_company": True, "email": "a@example.com"}
        )
        cls.customer_b = partners.create(
            {"name": "Wuxi Canal Offices", "is_company": True, "email": "b@example.com"}
        )
        cls.user_b = new_test_user(
            cls.env,
            login="as_notice_portal_b",
            password="as_notice_portal_b_pw",
            groups="base.group_portal",
            partner_id=partners.create(
                {"name": "Bo Li", "parent_id": cls.customer_b.id, "email": "bo@example.com"}
            ).id,
        )
        product = cls.env["product.product"].create({"name": "Chiller CH-20", "type": "consu"})
        cls.due_a, cls.due_b = (
            cls.env["aftersales.contract"].create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "date_start": cls.today - timedelta(days=340),
                    "date_end": cls.today + timedelta(days=20),
                    "line_ids": [Command.create({"product_id": product.id})],
                }
            )
            for customer in (cls.customer_a, cls.customer_b)
        )
        (cls.due_a | cls.due_b).action_activate()
        cls.later = cls.env["aftersales.contract"].create(
            {
                "partner_id": cls.customer_a.id,
                "company_id": cls.company.id,
                "date_start": cls.today - timedelta(days=10),
                "date_end": cls.today + timedelta(days=300),
                "line_ids": [Command.create({"product_id": product.id})],
            }
        )
        cls.later.action_activate()
        cls.env["aftersales.contract"]._cron_company_reminders(cls.company, cls.today)

    def notice(self, contract):
        return self.env["mail.message"].search(
            [
                ("model", "=", "aftersales.contract"),
                ("res_id", "=", contract.id),
                ("message_type", "=", "comment"),
            ]
        )

    def assert_refused(self, url):
        response = self.url_open(url, allow_redirects=False, timeout=60)
        self.assertIn(response.status_code, (301, 302, 303), url)
        self.assertEqual(urlparse(response.headers["Location"]).path, "/my", url)

    def test_notice_links_to_its_printed_notice(self):
        """P7.2: the notice carries the printed notice as a link (an attachment of
        the message and a link in the e-mail), printed when opened."""
        notice = self.notice(self.due_a)
        self.assertEqual(len(notice), 1)
        attachment = notice.attachment_ids
        self.assertEqual(attachment.type, "url")
        self.assertEqual(attachment.url, self.due_a._expiry_notice_url())
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "aftersales.contract"),
                    ("res_id", "=", self.due_a.id),
                    ("type", "=", "binary"),
                ]
            ),
            "nothing printed by the cron",
        )
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.id)])
        self.assertEqual(mail.recipient_ids, self.customer_a)
        links = html.fromstring(mail.body_html).xpath("//a/@href")
        self.assertIn(self.due_a.get_base_url() + self.due_a._expiry_notice_url(), links)

    def test_link_opens_the_printed_notice_without_login(self):
        """P7.2: the link prints the notice for a customer who is not logged in."""
        response = self.url_open(self.due_a._expiry_notice_url(), timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertEqual(
            response.headers["Content-Disposition"],
            content_disposition(self.due_a._expiry_notice_filename()),
        )
        # Under the test runner the report renders its HTML instead of the PDF.
        self.assertIn(self.due_a.name, response.text)

    def test_contract_page_offers_the_printed_notice(self):
        """P7.2: the contract page offers the notice once it was sent."""
        response = self.url_open(self.due_a.get_portal_url(), timeout=60)
        self.assertEqual(response.status_code, 200)
        links = html.fromstring(response.content).xpath("//*[@id='contract_notice']//a/@href")
        self.assertEqual(links, [self.due_a._expiry_notice_url()])
        response = self.url_open(self.later.get_portal_url(), timeout=60)
        self.assertFalse(html.fromstring(response.content).xpath("//*[@id='contract_notice']"))

    def test_p10_2_wrong_token_foreign_or_missing_contract_is_refused(self):
        """P10.2: no notice without the contract's token or login, none of another
        customer's contract, none before it was sent, and no error on a wrong id."""
        url = f"/my/contracts/{self.due_a.id}/notice"
        self.assert_refused(url)
        self.assert_refused(f"{url}?access_token=wrong-token")
        self.assert_refused(f"{url}?access_token={self.due_b.access_token}")
        self.assert_refused(f"/my/contracts/{self.later.id}/notice?access_token=")
        self.assert_refused(self.later._expiry_notice_url())
        self.assert_refused("/my/contracts/999999999/notice?access_token=x")
        response = self.url_open("/my/contracts/abc/notice", timeout=60)
        self.assertEqual(response.status_code, 404)
        self.authenticate("as_notice_portal_b", "as_notice_portal_b_pw")
        self.assert_refused(url)
        response = self.url_open(f"/my/contracts/{self.due_b.id}/notice", timeout=60)
        self.assertEqual(response.status_code, 200, "the customer's own, logged in")
