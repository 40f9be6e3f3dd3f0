from odoo import models


class AftersalesContract(models.Model):
    _inherit = "aftersales.contract"

    def _reminder_attachments(self):
        """P7.2: the printed expiry notice (保养到期通知书) goes with each e-mail. The
        whole batch is printed in one wkhtmltopdf run, which Odoo splits per
        contract (one process per notice would dominate the reminder cron)."""
        attachments = super()._reminder_attachments()
        if not self:
            return attachments
        report = self.env.ref("aftersales_service_report.action_report_contract_expiry_notice")
        rendered, kind = report._pre_render_qweb_pdf(report.report_name, self.ids)
        for contract in self:
            stream = rendered.get(contract.id, {}).get("stream") if kind == "pdf" else None
            if stream:
                content = stream.getvalue()
            elif kind == "pdf":
                # Odoo could not split the batch's PDF (no outline per notice).
                content = report._render_qweb_pdf(report.report_name, contract.ids)[0]
            else:
                # Under the test runner Odoo renders HTML instead of calling wkhtmltopdf.
                content = report._render_qweb_html(report.report_name, contract.ids)[0]
            name = f"{contract.name.replace('/', '-')} expiry notice.pdf"
            attachments.setdefault(contract.id, []).append((name, content))
        return attachments
