"""P2.6, P2.7, P3.4, P3.6, P6, P9.1, P10.2: the printed documents of issue 8 render
for the suite's records, show what their policy asks for, and are printed only by
users who may read them."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import escape

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from odoo.addons.aftersales_service.tests.common import SIGNATURE, AftersalesRepairCase

from .common import AftersalesDocumentCase, ReportCaseMixin


@tagged("post_install", "-at_install", "aftersales")
class TestServiceVoucher(AftersalesDocumentCase):
    def test_service_voucher_renders_the_onsite_demo_repair(self):
        """P2.6: the voucher of the demo on-site repair names it, its zone and technician,
        with a blank signature block."""
        repair = self.env.ref("aftersales_service.repair_order_onsite_demo")
        html = self.html(self.voucher, repair)
        self.assertIn("Service Voucher", html)
        self.assertIn(repair.name, html)
        self.assertIn(repair.aftersales_zone_id.name, html)
        self.assertIn(repair.user_id.name, html)
        self.assertIn("Customer signature: ____", html)

    def test_service_voucher_shows_the_signature_and_signer_once_signed(self):
        """P2.6: once the customer signed on site, the voucher shows the captured
        signature, who signed and when instead of the blank line."""
        repair = self.repair(aftersales_repair_mode="on_site", user_id=self.technician.id)
        before = self.html(self.voucher, repair)
        self.assertNotIn(SIGNATURE, before)
        self.assertNotIn("o_aftersales_signature", before)
        repair.with_user(self.technician)._aftersales_sign(SIGNATURE, "Li Lei")
        after = self.html(self.voucher, repair)
        self.assertIn("data:image/png;base64," + SIGNATURE, after)
        self.assertIn("Li Lei", after)
        self.assertIn("o_aftersales_signed_on", after)
        self.assertNotIn("Customer signature: ____", after)

    def test_p2_6_unsigned_voucher_prints_no_signer_line(self):
        """P2.6: an unsigned voucher has the blank lines to sign on paper and no
        "Signed by" line with empty values."""
        repair = self.repair(aftersales_repair_mode="on_site", user_id=self.technician.id)
        html = self.html(self.voucher, repair)
        self.assertIn("Customer signature: ____", html)
        self.assertNotIn("Signed by:", html)
        self.assertNotIn("Signed on:", html)

    def test_service_voucher_shows_zone_arrival_deadline_and_work(self):
        """P2.5, P2.6: customer zone, arrival deadline, work done and time spent."""
        repair = self.repair(
            aftersales_repair_mode="on_site",
            user_id=self.technician.id,
            aftersales_work_entry_ids=[
                Command.create(
                    {"user_id": self.technician.id, "hours": 1.25, "description": "Cleaned fan"}
                )
            ],
        )
        html = self.html(self.voucher, repair)
        self.assertIn(self.city.name, html)
        self.assertTrue(repair.sla_response_deadline)
        self.assertIn("Arrive by:", html)
        self.assertIn("Cleaned fan", html)
        self.assertIn("01:15", html)

    def test_service_voucher_states_the_amount_due_of_a_paid_service(self):
        """P2.4, P2.6: a paid job shows the amount due."""
        repair = self.workshop_repair()
        self.assertEqual(repair.aftersales_service_type, "paid")
        self.assertGreater(repair.aftersales_amount, 0)
        html = self.html(self.voucher, repair)
        self.assertIn("Amount due:", html)
        self.assertIn(f"{repair.aftersales_amount:,.2f}", html)
        self.assertNotIn("free of charge", html)

    def test_service_voucher_of_free_service_is_free_of_charge(self):
        """P2.4, P2.6: a free (warranty) job shows no amount to pay."""
        repair = self.repair(aftersales_repair_mode="on_site", user_id=self.technician.id)
        repair.aftersales_service_type = "free"
        html = self.html(self.voucher, repair)
        self.assertIn("free of charge", html)

    def test_service_voucher_is_printed_in_the_customers_language(self):
        """P2.6: the voucher is rendered in the customer's language (here its dates)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        repair = self.repair(
            aftersales_repair_mode="on_site",
            user_id=self.technician.id,
            aftersales_work_entry_ids=[
                Command.create(
                    {"user_id": self.technician.id, "hours": 1.0, "description": "Cleaned fan"}
                )
            ],
        )
        day = repair.aftersales_work_entry_ids.date
        html = self.html(self.voucher, repair)
        self.assertIn(day.strftime("%d/%m/%Y"), html)
        self.assertNotIn(day.strftime("%m/%d/%Y"), html)

    def test_ticket_voucher_prints_the_voucher_of_its_repair(self):
        """P2.6: printed from the demo service request, the voucher is its repair's."""
        ticket = self.env.ref("aftersales_service.aftersales_ticket_noise_demo")
        repair = self.env.ref("aftersales_service.repair_order_onsite_demo")
        html = self.html(self.ticket_voucher, ticket)
        self.assertIn("Service Voucher", html)
        self.assertIn(repair.name, html)

    def test_ticket_voucher_without_repair_uses_the_request(self):
        """P2.6: a request without repair prints its own data with blank lines."""
        ticket = self.ticket(fault_symptom="Loud rattle at full speed", product_id=self.purifier.id)
        html = self.html(self.ticket_voucher, ticket)
        self.assertIn(ticket.name, html)
        self.assertIn("Loud rattle at full speed", html)
        self.assertIn(self.city.name, html)
        self.assertIn("Customer signature: ____", html)


@tagged("post_install", "-at_install", "aftersales")
class TestGoodsReceiptDocument(AftersalesDocumentCase):
    def test_goods_receipt_renders_the_demo_receipt(self):
        """P2.7: the demo receipt lists the accessories and the condition; not void."""
        repair = self.env.ref("aftersales_service.repair_order_workshop_done_demo")
        receipt = repair.aftersales_goods_receipt_ids
        html = self.html(self.goods_receipt, receipt)
        self.assertIn("Goods Receipt", html)
        self.assertIn(receipt.name, html)
        self.assertIn("Remote control, power cable", html)
        self.assertIn("Scratch on the left side panel", html)
        self.assertNotIn("VOID", html)

    def test_goods_receipt_is_void_only_once_the_goods_are_returned(self):
        """P2.7: the receipt prints VOID / 作废 only after the customer took the product
        back, with the return date and who signed for it."""
        repair = self.workshop_repair()
        receipt = repair.aftersales_goods_receipt_ids
        self.assertNotIn("VOID", self.html(self.goods_receipt, receipt))
        self.finish(repair)
        self.assertNotIn("VOID", self.html(self.goods_receipt, receipt))
        repair._aftersales_return(SIGNATURE, "Li Lei")
        html = self.html(self.goods_receipt, receipt)
        self.assertIn("VOID", html)
        self.assertIn("Li Lei", html)


@tagged("post_install", "-at_install", "aftersales")
class TestRepairDocuments(AftersalesDocumentCase):
    def test_repair_card_renders_the_demo_repair(self):
        """P2.7: the demo workshop repair's card lists its labour."""
        repair = self.env.ref("aftersales_service.repair_order_workshop_done_demo")
        html = self.html(self.repair_card, repair)
        self.assertIn("Repair Card", html)
        self.assertIn("Replaced the fan motor and cleaned the air duct", html)

    def test_repair_card_lists_labour_parts_consent_and_inspection(self):
        """P2.7, P3.2, P3.4: who worked when and how long, the substitute part with the
        customer's consent, the inspection result and the inspector."""
        repair = self.workshop_repair(substitute=True)
        self.finish(repair)
        html = self.html(self.repair_card, repair)
        self.assertIn(self.technician.name, html)
        self.assertIn("Replaced fan", html)
        self.assertIn("02:30", html)  # 1.5 h + 1 h
        self.assertIn(self.part.name, html)
        self.assertRegex(html, r">\s*Substitute\s*<")
        self.assertIn("Substitute parts accepted by the customer on", html)
        self.assertIn("✔ Passed", html)
        self.assertIn(self.supervisor.name, html)

    def test_repair_record_renders_the_demo_repair(self):
        """P3.4: the customer's repair record of the demo repair, with its warranty card."""
        repair = self.env.ref("aftersales_service.repair_order_workshop_done_demo")
        html = self.html(self.repair_record, repair)
        self.assertIn("Repair Record", html)
        self.assertIn("Repair Warranty Card", html)

    def test_repair_record_warranty_card_shows_the_repair_warranty_end(self):
        """P3.6: the warranty card of a returned repair carries the repair-warranty end
        date (3 months after the return)."""
        repair = self.workshop_repair()
        self.finish(repair)
        repair._aftersales_return(SIGNATURE, "Li Lei")
        end = repair.aftersales_repair_warranty_end
        returned_on = self.company._aftersales_local_date(repair.aftersales_returned_on)
        self.assertEqual(end, returned_on + relativedelta(months=3))
        html = self.html(self.repair_record, repair)
        self.assertIn(format_date(self.env, end), html)
        self.assertIn("o_aftersales_warranty_end", html)
        self.assertNotIn("Chargeable", html)  # internal detail stays on the card


@tagged("post_install", "-at_install", "aftersales")
class TestComplaintReport(AftersalesDocumentCase):
    def test_complaint_report_renders_the_demo_complaint(self):
        """P6.2, P6.5: category, responsibility, remedy, root cause, corrective action."""
        ticket = self.env.ref("aftersales_service.aftersales_ticket_solved_complaint_demo")
        html = self.html(self.complaint_report, ticket)
        self.assertIn("Complaint Handling Report", html)
        self.assertIn("Service", html)
        self.assertIn("Our Company", html)
        self.assertIn("Explanation Only", html)
        self.assertIn(escape(ticket.root_cause), html)
        self.assertIn(escape(ticket.corrective_action), html)

    def test_complaint_report_times_the_steps_against_the_targets(self):
        """P6.3: received, responded and solved against the deadlines: a late first
        response shows as missed, an open resolution as running."""
        complaint = self.ticket(ticket_type="complaint", complaint_category="quality")
        now = fields.Datetime.now()
        complaint.write(
            {
                "sla_response_deadline": now - timedelta(hours=3),
                "sla_first_response_at": now - timedelta(hours=1),
                "sla_resolution_deadline": now + timedelta(days=1),
                "sla_solved_at": False,
            }
        )
        html = self.html(self.complaint_report, complaint)
        self.assertIn("Received", html)
        self.assertIn("Missed", html)
        self.assertIn("Running", html)
        self.assertIn("Not recorded yet", html)

    def test_complaint_report_refuses_a_service_request(self):
        """P6: only complaints have a handling report."""
        with self.assertRaises(UserError):
            self.html(self.complaint_report, self.ticket())


@tagged("post_install", "-at_install", "aftersales")
class TestDailyReports(AftersalesDocumentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paid_repair = cls.repair(user_id=cls.technician.id)
        cls.free_repair = cls.repair(user_id=cls.technician.id)
        cls.free_repair.aftersales_service_type = "free"
        cls.paid_repair.aftersales_service_type = "paid"
        Entry = cls.env["aftersales.work.entry"]
        for repair, user, hours in (
            (cls.paid_repair, cls.technician, 1.5),
            (cls.paid_repair, cls.technician, 2.0),
            (cls.free_repair, cls.technician, 0.75),
            (cls.paid_repair, cls.supervisor, 3.0),
        ):
            Entry.create(
                {
                    "repair_id": repair.id,
                    "user_id": user.id,
                    "hours": hours,
                    "description": f"Work of {user.name}",
                }
            )
        # Yesterday's work is not today's report.
        Entry.create(
            {
                "repair_id": cls.paid_repair.id,
                "user_id": cls.technician.id,
                "hours": 8.0,
                "description": "Yesterday",
                "date": cls.company._aftersales_today() - timedelta(days=1),
            }
        )

    def wizard(self, user, **vals):
        return (
            self.env["aftersales.daily.report.wizard"]
            .with_user(user)
            .create(dict({"team_id": self.team.id}, **vals))
        )

    def values(self, wizard):
        report = self.env[f"report.{self.daily_report.report_name}"].with_user(wizard.env.user)
        return report._get_report_values(wizard.ids)["daily"][wizard.id]

    @staticmethod
    def by_type(data):
        return {row["type"]: (row["jobs"], row["hours"]) for row in data["types"]}

    def test_technician_daily_report_sums_hours_by_service_type(self):
        """P9.1: the technician's day: hours per service type from his work entries of
        the day, shown as hours and minutes; neither repair is done, so no job yet."""
        wizard = self.wizard(self.technician)
        self.assertEqual(wizard.kind, "technician")
        data = self.values(wizard)
        self.assertEqual(self.by_type(data), {"paid": (0, 3.5), "free": (0, 0.75)})
        self.assertEqual(data["total_hours"], 4.25)
        html = self.html(self.daily_report, wizard, user=self.technician)
        self.assertIn("Technician Daily Report", html)
        self.assertIn("03:30", html)
        self.assertIn("00:45", html)
        self.assertIn("04:15", html)
        self.assertNotIn("4.25", html)

    def test_supervisor_daily_report_sums_the_team_per_technician(self):
        """P9.1: the supervisor's day of the team: per service type and per technician."""
        wizard = self.wizard(self.supervisor)
        self.assertEqual(wizard.kind, "supervisor")
        data = self.values(wizard)
        self.assertEqual(self.by_type(data), {"paid": (0, 6.5), "free": (0, 0.75)})
        per_user = {line["user"]: line["hours"] for line in data["users"]}
        self.assertEqual(per_user, {self.technician: 4.25, self.supervisor: 3.0})
        html = self.html(self.daily_report, wizard, user=self.supervisor)
        self.assertIn("Supervisor Daily Report", html)
        self.assertIn("06:30", html)
        self.assertIn("07:15", html)

    def test_technician_daily_report_shows_only_his_own_work(self):
        """P10.2: a technician asking for the supervisor's report or another
        technician's work still gets his own day only."""
        wizard = self.wizard(self.technician, kind="supervisor", technician_id=self.supervisor.id)
        data = self.values(wizard)
        self.assertEqual([line["user"] for line in data["users"]], [self.technician])
        self.assertEqual(data["total_hours"], 4.25)
        html = self.html(self.daily_report, wizard, user=self.technician)
        self.assertIn("Technician Daily Report", html)
        self.assertNotIn(f"Work of {self.supervisor.name}", html)
        self.assertNotIn("06:30", html)

    def test_technician_daily_report_covers_work_for_other_teams(self):
        """P9.1: by default a technician's day includes his work on another team's
        repair; a supervisor's report defaults to his team."""
        other_team = self.env["aftersales.team"].create(
            {"name": "Suzhou branch", "company_id": self.company.id}
        )
        repair = self.repair(user_id=self.technician.id, aftersales_team_id=other_team.id)
        self.env["aftersales.work.entry"].create(
            {
                "repair_id": repair.id,
                "user_id": self.technician.id,
                "hours": 1.0,
                "description": "Helped the branch",
            }
        )
        wizard = self.env["aftersales.daily.report.wizard"].with_user(self.technician).create({})
        self.assertFalse(wizard.team_id)
        self.assertEqual(self.values(wizard)["total_hours"], 5.25)
        supervisor_wizard = (
            self.env["aftersales.daily.report.wizard"].with_user(self.supervisor).create({})
        )
        self.assertEqual(supervisor_wizard.team_id, self.team)
        self.assertEqual(self.values(supervisor_wizard)["total_hours"], 7.25)

    def test_daily_report_queries_do_not_grow_with_the_jobs(self):
        """P9.1: the report is computed with grouped reads: more jobs and entries on
        the day do not mean more queries."""
        wizard = self.wizard(self.technician)

        def done_job():
            repair = self.repair(user_id=self.technician.id)
            self.env["aftersales.work.entry"].create(
                {
                    "repair_id": repair.id,
                    "user_id": self.technician.id,
                    "hours": 1.0,
                    "description": "Another job",
                }
            )
            self.finish(repair)

        def queries():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.html(self.daily_report, wizard, user=self.technician)
            return self.cr.sql_log_count - before

        done_job()
        queries()  # templates compiled and cached
        few = queries()
        for _i in range(5):
            done_job()
        self.env.flush_all()
        self.assertEqual(self.values(wizard)["total_jobs"], 6)
        self.assertEqual(queries(), few)

    def test_daily_report_wizard_button_prints_the_pdf(self):
        """P9.1: the wizard's button returns the daily report's PDF action."""
        wizard = self.wizard(self.technician)
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], self.daily_report.report_name)
        self.assertEqual(action["report_type"], "qweb-pdf")

    def test_daily_report_menus_are_visible_to_technicians_and_supervisors(self):
        """P9.1: supervisors find the daily reports under Reporting, technicians (who
        have no Reporting menu) under the Service Desk."""
        reporting = self.env.ref("aftersales_service_report.aftersales_daily_report_wizard_menu")
        mine = self.env.ref("aftersales_service_report.aftersales_daily_report_wizard_menu_my")

        def reachable(menu, user):
            """The menu and every menu above it are visible to ``user``."""
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            return all(int(mid) in visible for mid in menu.parent_path.strip("/").split("/"))

        self.assertTrue(reachable(mine, self.technician))
        self.assertTrue(reachable(reporting, self.supervisor))
        self.assertFalse(reachable(reporting, self.technician))

    def test_daily_report_of_another_user_cannot_be_printed(self):
        """P10.2: a technician cannot print the supervisor's daily report wizard."""
        wizard = self.wizard(self.supervisor)
        with self.assertRaises(AccessError):
            self.html(self.daily_report, wizard, user=self.technician)


@tagged("post_install", "-at_install", "aftersales")
class TestDocumentAccess(AftersalesDocumentCase):
    def test_user_without_access_cannot_print_the_service_documents(self):
        """P10.2: printing reads the record with the user's rights: an employee outside
        the service team gets an AccessError for every document."""
        outsider = self.outsider("as_doc_outsider")
        repair = self.workshop_repair()
        complaint = self.ticket(ticket_type="complaint", complaint_category="quality")
        for report, records in (
            (self.voucher, repair),
            (self.repair_card, repair),
            (self.repair_record, repair),
            (self.goods_receipt, repair.aftersales_goods_receipt_ids),
            (self.ticket_voucher, complaint),
            (self.complaint_report, complaint),
        ):
            with self.subTest(report=report.report_name), self.assertRaises(AccessError):
                self.html(report, records, user=outsider)

    def test_technician_cannot_print_another_teams_request(self):
        """P10.2: a technician prints only the requests his record rules let him read."""
        other_team = self.env["aftersales.team"].create(
            {"name": "Suzhou branch", "company_id": self.company.id}
        )
        ticket = self.ticket(team_id=other_team.id, user_id=self.supervisor.id)
        with self.assertRaises(AccessError):
            self.html(self.ticket_voucher, ticket, user=self.technician)

    def documents_of_the_desk(self):
        """Each document with a record of the test company's desk to print."""
        repair = self.workshop_repair()
        complaint = self.ticket(ticket_type="complaint", complaint_category="quality")
        return (
            (self.voucher, repair),
            (self.repair_card, repair),
            (self.repair_record, repair),
            (self.goods_receipt, repair.aftersales_goods_receipt_ids),
            (self.ticket_voucher, complaint),
            (self.complaint_report, complaint),
        )

    def test_technician_of_another_company_cannot_print_the_documents(self):
        """P10.2: a technician of another company prints none of this company's
        documents, whatever report he asks for."""
        branch = self._create_company("After-Sales Branch Company", with_accounting=False)
        stranger = self._create_user("as_doc_branch_tech", "group_aftersales_user", branch)
        for report, records in self.documents_of_the_desk():
            with self.subTest(report=report.report_name):
                self.assert_print_refused(report, records, stranger)

    def test_portal_user_cannot_print_another_customers_documents(self):
        """P10.2: the portal user of another customer prints none of the desk
        customer's documents through the report engine."""
        other = self._create_customer("Suzhou Lake Trading")
        contact = self.env["res.partner"].create({"name": "Bob Wang", "parent_id": other.id})
        portal = new_test_user(
            self.env,
            login="as_doc_portal",
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        for report, records in self.documents_of_the_desk():
            with self.subTest(report=report.report_name):
                self.assert_print_refused(report, records, portal)

    def test_access_is_checked_before_rendering_even_with_values_in_cache(self):
        """P10.2: a record another read left in the cache is not printed for a user
        who may not read it (the template alone would not ask the database)."""
        outsider = self.outsider("as_doc_cached_outsider")
        for report, records in self.documents_of_the_desk():
            records.read()
            with self.subTest(report=report.report_name):
                self.assert_print_refused(report, records, outsider)


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestDocumentRoute(ReportCaseMixin, AftersalesRepairCase, HttpCase):
    """P10.2 through Odoo's report route (``/report/<converter>/<report>/<ids>``),
    the one the Print menu opens."""

    def test_report_route_refuses_a_user_who_may_not_read_the_record(self):
        """P10.2: a technician of another company asking the route for this company's
        repair voucher is refused (403) and sees nothing of the repair; the
        technician who may read it gets the voucher."""
        branch = self._create_company("After-Sales Route Branch", with_accounting=False)
        self._create_user("as_route_branch_tech", "group_aftersales_user", branch)
        repair = self.repair(user_id=self.technician.id)
        url = f"/report/html/aftersales_service_report.report_service_voucher/{repair.id}"
        self.authenticate("as_route_branch_tech", "as_route_branch_tech")
        with mute_logger("odoo.http"):
            response = self.url_open(url, timeout=60)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(repair.name, response.text)
        self.authenticate(self.technician.login, self.technician.login)
        response = self.url_open(url, timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertIn(repair.name, response.text)
