from odoo import api, models

from ..report.report_documents import print_one_pdf_per_record


class AftersalesContract(models.Model):
    _inherit = "aftersales.contract"

    @api.model
    def _reminder_batch_size(self):
        """Each notice carries a printed PDF: a batch of 50 is printed in one
        wkhtmltopdf run and committed in about 5 s (README, contract benchmark); the
        cron's progress report runs the job again for the rest (P7.2)."""
        return min(super()._reminder_batch_size(), 50)

    def _reminder_attachments(self):
        """P7.2: the printed expiry notice (保养到期通知书) goes with each e-mail."""
        attachments = super()._reminder_attachments()
        for contract_id, content in self._expiry_notice_contents().items():
            contract = self.browse(contract_id)
            # The customer's file name, in the language of the notice and the e-mail.
            env = contract.with_context(lang=contract.partner_id.lang or self.env.lang).env
            name = env._("%s expiry notice", contract.name.replace("/", "-")) + ".pdf"
            attachments.setdefault(contract_id, []).append((name, content))
        return attachments

    def _expiry_notice_contents(self):
        """``{contract id: PDF}``, the batch printed in one wkhtmltopdf run (one
        process per notice would dominate the reminder cron)."""
        report = self.env.ref("aftersales_service_report.action_report_contract_expiry_notice")
        return print_one_pdf_per_record(report, self)
