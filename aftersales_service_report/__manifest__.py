{
    "name": "After-Sales Service Reports",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "summary": "Printed documents (QWeb PDF) and spreadsheet exports (XLSX) "
    "of the after-sales suite",
    "description": """
Service vouchers, goods receipts, repair cards, replacement vouchers, contract
expiry notices, complaint reports, daily work reports (QWeb PDF) and the four
working tables of the service team (XLSX) for the After-Sales Service suite.
""",
    "author": "After-Sales Suite Team",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["aftersales_service"],
    "data": [],
    "installable": True,
    "application": False,
}
