"""P4.2, P5, P7.2: the printed documents render per record in the customer's
language, are printed only by users who may read the record, and the expiry notice
goes with the reminder e-mail."""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.aftersales_service.tests.common import AftersalesContractCase

from .common import ReportCaseMixin


@tagged("post_install", "-at_install", "aftersales")
class TestDocuments(ReportCaseMixin, AftersalesContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.notice = cls.env.ref("aftersales_service_report.action_report_contract_expiry_notice")
        cls.voucher = cls.env.ref("aftersales_service_report.action_report_rma_voucher")
        today = cls.company._aftersales_today()
        cls.ending = cls.contract(
            date_start=today - timedelta(days=340), date_end=today + timedelta(days=20)
        )

    def test_expiry_notice_renders_the_contract_and_its_serials(self):
        """P7.2: the notice names the contract, its end and the covered serial."""
        html = self.html(self.notice, self.ending)
        self.assertIn("Maintenance Contract Expiry Notice", html)
        self.assertIn(self.ending.name, html)
        self.assertIn(self.serial.name, html)

    def test_reminder_email_carries_the_pdf_notice(self):
        """P7.2: the expiry notice e-mail has the printed notice attached."""
        today = self.company._aftersales_today()
        self.env["aftersales.contract"]._cron_company_reminders(self.company, today)
        notice = self.expiry_notices(self.ending)
        self.assertEqual(len(notice), 1)
        self.assertEqual(
            notice.attachment_ids.mapped("name"),
            [f"{self.ending.name.replace('/', '-')} expiry notice.pdf"],
        )

    def test_replacement_voucher_shows_its_validity(self):
        """P4.2: the exchange voucher (更换凭证) prints its validity date."""
        rma = self.env.ref("aftersales_service.aftersales_rma_exchange_demo")
        html = self.html(self.voucher, rma)
        self.assertIn("Replacement Voucher", html)
        self.assertIn(rma.name, html)

    def test_return_authorisation_states_the_conditions(self):
        """P5.2: the return authorisation of a refund lists the return conditions."""
        rma = self.env.ref("aftersales_service.aftersales_rma_refund_demo")
        html = self.html(self.voucher, rma)
        self.assertIn("Return Authorisation", html)
        self.assertIn("original packaging", html)

    def test_user_without_access_cannot_print(self):
        """P10.2: printing reads the record with the user's rights."""
        outsider = self.outsider("as_print_outsider")
        with self.assertRaises(AccessError):
            self.html(self.notice, self.ending, user=outsider)

    def test_other_company_technician_and_other_customer_cannot_print_the_notice(self):
        """P10.2: neither a technician of another company nor the portal user of
        another customer prints a customer's expiry notice."""
        branch = self._create_company("After-Sales Notice Branch", with_accounting=False)
        stranger = self._create_user("as_notice_branch_tech", "group_aftersales_user", branch)
        other = self._create_customer("Suzhou Lake Trading")
        portal = new_test_user(
            self.env,
            login="as_notice_portal",
            groups="base.group_portal",
            partner_id=self.env["res.partner"].create({"name": "Bob", "parent_id": other.id}).id,
        )
        for user in (stranger, portal):
            with self.subTest(user=user.login):
                self.assert_print_refused(self.notice, self.ending, user)
