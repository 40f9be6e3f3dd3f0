"""Shared setup of the report addon's tests: rendering a document as a given user,
an employee outside the service team, and the repairs the documents print."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from odoo.addons.aftersales_service.tests.common import AftersalesRepairCase


def xlsx_hours(value):
    """Hours of an ``[h]:mm`` spreadsheet cell, which openpyxl reads as a timedelta."""
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 3600, 4)
    return round((value or 0) * 24, 4)


class ReportCaseMixin:
    """Helpers for test classes of any After-Sales case."""

    def html(self, report, records, user=None):
        """``report`` rendered as HTML for ``records`` (as ``user``)."""
        report = report.with_user(user) if user else report
        content, _kind = report._render_qweb_html(report.report_name, records.ids)
        return content.decode()

    def assert_print_refused(self, report, records, user):
        """``user`` printing ``report`` for ``records`` as the report route does (by
        the report's name, in the user's own companies) gets an AccessError on the
        records themselves: not on the report action or a company of the test's
        context, nor a QWeb error from inside the template."""
        engine = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
        )
        with self.assertRaises(AccessError) as refused:
            engine._render_qweb_html(report.report_name, records.ids)
        self.assertIn(f"({records._name})", str(refused.exception))

    def outsider(self, login):
        """An employee of the test company with no After-Sales rights (P10.2)."""
        return new_test_user(
            self.env,
            login=login,
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )


class AftersalesDocumentCase(ReportCaseMixin, AftersalesRepairCase):
    """The report actions of issue 8 and a few helpers to render them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def ref(name):
            return cls.env.ref(f"aftersales_service_report.{name}")

        cls.voucher = ref("action_report_service_voucher")
        cls.ticket_voucher = ref("action_report_ticket_service_voucher")
        cls.goods_receipt = ref("action_report_goods_receipt")
        cls.repair_card = ref("action_report_repair_card")
        cls.repair_record = ref("action_report_repair_record")
        cls.complaint_report = ref("action_report_complaint")
        cls.daily_report = ref("action_report_daily_work")
        cls.customer.aftersales_zone_id = cls.city

    def workshop_repair(self, substitute=False):
        """A paid carry-in repair of the purifier with one part, received in the
        workshop (goods receipt), with 1.5 h + 1 h of the technician's labour."""
        repair = self.repair(
            aftersales_repair_mode="workshop",
            user_id=self.technician.id,
            move_ids=[
                Command.create(
                    {
                        "product_id": self.part.id,
                        "product_uom_qty": 1,
                        "repair_line_type": "add",
                        "aftersales_substitute": substitute,
                    }
                )
            ],
            aftersales_work_entry_ids=[
                Command.create(
                    {"user_id": self.technician.id, "hours": 1.5, "description": "Replaced fan"}
                ),
                Command.create(
                    {"user_id": self.technician.id, "hours": 1.0, "description": "Function test"}
                ),
            ],
        )
        repair._aftersales_receive_goods(accessories="Remote control", condition="Dent on top")
        if substitute:
            repair._aftersales_record_substitute_consent("By phone")
        return repair
