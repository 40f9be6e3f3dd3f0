"""P9.1-P9.3: the spreadsheet exports of the service team, opened with openpyxl and
checked against the records. The dataset (March 2025, Shanghai time, the test
company, team "Shanghai Service Centre" unless said otherwise):

=====  ============  ========  =======  ==========  =======  ==================
ticket received      response  on time  resolution  on time  customer confirmed
=====  ============  ========  =======  ==========  =======  ==================
T1     03-03 09:00   1.0 h     yes      10 h        yes      callback 03-05 10:00
T2     03-04 09:00   3.0 h     no       (open)      -        feedback 03-07 10:00
T3     04-02 09:00   (April: outside the March filter)
T4     03-12 09:00   (other team, no owner: not readable by the technician)
=====  ============  ========  =======  ==========  =======  ==================

Feedback: F1 on T1 = 4,4,3,4 / 5,4,5; F2 on T2 = 2,3,4,4 / 4,4,4 — attitude mean 3.0,
sample standard deviation √2. Work: the technician 2 h + 1.5 h on 03-03 and 3 h on
03-04 on one paid repair, the supervisor 1 h on 03-03.
"""

import math
import zipfile
from datetime import date, datetime
from io import BytesIO

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.aftersales_service.tests.common import AftersalesRepairCase

from .common import ReportCaseMixin, xlsx_hours

MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31"}


@tagged("post_install", "-at_install", "aftersales")
class TestExports(ReportCaseMixin, AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Spreadsheets show wall-clock time: the exporting users work in Shanghai.
        (cls.env.user | cls.technician | cls.supervisor).write({"tz": cls.TZ})
        cls.other_team = cls.env["aftersales.team"].create(
            {"name": "Hangzhou Branch", "company_id": cls.company.id}
        )
        cls.t1 = cls._sla_ticket("2025-03-03 09:00", (1.0, True), (10.0, True))
        cls.t2 = cls._sla_ticket("2025-03-04 09:00", (3.0, False), None)
        cls.t3 = cls._sla_ticket("2025-04-02 09:00", (1.0, True), None)
        cls.t4 = cls.ticket(
            team_id=cls.other_team.id, received_at=cls.utc("2025-03-12 09:00"), user_id=False
        )
        cls.f1 = cls._feedback(cls.t1, "2025-03-06 10:00", ("4", "4", "3", "4"), (5, 4, 5))
        cls.f2 = cls._feedback(cls.t2, "2025-03-07 10:00", ("2", "3", "4", "4"), (4, 4, 4))
        cls.done_call = cls.env["aftersales.callback"].create(
            {
                "partner_id": cls.customer.id,
                "ticket_id": cls.t1.id,
                "planned_date": cls.utc("2025-03-05 09:00"),
                "user_id": cls.supervisor.id,
                "purpose": "satisfaction",
                "question": "Is the purifier quiet now?",
            }
        )
        cls.done_call.write({"answer": "Yes, thank you."})
        cls.done_call.action_done()
        cls.done_call.done_at = cls.utc("2025-03-05 10:00")
        cls.planned_call = cls.env["aftersales.callback"].create(
            {
                "partner_id": cls.customer.id,
                "planned_date": cls.utc("2025-03-20 15:00"),
                "user_id": cls.supervisor.id,
                "method": "visit",
                "purpose": "periodic",
            }
        )
        repair = cls.repair()
        repair._aftersales_override_service_type("paid", "Dropped by the customer")
        cls.env["aftersales.work.entry"].create(
            [
                {
                    "repair_id": repair.id,
                    "user_id": user.id,
                    "date": day,
                    "hours": hours,
                    "description": "Work",
                }
                for user, day, hours in (
                    (cls.technician, date(2025, 3, 3), 2.0),
                    (cls.technician, date(2025, 3, 3), 1.5),
                    (cls.technician, date(2025, 3, 4), 3.0),
                    (cls.supervisor, date(2025, 3, 3), 1.0),
                )
            ]
        )
        cls.tag = cls.env["res.partner.category"].create({"name": "Hotel chain"})
        cls.customer.write(
            {
                "ref": "C-0001",
                "phone": "+86 571 8888 0000",
                "category_id": [Command.link(cls.tag.id)],
            }
        )
        cls.env["res.partner"].create(
            {"name": "Zhang Min", "parent_id": cls.customer.id, "function": "Facility manager"}
        )

    # ------------------------------------------------------------------ helpers
    def export(self, name, records=None, user=None, lang=None, **filters):
        """The workbook of export ``name``: of ``records`` (a list selection) or of
        the wizard's ``filters`` (company = the test company)."""
        report = self.env.ref(f"aftersales_service_report.action_report_xlsx_{name}")
        if user:
            report = report.with_user(user)
        if lang:
            report = report.with_context(lang=lang)
        data = None
        if records is None:
            data = {"aftersales_filters": dict({"company_id": self.company.id}, **filters)}
        content, kind = report._render_xlsx(
            report.report_name, records.ids if records is not None else None, data
        )
        self.assertEqual(kind, "xlsx")
        self.content = content
        return openpyxl.load_workbook(BytesIO(content))

    @staticmethod
    def table(sheet):
        """Data rows as dicts keyed by the header (row 4)."""
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    def column_cell(self, sheet, header, data_row=1):
        headers = [cell.value for cell in sheet[4]]
        return sheet.cell(row=4 + data_row, column=headers.index(header) + 1)

    # ------------------------------------------------------------------ 表3
    def test_problem_tracking_row_gives_times_against_targets_p9_3(self):
        """P9.3 表3 / P6.3: T1 answered in 1 h and solved in 10 h, both on time,
        confirmed by the callback of 03-05 10:00, closed."""
        rows = self.table(self.export("problem_tracking", **MARCH).active)
        row = next(r for r in rows if r["Number"] == self.t1.name)
        self.assertEqual(row["Customer"], self.customer.name)
        self.assertEqual(row["Description"], self.t1.subject)
        self.assertEqual(row["Type"], "Service Request")
        self.assertEqual(row["Received"], datetime(2025, 3, 3, 9, 0))
        self.assertEqual(row["Responded"], datetime(2025, 3, 3, 10, 0))
        self.assertEqual(row["Owner"], self.technician.name)
        self.assertEqual(row["Progress"], self.stage_solved.name)
        self.assertEqual(row["Customer Confirmation"], datetime(2025, 3, 5, 10, 0))
        self.assertIs(row["Archived"], True)
        # Hours are durations (days in Excel), shown as hours and minutes.
        self.assertEqual(xlsx_hours(row["Response Time (h)"]), 1.0)
        self.assertIs(row["Response On Time"], True)
        self.assertEqual(xlsx_hours(row["Resolution Time (h)"]), 10.0)
        self.assertIs(row["Resolution On Time"], True)

    def test_problem_tracking_leaves_what_did_not_happen_empty(self):
        """P6.3: T2 answered late (3 h for 2 h) and not solved: no resolution figures,
        not archived; the customer's feedback is its confirmation."""
        rows = self.table(self.export("problem_tracking", **MARCH).active)
        row = next(r for r in rows if r["Number"] == self.t2.name)
        self.assertIs(row["Response On Time"], False)
        self.assertIsNone(row["Resolution Time (h)"])
        self.assertIsNone(row["Resolution On Time"])
        self.assertEqual(row["Customer Confirmation"], datetime(2025, 3, 7, 10, 0))
        self.assertIs(row["Archived"], False)

    def test_cells_are_typed_dates_and_numbers(self):
        """P9.3: dates are dates and hours are durations shown as hours and minutes,
        as on screens and in the PDFs."""
        sheet = self.export("problem_tracking", **MARCH).active
        received = self.column_cell(sheet, "Received")
        self.assertIsInstance(received.value, datetime)
        self.assertEqual(received.number_format, "yyyy-mm-dd hh:mm")
        hours = self.column_cell(sheet, "Response Time (h)")
        self.assertEqual(xlsx_hours(hours.value), 1.0)
        self.assertEqual(hours.number_format, "[h]:mm")

    def test_sheet_has_company_period_frozen_header_and_autofilter(self):
        """P9.3: the company and period on top, the header row frozen and filterable."""
        sheet = self.export("problem_tracking", **MARCH).active
        self.assertEqual(sheet["A1"].value, self.company.name)
        self.assertIn("Period", sheet["A2"].value)
        self.assertEqual(sheet.freeze_panes, "A5")
        self.assertEqual(sheet.auto_filter.ref, "A4:S7")
        self.assertEqual(sheet.title, "Problem Tracking")

    def test_sheet_names_and_headers_are_translated(self):
        """Chinese users get 问题追踪表 with Chinese column titles."""
        self.env["res.lang"]._activate_lang("zh_CN")
        sheet = self.export("problem_tracking", lang="zh_CN", **MARCH).active
        self.assertEqual(sheet.title, "问题追踪表（表3）")
        self.assertEqual(sheet["A4"].value, "编号")
        self.assertTrue(sheet["A2"].value.startswith("期间："))

    def test_sheet_title_in_simplified_chinese_for_a_zh_cn_user(self):
        """P9.3: a supervisor working in zh_CN gets the sheet titled in Simplified."""
        self.assertEqual(self.sheet_of_user_in("zh_CN").title, "问题追踪表（表3）")

    def test_sheet_title_in_traditional_chinese_for_a_zh_tw_user(self):
        """P9.3: a supervisor working in zh_TW gets the Traditional title and headers."""
        sheet = self.sheet_of_user_in("zh_TW")
        self.assertEqual(sheet.title, "問題追蹤表（表3）")
        self.assertEqual(sheet["A4"].value, "編號")

    def sheet_of_user_in(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        user = new_test_user(
            self.env,
            login=f"as_exporter_{lang.lower()}",
            groups="base.group_user,aftersales_service.group_aftersales_supervisor",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
            lang=lang,
        )
        # The browser session's context: the user's language.
        return self.export("problem_tracking", user=user, lang=user.lang, **MARCH).active

    def test_wizard_period_and_team_select_the_tickets(self):
        """March and the Shanghai team: T1 and T2, not April's T3 nor the other team's T4."""
        rows = self.table(self.export("problem_tracking", team_id=self.team.id, **MARCH).active)
        self.assertEqual([r["Number"] for r in rows], [self.t1.name, self.t2.name])
        rows = self.table(self.export("problem_tracking", **MARCH).active)
        self.assertEqual([r["Number"] for r in rows], [self.t1.name, self.t2.name, self.t4.name])

    def test_list_selection_exports_exactly_the_selection(self):
        rows = self.table(self.export("problem_tracking", records=self.t2 | self.t3).active)
        self.assertEqual([r["Number"] for r in rows], [self.t2.name, self.t3.name])

    # ------------------------------------------------------------------ 表2, 表1
    def test_callback_table_gives_plan_and_record_p1_5(self):
        """P1.5 / P6.6 表2: the satisfaction call with its question and answer, and the
        planned visit."""
        rows = self.table(self.export("callback", **MARCH).active)
        self.assertEqual(len(rows), 2)
        done, planned = rows
        self.assertEqual(done["Planned"], datetime(2025, 3, 5, 9, 0))
        self.assertEqual(done["What Was Asked"], "Is the purifier quiet now?")
        self.assertEqual(done["What the Customer Said"], "Yes, thank you.")
        self.assertEqual(done["Status"], "Done")
        self.assertEqual(done["Done"], datetime(2025, 3, 5, 10, 0))
        self.assertEqual(done["Service Request"], self.t1.display_name)
        self.assertEqual(planned["Method"], "Visit")
        self.assertEqual(planned["Status"], "Planned")

    def test_customer_table_gives_contact_tags_and_last_interaction_p1_1(self):
        """P1.1 表1: number, contact and position, phone, tags, and the last service
        contact — T3 received on 2025-04-02."""
        rows = self.table(self.export("customer", records=self.customer).active)
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["Number"], "C-0001")
        self.assertEqual(row["Name"], self.customer.name)
        self.assertEqual(row["Contact"], "Zhang Min")
        self.assertEqual(row["Position"], "Facility manager")
        self.assertEqual(row["Phone"], "+86 571 8888 0000")
        self.assertEqual(row["Tags"], "Hotel chain")
        self.assertEqual(row["Last Interaction"], datetime(2025, 4, 2))

    def test_customer_table_from_the_wizard_lists_customers_served_in_the_period(self):
        rows = self.table(self.export("customer", team_id=self.team.id, **MARCH).active)
        self.assertEqual([r["Name"] for r in rows], [self.customer.name])

    # ------------------------------------------------------------------ 表4
    def test_satisfaction_rows_carry_every_criterion_p8_2(self):
        workbook = self.export("satisfaction", **MARCH)
        self.assertEqual(workbook.sheetnames, ["Summary", "Satisfaction"])
        rows = self.table(workbook["Satisfaction"])
        self.assertEqual(len(rows), 2)
        first = rows[0]
        self.assertEqual(first["Attitude"], 4)
        self.assertEqual(first["Arrival Time"], 3)
        self.assertEqual(first["Service Attitude (1-5)"], 5)
        self.assertAlmostEqual(first["Overall Score"], self.f1.score, places=4)
        self.assertEqual(first["Answered"], datetime(2025, 3, 6, 10, 0))

    def test_satisfaction_summary_gives_mean_and_std_per_criterion_p8_4(self):
        """Attitude 4 and 2: mean 3.0, sample standard deviation √2; response speed
        4 and 4: mean 4.0, deviation 0."""
        summary = {
            row["Criterion"]: row
            for row in self.table(self.export("satisfaction", **MARCH)["Summary"])
        }
        attitude = summary["Attitude"]
        self.assertEqual(attitude["Answers"], 2)
        self.assertAlmostEqual(attitude["Mean"], 3.0)
        self.assertAlmostEqual(attitude["Std Dev"], math.sqrt(2))
        self.assertAlmostEqual(summary["Response Speed (1-5)"]["Mean"], 4.0)
        self.assertAlmostEqual(summary["Response Speed (1-5)"]["Std Dev"], 0.0)

    # ------------------------------------------------------------------ P9.1, P9.2
    def test_technician_work_sums_hours_by_day_and_service_type_p9_1(self):
        """P9.1: hours per day and service type (the repair is not done: no job)."""
        workbook = self.export("technician_work", **MARCH)
        daily = self.table(workbook["Daily Work"])
        mine = [r for r in daily if r["Technician"] == self.technician.name]
        self.assertEqual(
            [(r["Day"], r["Service Type"], r["Jobs"], xlsx_hours(r["Hours"])) for r in mine],
            [(datetime(2025, 3, 3), "Paid", 0, 3.5), (datetime(2025, 3, 4), "Paid", 0, 3.0)],
        )
        monthly = self.table(workbook["Monthly Work"])
        self.assertEqual(
            {(r["Technician"], xlsx_hours(r["Hours"])) for r in monthly},
            {(self.technician.name, 6.5), (self.supervisor.name, 1.0)},
        )

    def test_kpi_workbook_has_a_sheet_per_month_and_the_dashboard_figures_p9_2(self):
        workbook = self.export("kpi", date_from="2025-03-01", date_to="2025-05-31")
        self.assertEqual(workbook.sheetnames, ["Summary", "Mar 2025", "Apr 2025", "May 2025"])
        kpis = self.env["aftersales.kpi.dashboard"].get_kpis(
            date(2025, 3, 1), date(2025, 3, 31), self.company
        )
        march = {row["Indicator"]: row for row in self.table(workbook["Mar 2025"])}
        self.assertEqual(march["Tickets"]["Value"], kpis["ticket_count"])
        self.assertEqual(march["Tickets"]["Value"], 3)
        self.assertEqual(xlsx_hours(march["First Response, Average (h)"]["Value"]), 2.0)
        self.assertEqual(
            march["Satisfaction (%)"]["Target"], self.company.aftersales_target_satisfaction
        )

    def test_kpi_workbook_draws_native_charts(self):
        """A line chart of response/resolution times and a column chart of volumes by
        category, as Excel charts (openpyxl does not load charts: read the package)."""
        self.export("kpi", date_from="2025-03-01", date_to="2025-05-31")
        with zipfile.ZipFile(BytesIO(self.content)) as package:
            charts = [
                package.read(n).decode()
                for n in package.namelist()
                if n.startswith("xl/charts/chart")
            ]
        self.assertEqual(len(charts), 2)
        self.assertTrue(any("<c:lineChart>" in chart for chart in charts))
        self.assertTrue(any("<c:barChart>" in chart for chart in charts))

    def test_rows_are_streamed_not_held_in_memory(self):
        """Large exports: xlsxwriter's constant-memory mode writes each row as it
        comes (inline strings instead of a shared-string table built in memory)."""
        self.export("problem_tracking", **MARCH)
        with zipfile.ZipFile(BytesIO(self.content)) as package:
            sheet = package.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn('t="inlineStr"', sheet)

    # ------------------------------------------------------------------ access
    def test_exports_contain_only_what_the_user_may_read_p10_2(self):
        """The technician does not see T4 (another team, no owner)."""
        rows = self.table(self.export("problem_tracking", user=self.technician, **MARCH).active)
        self.assertEqual([r["Number"] for r in rows], [self.t1.name, self.t2.name])

    def test_user_without_access_cannot_export(self):
        outsider = self.outsider("as_export_outsider")
        with self.assertRaises(AccessError):
            self.export("problem_tracking", user=outsider, **MARCH)

    def test_kpi_workbook_is_for_supervisors_p10_2(self):
        """The indicators are the supervisors' (P9.2): a technician gets an AccessError."""
        with self.assertRaises(AccessError):
            self.export("kpi", user=self.technician, date_from="2025-03-01", date_to="2025-03-31")
        workbook = self.export(
            "kpi", user=self.supervisor, date_from="2025-03-01", date_to="2025-03-31"
        )
        self.assertEqual(workbook.sheetnames, ["Summary", "Mar 2025"])

    # ------------------------------------------------------------------ wizard
    def test_wizard_refuses_a_period_ending_before_it_starts(self):
        wizard = self.env["aftersales.export.wizard"].create(
            {"export": "problem_tracking", "date_from": "2025-03-31", "date_to": "2025-03-01"}
        )
        with self.assertRaisesRegex(UserError, "start date on or before the end date"):
            wizard.action_export()

    def test_wizard_downloads_the_chosen_export_with_its_filters(self):
        wizard = self.env["aftersales.export.wizard"].create(
            {"export": "satisfaction", "team_id": self.team.id, **MARCH}
        )
        action = wizard.action_export()
        self.assertEqual(action["report_type"], "xlsx")
        self.assertEqual(action["report_name"], "aftersales_service_report.xlsx_satisfaction")
        self.assertEqual(
            action["data"]["aftersales_filters"],
            {
                "date_from": "2025-03-01",
                "date_to": "2025-03-31",
                "team_id": self.team.id,
                "company_id": self.company.id,
            },
        )
