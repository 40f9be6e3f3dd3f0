from odoo import models

from ..report.report_documents import stamp_page_numbers

#: The suite's printed documents: their reports' technical names start with it.
DOCUMENT_PREFIX = "aftersales_service_report."


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        """The suite's documents are printed with the printing user's rights (P10.2):
        one who may not read a record gets an ``AccessError`` before anything is
        rendered, not a half-rendered page. Odoo's rendering alone would only fail
        inside the template (a ``QWebException``), and not at all for values a
        previous read left in the cache."""
        if docids and report.report_name.startswith(DOCUMENT_PREFIX):
            self.env[report.model].browse(docids).check_access("read")
        return super()._get_rendering_context(report, docids, data)

    def _pre_render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """The suite's documents get their page numbers stamped on each record's PDF:
        they print their letterhead in the page body (see ``aftersales_layout.xml``)
        and no wkhtmltopdf footer, which Debian's build would not print."""
        streams, report_type = super()._pre_render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        report = self._get_report(report_ref)
        if report_type != "pdf" or not report.report_name.startswith(DOCUMENT_PREFIX):
            return streams, report_type
        for values in streams.values():
            stream = values.get("stream")
            if stream and not values.get("attachment"):
                content = stamp_page_numbers(stream.getvalue())
                stream.seek(0)
                stream.truncate()
                stream.write(content)
        return streams, report_type
