"""Issue 17: printed documents speak one language, the customer's (the service
voucher, P2.6), or for staff-only reports the user's (the daily reports, P9.1).
Both Chinese scripts are checked; the spreadsheets' titles: ``test_exports.py``."""

import shutil
import subprocess

from odoo.tests import HttpCase, tagged

from odoo.addons.aftersales_service.tests.common import ChineseCatalogues

from .common import AftersalesDocumentCase

VOUCHER_TITLE = {"zh_CN": "服务凭证", "zh_TW": "服務憑證"}
DAILY_TITLE = {"zh_CN": "技术员工作日报表", "zh_TW": "技術員工作日報表"}


@tagged("post_install", "-at_install", "aftersales")
class TestChineseDocuments(ChineseCatalogues, AftersalesDocumentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chinese()

    def assert_voucher_in_customer_language(self, lang):
        """P2.6: an English-speaking technician prints the voucher of a Chinese
        customer: it is all in the customer's language, with no English title."""
        self.customer.lang = lang
        repair = self.repair(aftersales_repair_mode="on_site", user_id=self.technician.id)
        self.assertEqual(self.technician.lang, "en_US")
        html = self.html(self.voucher, repair, user=self.technician)
        self.assertIn(VOUCHER_TITLE[lang], html)
        self.assertNotIn("Service Voucher", html)
        self.assertNotIn("Customer signature", html)

    def assert_daily_report_in_user_language(self, lang):
        """P9.1: the technician's daily report is for staff: in the language of the
        technician who prints it."""
        self.technician.lang = lang
        wizard = (
            self.env["aftersales.daily.report.wizard"]
            .with_user(self.technician)
            .create({"team_id": self.team.id})
        )
        html = self.html(self.daily_report, wizard, user=self.technician)
        self.assertIn(DAILY_TITLE[lang], html)
        self.assertNotIn("Technician Daily Report", html)

    def test_p2_6_service_voucher_in_the_customers_simplified_chinese(self):
        self.assert_voucher_in_customer_language("zh_CN")

    def test_p2_6_service_voucher_in_the_customers_traditional_chinese(self):
        self.assert_voucher_in_customer_language("zh_TW")

    def test_p9_1_daily_report_in_the_technicians_simplified_chinese(self):
        self.assert_daily_report_in_user_language("zh_CN")

    def test_p9_1_daily_report_in_the_technicians_traditional_chinese(self):
        self.assert_daily_report_in_user_language("zh_TW")


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestChineseDocumentPdfs(ChineseCatalogues, HttpCase):
    """P2.6: the PDF a Chinese customer receives carries its title in their script,
    as pdftotext reads it (a CJK font is installed: ./setup/lib.sh)."""

    def setUp(self):
        super().setUp()
        if not shutil.which("wkhtmltopdf") or not shutil.which("pdftotext"):
            self.skipTest("wkhtmltopdf or pdftotext (poppler-utils) is not installed")
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        self._load_chinese()

    def pdf_text(self, lang):
        repair = self.env.ref("aftersales_service.repair_order_onsite_demo")
        repair.partner_id.lang = lang
        report = self.env.ref("aftersales_service_report.action_report_service_voucher")
        pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, repair.ids
        )
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()

    def test_p2_6_voucher_pdf_of_a_simplified_chinese_customer(self):
        self.assertIn(VOUCHER_TITLE["zh_CN"], self.pdf_text("zh_CN"))

    def test_p2_6_voucher_pdf_of_a_traditional_chinese_customer(self):
        self.assertIn(VOUCHER_TITLE["zh_TW"], self.pdf_text("zh_TW"))
