from odoo import api, models

from .report_documents import print_one_pdf_per_record


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
            name = f"{self.browse(contract_id).name.replace('/', '-')} expiry notice.pdf"
            attachments.setdefault(contract_id, []).append((name, content))
        return attachments

    def _expiry_notice_contents(self):
        """``{contract id: PDF}``, the batch printed in one wkhtmltopdf run (one
        process per notice would dominate the reminder cron)."""
        report = self.env.ref("aftersales_service_report.action_report_contract_expiry_notice")
        return print_one_pdf_per_record(report, self)
