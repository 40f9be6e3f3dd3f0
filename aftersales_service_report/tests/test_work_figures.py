"""P9.1 / P8.3: one definition of a job and of hours (``aftersales.figures``): the
technician daily report (PDF), the technician performance (screen) and the
technician work spreadsheet (XLSX) count the same jobs and hours for a technician
and a day.

The technician's March 2025 (Shanghai time; "today" is 12 March, 10:00):

=====  ========  =======  ================================  ===========================
job    type      mode     completed                         hours logged
=====  ========  =======  ================================  ===========================
R1     paid      carry-in 12 March 09:00                    2 h on 11 March, 1.5 h today
R2     free      on site  today 09:30, signed, no time      -
R3     paid      on site  12 March 00:30 (11 March UTC)     -
R4     paid      on site  11 March 23:30 (11 March UTC)     -
R5     paid      carry-in (in progress)                     0.75 h today
=====  ========  =======  ================================  ===========================

A ticket solved today without a repair is a ticket solved, not a job.
-> 11 March: 1 job (R4), 2:00; 12 March: 3 jobs (R1, R3 paid; R2 free), 2:15;
March: 4 jobs, 4:15.
"""

from datetime import date, datetime, timedelta
from io import BytesIO

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.aftersales_service.tests.common import AftersalesRepairCase

from .common import ReportCaseMixin, xlsx_hours

TODAY = date(2025, 3, 12)
YESTERDAY = date(2025, 3, 11)


@tagged("post_install", "-at_install", "aftersales")
class TestWorkFigures(ReportCaseMixin, AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.env.user | cls.technician | cls.supervisor).write({"tz": cls.TZ})
        cls.daily_report = cls.env.ref("aftersales_service_report.action_report_daily_work")
        with freeze_time(cls.utc("2025-03-10 09:00")):
            cls.r1 = cls.repair(user_id=cls.technician.id)
            cls.r2 = cls.repair(user_id=cls.technician.id, aftersales_repair_mode="on_site")
            cls.r3 = cls.repair(user_id=cls.technician.id, aftersales_repair_mode="on_site")
            cls.r4 = cls.repair(user_id=cls.technician.id, aftersales_repair_mode="on_site")
            cls.r5 = cls.repair(user_id=cls.technician.id)
            cls.r2.with_user(cls.supervisor)._aftersales_override_service_type(
                "free", "Within the warranty"
            )
        cls.log(cls.r1, YESTERDAY, 2.0)
        cls.done(cls.r4, "2025-03-11 23:30")
        cls.done(cls.r3, "2025-03-12 00:30")
        cls.log(cls.r1, TODAY, 1.5)
        cls.done(cls.r1, "2025-03-12 09:00")
        cls.done(cls.r2, "2025-03-12 09:30")
        cls.log(cls.r5, TODAY, 0.75)
        with freeze_time(cls.utc("2025-03-12 09:45")):
            ticket = cls.ticket(user_id=cls.technician.id, received_at=cls.utc("2025-03-12 08:00"))
            ticket.stage_id = cls.stage_solved

    @classmethod
    def done(cls, repair, local):
        with freeze_time(cls.utc(local)):
            cls.finish(repair)

    @classmethod
    def log(cls, repair, day, hours):
        with freeze_time(datetime.combine(day, datetime.min.time()) + timedelta(hours=4)):
            cls.env["aftersales.work.entry"].create(
                {
                    "repair_id": repair.id,
                    "user_id": cls.technician.id,
                    "date": day,
                    "hours": hours,
                    "description": "Work",
                }
            )

    # ------------------------------------------------------------------
    # The three readers of the figures
    # ------------------------------------------------------------------
    def daily(self, day, user=None):
        """(jobs, hours) of the technician's daily report of ``day``."""
        user = user or self.technician
        wizard = (
            self.env["aftersales.daily.report.wizard"]
            .with_user(user)
            .create({"date": day, "kind": "technician", "technician_id": self.technician.id})
        )
        report = self.env[f"report.{self.daily_report.report_name}"].with_user(user)
        data = report._get_report_values(wizard.ids)["daily"][wizard.id]
        [line] = [line for line in data["users"] if line["user"] == self.technician]
        return line["jobs"], line["hours"]

    def performance(self):
        row = (
            self.env["aftersales.technician.performance"]
            .with_user(self.supervisor)
            .search([("user_id", "=", self.technician.id), ("month", "=", date(2025, 3, 1))])
        )
        return row.job_count, row.hours, row.ticket_job_count

    def spreadsheet(self):
        """{(sheet, period): (jobs, hours)} of the technician in the XLSX."""
        report = self.env.ref(
            "aftersales_service_report.action_report_xlsx_technician_work"
        ).with_user(self.supervisor)
        data = {
            "aftersales_filters": {
                "company_id": self.company.id,
                "date_from": "2025-03-01",
                "date_to": "2025-03-31",
            }
        }
        content, _kind = report._render_xlsx(report.report_name, None, data)
        workbook = openpyxl.load_workbook(BytesIO(content))
        figures = {}
        for sheet in ("Daily Work", "Monthly Work"):
            rows = list(workbook[sheet].iter_rows(min_row=4, values_only=True))
            header = rows[0]
            for values in rows[1:]:
                row = dict(zip(header, values, strict=True))
                if row["Technician"] != self.technician.name:
                    continue
                key = (sheet, row[header[1]].date())
                jobs, hours = figures.get(key, (0, 0.0))
                figures[key] = (jobs + row["Jobs"], round(hours + xlsx_hours(row["Hours"]), 4))
        return figures

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_p9_1_daily_report_performance_and_spreadsheet_agree_on_jobs_and_hours(self):
        """P9.1, P8.3: 1 job / 2:00 on 11 March, 3 jobs / 2:15 on 12 March, 4 jobs /
        4:15 in March, in the daily report, the XLSX and the performance view."""
        self.assertEqual(self.daily(YESTERDAY), (1, 2.0))
        self.assertEqual(self.daily(TODAY), (3, 2.25))
        jobs, hours, _tickets = self.performance()
        self.assertEqual((jobs, hours), (4, 4.25))
        xlsx = self.spreadsheet()
        self.assertEqual(xlsx["Daily Work", YESTERDAY], (1, 2.0))
        self.assertEqual(xlsx["Daily Work", TODAY], (3, 2.25))
        self.assertEqual(xlsx["Monthly Work", date(2025, 3, 1)], (jobs, hours))

    def test_p9_1_on_site_warranty_job_finished_today_is_in_both_daily_reports(self):
        """P9.1, P2.6: R2, free and signed on site today without time logged, is a job
        of the technician's and of the supervisor's daily report."""
        wizard = (
            self.env["aftersales.daily.report.wizard"]
            .with_user(self.supervisor)
            .create({"date": TODAY, "kind": "supervisor", "team_id": self.team.id})
        )
        report = self.env[f"report.{self.daily_report.report_name}"].with_user(self.supervisor)
        data = report._get_report_values(wizard.ids)["daily"][wizard.id]
        free = {row["type"]: row for row in data["types"]}["free"]
        self.assertEqual((free["jobs"], free["hours"]), (1, 0.0))
        with freeze_time(self.utc("2025-03-12 10:00")):
            technician_wizard = (
                self.env["aftersales.daily.report.wizard"].with_user(self.technician).create({})
            )
            html = self.html(self.daily_report, technician_wizard, user=self.technician)
        self.assertEqual(technician_wizard.date, TODAY)
        self.assertIn(self.r2.name, html)

    def test_p9_1_job_done_at_0030_in_shanghai_counts_on_that_local_day(self):
        """P9.1: R3, done at 00:30 on 12 March in Shanghai (11 March in UTC), is a job
        of 12 March; R4, done at 23:30 on 11 March, of 11 March."""
        self.assertEqual(self.r3.aftersales_done_on, TODAY)
        self.assertEqual(self.r4.aftersales_done_on, YESTERDAY)
        self.assertEqual(self.r3.aftersales_done_at.date(), YESTERDAY)

    def test_p8_3_a_solved_ticket_is_not_a_job(self):
        """P8.3, P9.1: the ticket solved today is counted as a ticket solved only."""
        jobs, _hours, tickets = self.performance()
        self.assertEqual((jobs, tickets), (4, 1))

    def test_p9_1_hours_read_as_hours_and_minutes_in_the_pdf_and_the_spreadsheet(self):
        """P9.1: 2.25 h is 02:15 in the daily report, and an [h]:mm duration in the XLSX,
        as the float_time fields show it on screen."""
        with freeze_time(self.utc("2025-03-12 10:00")):
            wizard = (
                self.env["aftersales.daily.report.wizard"].with_user(self.technician).create({})
            )
            html = self.html(self.daily_report, wizard, user=self.technician)
        self.assertIn("02:15", html)
        self.assertNotIn("2.25", html)
        report = self.env.ref("aftersales_service_report.action_report_xlsx_technician_work")
        content, _kind = report._render_xlsx(
            report.report_name,
            None,
            {"aftersales_filters": {"company_id": self.company.id, "date_from": "2025-03-12"}},
        )
        sheet = openpyxl.load_workbook(BytesIO(content))["Daily Work"]
        headers = [cell.value for cell in sheet[4]]
        self.assertEqual(
            sheet.cell(row=5, column=headers.index("Hours") + 1).number_format, "[h]:mm"
        )
