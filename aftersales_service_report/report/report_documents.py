import io

import lxml.html
from reportlab.pdfgen import canvas

from odoo import api, models, tools
from odoo.tools.pdf import PdfFileReader, PdfFileWriter


def stamp_page_numbers(content):
    """``content`` (a PDF) with "page / pages" printed at the foot of every page."""
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    total = len(reader.pages)
    writer = PdfFileWriter()
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        overlay = io.BytesIO()
        sheet = canvas.Canvas(overlay, pagesize=(width, height))
        sheet.setFont("Helvetica", 8)
        sheet.setFillGray(0.45)
        sheet.drawRightString(width - 28, 20, f"{number} / {total}")
        sheet.save()
        page.merge_page(PdfFileReader(io.BytesIO(overlay.getvalue())).pages[0])
        writer.add_page(page)
    stamped = io.BytesIO()
    writer.write(stamped)
    return stamped.getvalue()


def print_one_pdf_per_record(report, records):
    """``{record id: PDF}`` of ``report`` for ``records``, one page each, printed in
    ONE wkhtmltopdf run: the records' pages are put in a single HTML body (what
    every wkhtmltopdf build prints, unlike Odoo's one body per record) and the PDF
    is cut page by page. Records whose document is not exactly one page, or a
    failed cut, fall back to one run per record. Under the test runner, like
    Odoo's own printing, it renders HTML instead (unless ``force_report_rendering``)."""
    testing = tools.config["test_enable"] or tools.config["test_file"]
    contents = {}
    if len(records) > 1 and not (testing and not report.env.context.get("force_report_rendering")):
        contents = _print_in_one_body(report, records)
    for record in records:
        if record.id not in contents:
            contents[record.id] = report._render_qweb_pdf(report.report_name, record.ids)[0]
    return contents


def _print_in_one_body(report, records):
    report = report.with_context(debug=False)
    html = report._render_qweb_html(report.report_name, records.ids, data={"debug": False})[0]
    bodies, html_ids, header, footer, paper_args = report._prepare_html(
        html, report_model=report.model
    )
    if html_ids != records.ids:
        return {}
    documents = [lxml.html.document_fromstring(body) for body in bodies]
    merged = documents[0]
    for document in documents[1:]:
        merged.body.append(lxml.html.fromstring('<div style="page-break-before: always;"/>'))
        for node in list(document.body):
            merged.body.append(node)
    pdf = report._run_wkhtmltopdf(
        [lxml.html.tostring(merged, encoding="unicode", doctype="<!DOCTYPE html>")],
        report_ref=report.report_name,
        header=header,
        footer=footer,
        specific_paperformat_args=paper_args,
    )
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    if len(reader.pages) != len(records):
        return {}
    contents = {}
    for record, page in zip(records, reader.pages, strict=True):
        writer = PdfFileWriter()
        writer.add_page(page)
        stream = io.BytesIO()
        writer.write(stream)
        contents[record.id] = stamp_page_numbers(stream.getvalue())
    return contents


class ReportDocumentMixin(models.AbstractModel):
    """The values of a printed document that adds its own to its records (the
    latest repair of a request, the day's figures): ``docs`` are the records of
    ``_document_model``. The printing user's right to read them is checked before
    any rendering, for every document of the suite, by ``ir.actions.report``
    (P10.2); a document with nothing of its own has no report model."""

    _name = "report.aftersales_service_report.document_mixin"
    _description = "After-Sales printed document"
    _document_model = None

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._document_model].browse(docids)
        return {"doc_ids": docids, "doc_model": self._document_model, "docs": docs}
