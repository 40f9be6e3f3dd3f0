from odoo import models

from .report_documents import stamp_page_numbers


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _pre_render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """The suite's documents get their page numbers stamped on each record's PDF:
        they print their letterhead in the page body (see ``aftersales_layout.xml``)
        and no wkhtmltopdf footer, which Debian's build would not print."""
        streams, report_type = super()._pre_render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        report = self._get_report(report_ref)
        if report_type != "pdf" or not report.report_name.startswith("aftersales_service_report."):
            return streams, report_type
        for values in streams.values():
            stream = values.get("stream")
            if stream and not values.get("attachment"):
                content = stamp_page_numbers(stream.getvalue())
                stream.seek(0)
                stream.truncate()
                stream.write(content)
        return streams, report_type
