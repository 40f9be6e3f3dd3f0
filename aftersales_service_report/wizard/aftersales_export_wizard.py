from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

#: Export → its XLSX report action.
EXPORTS = {
    "customer": "aftersales_service_report.action_report_xlsx_customer",
    "callback": "aftersales_service_report.action_report_xlsx_callback",
    "problem_tracking": "aftersales_service_report.action_report_xlsx_problem_tracking",
    "satisfaction": "aftersales_service_report.action_report_xlsx_satisfaction",
    "technician_work": "aftersales_service_report.action_report_xlsx_technician_work",
    "kpi": "aftersales_service_report.action_report_xlsx_kpi",
}


class AftersalesExportWizard(models.TransientModel):
    """Spreadsheet exports of the service team for a period and a team (P9.1-P9.3).
    What a user gets is what the user may read."""

    _name = "aftersales.export.wizard"
    _description = "After-Sales Spreadsheet Export"

    export = fields.Selection(
        [
            ("customer", "Customer Data and Tags"),
            ("callback", "Callback Plan and Record"),
            ("problem_tracking", "Problem Tracking"),
            ("satisfaction", "Satisfaction Survey"),
            ("technician_work", "Technician Work (Daily / Monthly)"),
            ("kpi", "KPI Workbook (by Month, with Charts)"),
        ],
        required=True,
        default="problem_tracking",
    )
    date_from = fields.Date(
        string="From",
        default=lambda self: self.env["aftersales.kpi.dashboard"]._default_date_from(),
        help="First day included. Customers: those with a service request in the period.",
    )
    date_to = fields.Date(
        string="To",
        default=lambda self: self.env["aftersales.kpi.dashboard"]._default_date_to(),
        help="Last day included.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "aftersales.team",
        domain="[('company_id', 'in', (company_id, False))]",
        help="Leave empty for every team.",
    )

    @api.onchange("export")
    def _onchange_export(self):
        # The KPI workbook is read by quarter: snap the period to whole months.
        if self.export == "kpi" and self.date_from:
            self.date_from = self.date_from.replace(day=1)
            if self.date_to:
                self.date_to = self.date_to.replace(day=1) + relativedelta(months=1, days=-1)

    def action_export(self):
        """P9.3: the chosen export as an XLSX download."""
        self.ensure_one()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(
                self.env._(
                    "The period starts on %(start)s, after its end %(stop)s: "
                    "set a start date on or before the end date.",
                    start=format_date(self.env, self.date_from),
                    stop=format_date(self.env, self.date_to),
                )
            )
        if self.export == "kpi" and not (self.date_from and self.date_to):
            raise UserError(self.env._("The KPI workbook needs a period: set both dates."))
        if self.export == "kpi" and (self.date_to - self.date_from).days > 366:
            raise UserError(
                self.env._("The KPI workbook has one sheet per month: choose at most a year.")
            )
        data = {
            "aftersales_filters": {
                "date_from": fields.Date.to_string(self.date_from) if self.date_from else False,
                "date_to": fields.Date.to_string(self.date_to) if self.date_to else False,
                "team_id": self.team_id.id,
                "company_id": self.company_id.id,
            }
        }
        # config=False: the document-layout configurator is for PDFs, not spreadsheets.
        return self.env.ref(EXPORTS[self.export]).report_action(None, data=data, config=False)
