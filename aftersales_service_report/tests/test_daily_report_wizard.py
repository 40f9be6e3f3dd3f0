"""P9.1: the daily report dialog prints the report and closes, as Odoo's print
wizards do."""

from odoo.tests import Form, tagged

from odoo.addons.aftersales_service.tests.common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestDailyReportWizard(AftersalesDeskCase):
    def print_as(self, user):
        form = Form(self.env["aftersales.daily.report.wizard"].with_user(user))
        return form.save().action_print()

    def test_p9_1_supervisor_daily_report_prints_and_closes_the_dialog(self):
        action = self.print_as(self.supervisor)
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "aftersales_service_report.report_daily_work")
        self.assertTrue(action["close_on_report_download"])

    def test_p9_1_supervisor_picks_the_report_and_a_technician_in_the_dialog(self):
        form = Form(self.env["aftersales.daily.report.wizard"].with_user(self.supervisor))
        self.assertEqual(form.kind, "supervisor")
        form.kind = "technician"
        form.technician_id = self.technician
        wizard = form.save()
        self.assertEqual(wizard._report_users(), self.technician)

    def test_p9_1_technician_cannot_pick_another_report_in_the_dialog(self):
        """P10.2: a technician prints his own day only."""
        form = Form(self.env["aftersales.daily.report.wizard"].with_user(self.technician))
        self.assertEqual(form.kind, "technician")
        with self.assertRaises(AssertionError):
            form.kind = "supervisor"

    def test_p9_1_technician_daily_report_prints_and_closes_the_dialog(self):
        action = self.print_as(self.technician)
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertTrue(action["close_on_report_download"])
