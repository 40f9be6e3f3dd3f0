{
    "name": "After-Sales Service Reports",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "summary": "Printed documents (QWeb PDF) and spreadsheet exports (XLSX) "
    "of the after-sales suite",
    "author": "After-Sales Suite Team",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["aftersales_service", "report_xlsx"],
    "data": [
        "security/ir.model.access.csv",
        "report/aftersales_xlsx_reports.xml",
        "wizard/aftersales_export_wizard_views.xml",
        "report/aftersales_contract_reports.xml",
        "report/aftersales_rma_reports.xml",
    ],
    "installable": True,
    "application": False,
}
