"""P2.6, P2.7, P3.4, P3.6, P6, P9.1: with wkhtmltopdf installed, every document of
issue 8 is a real PDF of the expected number of pages.

An HttpCase, not a TransactionCase: wkhtmltopdf fetches the report assets from the
test server, which serves them on the test's cursor only in an HttpCase (in a
TransactionCase the request waits on the test transaction's locks)."""

import functools
import io
import shutil
import subprocess
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


@functools.cache
def wkhtmltopdf_prints_batches():
    """Whether wkhtmltopdf prints Odoo's several-records PDFs (one HTML body per
    record): only its "with patched qt" build does; the unpatched one (Debian's
    package) writes an empty file."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "patched qt" in version


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestDocumentPdfs(HttpCase):
    def setUp(self):
        super().setUp()
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed")
        # wkhtmltopdf loads the assets from this test server.
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())

    def pdf_pages(self, action, records):
        report = self.env.ref(f"aftersales_service_report.{action}")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, records.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return len(PdfFileReader(io.BytesIO(pdf)).pages)

    def pdf_text(self, action, records):
        """The text of the PDF, as pdftotext reads it."""
        report = self.env.ref(f"aftersales_service_report.{action}")
        pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, records.ids
        )
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()

    def demo(self, name):
        return self.env.ref(f"aftersales_service.{name}")

    def test_service_voucher_is_one_page_per_repair(self):
        """P2.6: two repairs, two one-page vouchers."""
        if not wkhtmltopdf_prints_batches():
            self.skipTest("wkhtmltopdf without patched qt renders one document per call only")
        repairs = self.demo("repair_order_onsite_demo") | self.demo(
            "repair_order_workshop_done_demo"
        )
        self.assertEqual(self.pdf_pages("action_report_service_voucher", repairs), 2)

    def test_ticket_voucher_is_a_one_page_pdf(self):
        """P2.6: the voucher printed from a service request."""
        ticket = self.demo("aftersales_ticket_overdue_demo")
        self.assertEqual(self.pdf_pages("action_report_ticket_service_voucher", ticket), 1)

    def test_goods_receipt_is_a_one_page_a5_pdf(self):
        """P2.7: the goods receipt fits one A5 page."""
        receipt = self.demo("repair_order_workshop_done_demo").aftersales_goods_receipt_ids
        self.assertEqual(self.pdf_pages("action_report_goods_receipt", receipt), 1)

    def test_repair_card_is_a_one_page_pdf(self):
        """P2.7, P3.4: the repair card of the demo workshop repair."""
        repair = self.demo("repair_order_workshop_done_demo")
        self.assertEqual(self.pdf_pages("action_report_repair_card", repair), 1)

    def test_repair_record_is_a_one_page_pdf(self):
        """P3.4, P3.6: the repair record with its warranty card."""
        repair = self.demo("repair_order_workshop_done_demo")
        self.assertEqual(self.pdf_pages("action_report_repair_record", repair), 1)

    def test_complaint_report_is_a_one_page_pdf(self):
        """P6: the handling report of the demo solved complaint."""
        ticket = self.demo("aftersales_ticket_solved_complaint_demo")
        self.assertEqual(self.pdf_pages("action_report_complaint", ticket), 1)

    def test_daily_report_is_a_one_page_pdf(self):
        """P9.1: the supervisor's daily report of the demo day."""
        wizard = self.env["aftersales.daily.report.wizard"].create({"kind": "supervisor"})
        self.assertEqual(self.pdf_pages("action_report_daily_work", wizard), 1)

    def test_expiry_notice_is_a_one_page_pdf(self):
        """P7.2: the contract expiry notice (保养到期通知书)."""
        contract = self.demo("aftersales_contract_jingcheng_demo")
        self.assertEqual(self.pdf_pages("action_report_contract_expiry_notice", contract), 1)

    def test_replacement_voucher_is_a_one_page_pdf(self):
        """P4.2: the replacement voucher (更换凭证) of the demo exchange."""
        rma = self.demo("aftersales_rma_exchange_demo")
        self.assertEqual(self.pdf_pages("action_report_rma_voucher", rma), 1)

    def test_each_reminder_email_gets_its_own_pdf_notice(self):
        """P7.2: a batch of reminders attaches one one-page PDF notice per contract,
        all printed in a single wkhtmltopdf run."""
        contracts = self.demo("aftersales_contract_jingcheng_demo") | self.demo(
            "aftersales_contract_tianfu_demo"
        )
        Report = type(self.env["ir.actions.report"])
        original = Report._run_wkhtmltopdf
        runs = []

        def counting_run(report, *args, **kwargs):
            runs.append(report)
            return original(report, *args, **kwargs)

        with patch.object(Report, "_run_wkhtmltopdf", counting_run):
            attachments = contracts.with_context(
                force_report_rendering=True
            )._reminder_attachments()
        self.assertEqual(len(runs), 1)
        self.assertEqual(set(attachments), set(contracts.ids))
        for contract in contracts:
            ((name, content),) = attachments[contract.id]
            self.assertIn(contract.name.replace("/", "-"), name)
            self.assertTrue(content.startswith(b"%PDF"))
            self.assertEqual(len(PdfFileReader(io.BytesIO(content)).pages), 1)

    def test_documents_carry_the_company_letterhead_and_page_numbers(self):
        """Printed on this machine's wkhtmltopdf (Debian's, which ignores Odoo's
        header and footer), the voucher shows the company's name, address and
        contact, and its page number."""
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        repair = self.demo("repair_order_onsite_demo")
        company = repair.company_id
        company.write({"phone": "+86 21 5555 0100", "email": "service@example.com"})
        text = self.pdf_text("action_report_service_voucher", repair)
        for expected in (company.name, company.street, company.city, company.phone):
            with self.subTest(expected=expected):
                self.assertIn(expected, text)
        self.assertRegex(text, r"1\s*/\s*1")
