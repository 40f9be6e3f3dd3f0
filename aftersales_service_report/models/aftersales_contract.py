from odoo import models

from ..report.report_documents import print_one_pdf_per_record


class AftersalesContract(models.Model):
    _inherit = "aftersales.contract"

    def _reminder_links(self):
        """P7.2: each expiry notice e-mail links to the printed notice (保养到期通知书),
        printed when the customer opens it (``/my/contracts/<id>/notice``): printing
        every notice inside the cron took half of its time (README, contract
        benchmark), for documents most customers read in the e-mail itself."""
        links = super()._reminder_links()
        for contract in self:
            links.setdefault(contract.id, []).append(
                (contract._expiry_notice_filename(), contract._expiry_notice_url())
            )
        return links

    def _reminder_attachments(self):
        """P7.2: the printed expiry notice (保养到期通知书) of each contract, as
        ``{contract id: [(file name, PDF)]}`` (the download of the notice's link)."""
        attachments = super()._reminder_attachments()
        for contract_id, content in self._expiry_notice_contents().items():
            contract = self.browse(contract_id)
            attachments.setdefault(contract_id, []).append(
                (contract._expiry_notice_filename(), content)
            )
        return attachments

    def _expiry_notice_filename(self):
        """The customer's file name, in the language of the notice and the e-mail."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        return env._("%s expiry notice", self.name.replace("/", "-")) + ".pdf"

    def _expiry_notice_contents(self):
        """``{contract id: PDF}``, several contracts printed in one wkhtmltopdf run
        (one process per notice would dominate a batch)."""
        report = self.env.ref("aftersales_service_report.action_report_contract_expiry_notice")
        return print_one_pdf_per_record(report, self)
