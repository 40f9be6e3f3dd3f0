from odoo import models


class AftersalesContract(models.Model):
    _inherit = "aftersales.contract"

    def _reminder_attachments(self):
        """P7.2: the printed expiry notice (保养到期通知书) goes with the e-mail."""
        attachments = super()._reminder_attachments()
        report = self.env.ref("aftersales_service_report.action_report_contract_expiry_notice")
        content, _format = report._render_qweb_pdf(report.report_name, self.ids)
        return [*attachments, (f"{self.name.replace('/', '-')} expiry notice.pdf", content)]
