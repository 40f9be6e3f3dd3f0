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
        "security/aftersales_service_report_security.xml",
        "report/aftersales_layout.xml",
        "report/aftersales_contract_reports.xml",
        "report/aftersales_rma_reports.xml",
        "report/aftersales_repair_reports.xml",
        "report/aftersales_ticket_reports.xml",
        "report/aftersales_goods_receipt_reports.xml",
        "report/aftersales_daily_reports.xml",
        "report/aftersales_xlsx_reports.xml",
        "wizard/aftersales_daily_report_wizard_views.xml",
        "wizard/aftersales_export_wizard_views.xml",
    ],
    "assets": {
        "web.report_assets_common": [
            "aftersales_service_report/static/src/scss/aftersales_documents.scss",
        ],
    },
    "installable": True,
    "application": False,
}
