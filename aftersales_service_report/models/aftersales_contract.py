from odoo import api, models

from .report_documents import wkhtmltopdf_prints_batches


class AftersalesContract(models.Model):
    _inherit = "aftersales.contract"

    @api.model
    def _reminder_batch_size(self):
        """Each notice prints a PDF — about 1.3 s apiece with the unpatched
        wkhtmltopdf (README, contract benchmark) — so 50 notices are committed in
        about a minute, inside the workers' time limit; the cron's progress report
        runs the job again for the rest (P7.2)."""
        return min(super()._reminder_batch_size(), 50)

    def _reminder_attachments(self):
        """P7.2: the printed expiry notice (保养到期通知书) goes with each e-mail."""
        attachments = super()._reminder_attachments()
        for contract_id, content in self._expiry_notice_contents().items():
            name = f"{self.browse(contract_id).name.replace('/', '-')} expiry notice.pdf"
            attachments.setdefault(contract_id, []).append((name, content))
        return attachments

    def _expiry_notice_contents(self):
        """``{contract id: PDF}``. Where wkhtmltopdf can, the whole batch is printed
        in one run that Odoo splits per contract (one process per notice dominates
        the reminder cron); otherwise, or when the split fails, one by one."""
        report = self.env.ref("aftersales_service_report.action_report_contract_expiry_notice")
        contents = {}
        if len(self) > 1 and wkhtmltopdf_prints_batches():
            rendered, kind = report._pre_render_qweb_pdf(report.report_name, self.ids)
            if kind == "pdf":
                contents = {
                    contract_id: data["stream"].getvalue()
                    for contract_id, data in rendered.items()
                    if contract_id and data.get("stream")
                }
        for contract in self:
            if contract.id not in contents:
                # Under the test runner Odoo renders HTML instead of calling wkhtmltopdf.
                contents[contract.id] = report._render_qweb_pdf(report.report_name, contract.ids)[0]
        return contents
