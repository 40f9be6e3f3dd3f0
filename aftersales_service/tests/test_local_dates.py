"""Every day the policy counts is the company's calendar day (Asia/Shanghai here,
UTC+8), never a UTC date: each rule is tried within an hour of local midnight,
where the two disagree."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import AftersalesContractCase


@tagged("post_install", "-at_install", "aftersales")
class TestLocalDates(AftersalesContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id = cls.calendar
        cls.technician.tz = "Asia/Shanghai"

    def test_p2_4_warranty_starts_on_the_local_day_of_a_delivery_at_0030(self):
        """P2.4: delivered at 00:30 on 10 Jan 2025 in Shanghai (16:30 UTC on 9 Jan):
        the 12-month warranty starts on 10 Jan and is still free on its last local
        day, 10 Jan 2026 at 07:30 (23:30 UTC on 9 Jan)."""
        lot = self.lot("SN-LOCAL-1")
        self.deliver(lot, at=self.utc("2025-01-10 00:30"))
        with freeze_time(self.utc("2026-01-10 07:30")):
            with Form(self.env["repair.order"].with_user(self.technician)) as form:
                form.partner_id = self.customer
                form.product_id = self.serial_purifier
                form.lot_id = lot
                form.aftersales_team_id = self.team
            repair = form.record
        self.assertEqual(repair.aftersales_purchase_date, date(2025, 1, 10))
        self.assertEqual(repair.aftersales_warranty_end, date(2026, 1, 10))
        self.assertEqual(repair.aftersales_service_type, "free")

    def test_p2_4_warranty_is_over_at_0030_the_next_local_day(self):
        """P2.4: the same delivery, repair asked at 00:30 on 11 Jan 2026 in Shanghai
        (still 10 Jan in UTC): paid."""
        lot = self.lot("SN-LOCAL-2")
        self.deliver(lot, at=self.utc("2025-01-10 00:30"))
        with freeze_time(self.utc("2026-01-11 00:30")):
            repair = self.repair(self.serial_purifier, lot_id=lot.id)
        self.assertEqual(repair.aftersales_service_type, "paid")

    def test_p3_6_repair_warranty_runs_from_the_local_completion_day(self):
        """P3.6: an on-site repair finished at 00:30 on 1 Mar 2026 in Shanghai (28 Feb
        in UTC) is under repair warranty until 1 Jun 2026."""
        repair = self.repair(aftersales_repair_mode="on_site", user_id=self.technician.id)
        with freeze_time(self.utc("2026-03-01 00:30")):
            self.finish(repair)
        self.assertEqual(repair.aftersales_done_at, self.utc("2026-03-01 00:30"))
        self.assertEqual(repair.aftersales_repair_warranty_end, date(2026, 6, 1))

    def test_p3_6_later_edits_do_not_extend_the_repair_warranty(self):
        """P3.6: a note, a new planned visit or the invoice weeks after the job leave
        the 3-month repair warranty where the completion put it."""
        repair = self.repair(aftersales_repair_mode="on_site", user_id=self.technician.id)
        with freeze_time(self.utc("2026-03-01 10:00")):
            self.finish(repair)
        with freeze_time(self.utc("2026-04-20 10:00")):
            repair.message_post(body="Customer called about the invoice")
            repair.write({"internal_notes": "<p>Checked again by phone</p>"})
            repair.with_user(self.accountant).action_aftersales_create_invoice()
        self.assertEqual(repair.aftersales_repair_warranty_end, date(2026, 6, 1))

    def test_p3_6_same_fault_is_free_until_the_last_local_day_of_the_repair_warranty(self):
        """P3.6: the same fault at 23:30 on 1 Jun 2026 in Shanghai is repaired free;
        at 00:30 on 2 Jun (still 1 Jun in UTC) it is paid."""
        first = self.repair(aftersales_repair_mode="on_site", user_id=self.technician.id)
        with freeze_time(self.utc("2026-03-01 10:00")):
            self.finish(first)
        with freeze_time(self.utc("2026-06-01 23:30")):
            self.assertEqual(self.repair().aftersales_service_type, "free")
        with freeze_time(self.utc("2026-06-02 00:30")):
            self.assertEqual(self.repair().aftersales_service_type, "paid")

    def test_p7_2_expiry_notice_is_due_on_the_local_day_the_cron_runs(self):
        """P7.2: a contract ending 31 Dec 2026, 30 days of notice: the daily job
        running at 07:30 on 1 Dec in Shanghai (23:30 UTC on 30 Nov) sends the notice."""
        contract = self.contract()
        with freeze_time(self.utc("2026-12-01 07:30")):
            self.run_contract_cron()
        self.assertEqual(contract.state, "expiring")
        self.assertEqual(len(self.expiry_notices(contract)), 1)

    def test_p7_2_contract_expires_after_its_last_local_day(self):
        """P7.1: at 00:30 on 1 Jan 2027 in Shanghai (still 31 Dec in UTC) the 2026
        contract has ended."""
        contract = self.contract(state="expiring")
        with freeze_time(self.utc("2027-01-01 00:30")):
            self.run_contract_cron()
            self.assertEqual(contract.days_to_end, -1)
        self.assertEqual(contract.state, "expired")

    def test_p1_3_first_order_at_0030_counts_on_its_local_day(self):
        """P1.3: new for 3 months from the first purchase: an order at 00:30 on
        1 Sep 2026 in Shanghai (31 Aug in UTC) still makes the customer new on
        1 Dec 2026."""
        partner = self._create_customer("Suzhou Lakeside Hotel")
        order = self._sale_order(partner, "2026-09-01")
        order.date_order = self.utc("2026-09-01 00:30")
        with freeze_time(self.utc("2026-12-01 00:30")):
            self.recompute_tiers()
        partner = self.partner_in(partner)
        self.assertEqual(partner.aftersales_first_purchase_date, date(2026, 9, 1))
        self.assertEqual(partner.aftersales_lifecycle_stage, "new")

    def test_p9_1_work_is_logged_on_the_local_day(self):
        """P9.1: work logged at 07:30 in Shanghai (23:30 UTC the day before) belongs
        to the local day's report."""
        repair = self.repair(user_id=self.technician.id)
        with freeze_time(self.utc("2026-05-12 07:30")):
            entry = self.env["aftersales.work.entry"].create(
                {
                    "repair_id": repair.id,
                    "user_id": self.technician.id,
                    "hours": 1.0,
                    "description": "Morning call",
                }
            )
        self.assertEqual(entry.date, date(2026, 5, 12))

    def test_p9_2_quarter_starts_on_the_local_day(self):
        """P9.2: at 00:30 on 1 Apr 2026 in Shanghai (31 Mar in UTC) the dashboard
        opens on the second quarter, and a ticket received then counts in it."""
        with freeze_time(self.utc("2026-04-01 00:30")):
            ticket = self.ticket(received_at=datetime.now())
            dashboard = self.env["aftersales.kpi.dashboard"].with_user(self.supervisor)
            data = dashboard.get_dashboard_data("quarter", team_id=self.team.id)
            self.assertEqual((data["date_from"], data["date_to"]), ("2026-04-01", "2026-06-30"))
            self.assertEqual(next(c for c in data["cards"] if c["key"] == "tickets")["value"], 1)
        start, stop = self.company._aftersales_day_range(date(2026, 4, 1), date(2026, 6, 30))
        self.assertTrue(start <= ticket.received_at < stop)
        self.assertEqual(start, self.utc("2026-04-01 00:00"))
