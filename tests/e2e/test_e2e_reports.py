"""End-to-end: the spreadsheet exports (P9.3) downloaded as the web client does —
from a list selection and from the export wizard — through a running server."""

import json
from io import BytesIO

import openpyxl

from .client import URL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, path, **params):
    response = client.session.get(f"{URL.rstrip('/')}{path}", params=params, timeout=120)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == XLSX
    return openpyxl.load_workbook(BytesIO(response.content))


def test_selected_tickets_download_as_problem_tracking_table(supervisor):
    ids = supervisor.call("aftersales.ticket", "search", [], limit=2, order="id")
    names = [t["name"] for t in supervisor.call("aftersales.ticket", "read", ids, ["name"])]
    ids_path = ",".join(map(str, ids))
    workbook = download(
        supervisor, f"/report/xlsx/aftersales_service_report.xlsx_problem_tracking/{ids_path}"
    )
    sheet = workbook.active
    assert sheet["A4"].value == "Number"
    assert sorted(sheet.cell(row=r, column=1).value for r in (5, 6)) == sorted(names)


def test_export_wizard_downloads_the_satisfaction_survey_with_its_summary(supervisor):
    wizard = supervisor.call(
        "aftersales.export.wizard",
        "create",
        {"export": "satisfaction", "date_from": "2020-01-01", "date_to": "2030-12-31"},
    )
    action = supervisor.call("aftersales.export.wizard", "action_export", [wizard])
    assert action["report_type"] == "xlsx"
    workbook = download(
        supervisor,
        f"/report/xlsx/{action['report_name']}",
        options=json.dumps(action["data"]),
        context=json.dumps({}),
    )
    assert workbook.sheetnames[0] == "Summary"
    assert workbook["Summary"]["A4"].value == "Criterion"
