import functools
import subprocess

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


@functools.cache
def wkhtmltopdf_prints_batches():
    """Whether wkhtmltopdf can print several records in one run. Only its "with
    patched qt" build can; the unpatched one (Debian's package) writes an empty file
    for more than one document, so batches are then printed one record at a time."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "patched qt" in version


class ReportDocumentMixin(models.AbstractModel):
    """The records of a printed document, read with the printing user's rights:
    a user who may not read a record gets an AccessError, not a half-rendered page
    (P10.2)."""

    _name = "report.aftersales_service_report.document_mixin"
    _description = "After-Sales printed document"
    _document_model = None

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._document_model].browse(docids)
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": self._document_model, "docs": docs}


class ReportContractExpiryNotice(models.AbstractModel):
    _name = "report.aftersales_service_report.report_contract_expiry_notice"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Contract expiry notice (P7.2)"
    _document_model = "aftersales.contract"


class ReportRmaVoucher(models.AbstractModel):
    _name = "report.aftersales_service_report.report_rma_voucher"
    _inherit = "report.aftersales_service_report.document_mixin"
    _description = "Replacement voucher / return authorisation (P4.2, P5)"
    _document_model = "aftersales.rma"
