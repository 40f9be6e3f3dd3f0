"""P10.2: whatever a visitor types in a URL or a form, the portal answers with a
page or a message, never a server error; hidden records stay hidden."""

from odoo.tests import tagged

from odoo.addons.aftersales_service.models.aftersales_ticket import TEXT_LIMITS
from odoo.addons.aftersales_service.tests.common import AftersalesPortalCase

HUGE_ID = 10**12


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestPortalHostileInput(AftersalesPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Wuhan Riverside Clinic", "is_company": True}
        )
        cls.user = cls._portal_user(
            "as_portal_hostile", "Zhao Min", cls.customer, email="zhao@example.com"
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Air Purifier AP-200", "type": "consu", "sale_ok": True}
        )

    def setUp(self):
        super().setUp()
        self.login(self.user)

    def get(self, url):
        return self.url_open(url, timeout=60, allow_redirects=False)

    def test_p10_2_ids_beyond_any_record_answer_without_error(self):
        for url in (
            f"/my/service-requests/{HUGE_ID}",
            f"/my/returns/{HUGE_ID}",
            f"/my/contracts/{HUGE_ID}",
            f"/my/returns/new?line_id={HUGE_ID}",
            "/my/returns/new?line_id=-1",
            "/my/returns/new?line_id=abc",
            f"/aftersales/feedback/{HUGE_ID}?access_token=x",
        ):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertIn(response.status_code, (200, 303, 404), response.text[:300])

    def test_p2_2_oversized_subject_is_refused_with_a_message(self):
        form = self.url_open("/my/service-requests/new", timeout=60)
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        count = self.env["aftersales.ticket"].search_count([])
        response = self.url_open(
            "/my/service-requests/new",
            data={
                "csrf_token": token,
                "subject": "s" * (TEXT_LIMITS["subject"] * 4),
                "ticket_type": "service",
                "product_id": self.product.id,
                "partner_phone": "13800000000",
                "fault_symptom": "Noise",
            },
            timeout=60,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Please keep this under", response.text)
        self.assertEqual(self.env["aftersales.ticket"].search_count([]), count)

    def test_p7_cancelled_contract_does_not_open_by_url(self):
        contract = self.env["aftersales.contract"].create(
            {
                "partner_id": self.customer.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "state": "cancelled",
            }
        )
        response = self.get(contract.access_url)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(contract.name, response.text)
