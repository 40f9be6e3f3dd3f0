from datetime import date, datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    aftersales_tier_window_months = fields.Integer(
        string="Tier Window (months)",
        default=12,
        help="Invoiced amount and order count are summed over this rolling window "
        "to grade customers.",
    )
    aftersales_new_customer_months = fields.Integer(
        string="New Customer Period (months)",
        default=3,
        help="A customer whose first purchase is at most this many months old is "
        "'new'; after that 'stable'.",
    )
    aftersales_churn_months = fields.Integer(
        string="Churn Risk After (months)",
        default=6,
        help="A customer with no purchase and no contact for longer than this is "
        "flagged 'churn risk'.",
    )
    aftersales_escalation_warning_minutes = fields.Integer(
        string="Escalate Before Deadline (minutes)",
        default=30,
        help="A target due within this many minutes is escalated to the team leader "
        "(level 1) before it is missed.",
    )
    aftersales_escalation_level2_hours = fields.Float(
        string="Escalate to Manager After (hours)",
        default=4.0,
        help="A target missed by more than this many hours is escalated to the team's "
        "manager (level 2).",
    )
    aftersales_default_warranty_months = fields.Integer(
        string="Default Warranty (months)",
        default=12,
        help="Free-warranty period of products whose product and category set none.",
    )
    aftersales_repair_warranty_months = fields.Integer(
        string="Repair Warranty (months)",
        default=3,
        help="The same fault repaired again within this period is free.",
    )
    aftersales_workshop_days = fields.Integer(
        string="Workshop Repair Target (working days)",
        default=5,
        help="A carry-in repair is done within this many working days of the request.",
    )
    aftersales_labour_product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        domain="[('type', '=', 'service')]",
        help="Service product whose price bills chargeable repair labour by the hour.",
    )
    aftersales_return_window_days = fields.Integer(
        string="Return Window (days)",
        default=7,
        help="Returns for refund are accepted within this many days of the customer "
        "receiving the goods.",
    )
    aftersales_voucher_validity_days = fields.Integer(
        string="Replacement Voucher Validity (days)",
        default=30,
        help="A replacement voucher can be used this many days.",
    )
    aftersales_contract_reminder_days = fields.Integer(
        string="Contract Reminder (days before end)",
        default=30,
        help="Contracts ending within this many days get the expiry notice and the sales "
        "rep a renewal task, once per term.",
    )
    # Feedback (P8) and callbacks (P1.5, P6.6)
    aftersales_feedback_delay_hours = fields.Integer(
        string="Feedback Request After (hours)",
        default=2,
        help="A completed ticket, repair or return gets its feedback request this many "
        "hours after completion, and always within 24 h.",
    )
    aftersales_feedback_validity_days = fields.Integer(
        string="Feedback Link Valid (days)",
        default=14,
        help="The feedback link in the request works this many days, once.",
    )
    aftersales_feedback_complaint_threshold = fields.Float(
        string="Complaint Below (score 1-5)",
        default=3.0,
        help="Feedback whose overall score is below this opens a complaint ticket.",
    )
    aftersales_new_customer_callback_days = fields.Integer(
        string="New Customer Callback (working days)",
        default=3,
        help="New customers get a callback within this many working days of their first "
        "confirmed order.",
    )
    aftersales_high_value_visit_months = fields.Integer(
        string="High-Value Visit Every (months)",
        default=12,
        help="Customers of tiers with a dedicated account manager get a visit this often; "
        "their calls follow the tier's callback cadence.",
    )
    aftersales_satisfaction_callback_hours = fields.Integer(
        string="Satisfaction Callback After (hours)",
        default=24,
        help="A solved ticket gets a satisfaction callback planned this many hours later.",
    )
    # KPI targets (P9.2)
    aftersales_target_satisfaction = fields.Float(
        string="Satisfaction Target (%)",
        default=90.0,
        help="Share of feedback rated satisfied or better over the quarter.",
    )
    aftersales_target_complaint_ontime = fields.Float(
        string="Complaints Handled on Time Target (%)",
        default=100.0,
        help="Share of complaints solved within their resolution target.",
    )
    aftersales_target_first_response = fields.Float(
        string="First Response on Time Target (%)",
        default=95.0,
        help="Share of requests answered within their first-response target.",
    )
    aftersales_target_resolution_ontime = fields.Float(
        string="Resolution on Time Target (%)",
        default=90.0,
        help="Share of requests solved within their resolution target.",
    )
    aftersales_target_complaint_rate = fields.Float(
        string="Complaint Rate Ceiling (per 100 orders)",
        default=2.0,
        help="At most this many complaints per 100 delivered orders.",
    )
    aftersales_kpi_min_orders = fields.Integer(
        string="Complaint Rate From (delivered orders)",
        default=20,
        help="Below this many delivered orders in the period the complaint rate shows "
        "no data: a handful of orders says nothing about the rate.",
    )
    aftersales_return_location_id = fields.Many2one(
        "stock.location",
        string="Return Location",
        domain="[('usage', '=', 'internal')]",
        help="Where returned goods are received. Empty: the warehouse's stock.",
    )
    aftersales_tiers_computed_at = fields.Datetime(
        string="Tiers Last Recomputed",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "aftersales_tier_window_months",
        "aftersales_new_customer_months",
        "aftersales_churn_months",
        "aftersales_escalation_warning_minutes",
        "aftersales_escalation_level2_hours",
        "aftersales_repair_warranty_months",
        "aftersales_workshop_days",
        "aftersales_default_warranty_months",
        "aftersales_return_window_days",
        "aftersales_voucher_validity_days",
        "aftersales_target_satisfaction",
        "aftersales_target_complaint_ontime",
        "aftersales_target_first_response",
        "aftersales_target_resolution_ontime",
        "aftersales_target_complaint_rate",
        "aftersales_kpi_min_orders",
    )
    def _check_aftersales_periods(self):
        for company in self:
            for fname in (
                "aftersales_tier_window_months",
                "aftersales_new_customer_months",
                "aftersales_churn_months",
                "aftersales_repair_warranty_months",
                "aftersales_workshop_days",
                "aftersales_return_window_days",
                "aftersales_voucher_validity_days",
            ):
                if company[fname] < 1:
                    raise ValidationError(
                        _(
                            "%(setting)s of company %(company)s must be at least 1 "
                            "month (it is %(value)s).",
                            setting=self._fields[fname].get_description(self.env)["string"],
                            company=company.name,
                            value=company[fname],
                        )
                    )
            if (
                company.aftersales_escalation_warning_minutes < 0
                or company.aftersales_escalation_level2_hours < 0
            ):
                raise ValidationError(
                    _("Escalation delays of company %s cannot be negative.", company.name)
                )
            targets = (
                company.aftersales_target_satisfaction,
                company.aftersales_target_complaint_ontime,
                company.aftersales_target_first_response,
                company.aftersales_target_resolution_ontime,
            )
            if any(target < 0 or target > 100 for target in targets):
                raise ValidationError(
                    _(
                        "The service targets of company %s are shares from 0 to 100 %%.",
                        company.name,
                    )
                )
            if (
                company.aftersales_target_complaint_rate < 0
                or company.aftersales_kpi_min_orders < 1
            ):
                raise ValidationError(
                    _(
                        "Company %s: the complaint rate ceiling cannot be negative and the "
                        "rate needs at least one delivered order.",
                        company.name,
                    )
                )
            if company.aftersales_default_warranty_months < 0:
                raise ValidationError(
                    _("The default warranty of company %s cannot be negative.", company.name)
                )

    # ------------------------------------------------------------------
    # Business methods: the company's calendar day
    # ------------------------------------------------------------------
    # Every day the policy counts (return windows, warranties, voucher validity,
    # contract ends, lifecycle stages, daily reports, KPI periods) is a calendar day
    # where the company works, never a UTC date: in Asia/Shanghai a delivery at
    # 07:30 is 23:30 UTC of the day before. Crons run without a user time zone, so
    # "today" cannot come from the context either.
    def _aftersales_tz_name(self):
        """Name of the time zone of the company's days: its working-hours
        calendar's (the one the SLA clock uses), else its address's, else the
        user's, else UTC."""
        # sudo(): portal users and public pages count days too, and may not read
        # working-hours calendars; only the zone's name comes out.
        company = (self[:1] or self.env.company).sudo()
        return (
            company.resource_calendar_id.tz
            or company.partner_id.tz
            or self.env.context.get("tz")
            or self.env.user.tz
            or "UTC"
        )

    def _aftersales_tz(self):
        return pytz.timezone(self._aftersales_tz_name())

    def _aftersales_local_date(self, moment):
        """The company's calendar day of ``moment`` (a stored, naive UTC datetime);
        a date is returned as it is, nothing as False."""
        if not moment:
            return False
        if isinstance(moment, str):
            moment = fields.Datetime.to_datetime(moment)
        if isinstance(moment, date) and not isinstance(moment, datetime):
            return moment
        return pytz.utc.localize(moment).astimezone(self._aftersales_tz()).date()

    def _aftersales_today(self):
        """Today in the company's time zone."""
        return self._aftersales_local_date(fields.Datetime.now())

    def _aftersales_day_start(self, day):
        """Naive UTC instant at which the company's calendar day ``day`` begins."""
        local = self._aftersales_tz().localize(datetime.combine(fields.Date.to_date(day), time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _aftersales_day_range(self, date_from, date_to):
        """``(start, stop)`` naive UTC instants of the company's days from
        ``date_from`` to ``date_to`` included (stop excluded)."""
        return (
            self._aftersales_day_start(date_from),
            self._aftersales_day_start(fields.Date.to_date(date_to) + timedelta(days=1)),
        )

    def _aftersales_sql_local_date(self, column):
        """SQL of the company's calendar day of a UTC ``timestamp`` column (an SQL
        object), for queries that count days."""
        return SQL(
            "((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", column, self._aftersales_tz_name()
        )

    @api.model
    def _aftersales_sql_company_zones(self):
        """SQL of a ``(company_id, tz)`` table of every company's time zone, as
        ``_aftersales_tz_name`` picks it, for SQL views that count days per company."""
        return SQL(
            """
            SELECT c.id AS company_id, COALESCE(cal.tz, cp.tz, 'UTC') AS tz
              FROM res_company c
         LEFT JOIN resource_calendar cal ON cal.id = c.resource_calendar_id
         LEFT JOIN res_partner cp ON cp.id = c.partner_id
            """
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_set_default_labour_product(self):
        """Companies without a labour product bill labour with the suite's."""
        product = self.env.ref("aftersales_service.product_repair_labour", raise_if_not_found=False)
        if product:
            self.search([("aftersales_labour_product_id", "=", False)]).write(
                {"aftersales_labour_product_id": product.id}
            )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        product = self.env.ref("aftersales_service.product_repair_labour", raise_if_not_found=False)
        if product:
            companies.filtered(lambda c: not c.aftersales_labour_product_id).write(
                {"aftersales_labour_product_id": product.id}
            )
        return companies
