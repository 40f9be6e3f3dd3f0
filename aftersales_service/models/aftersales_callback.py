from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.workflow import workflow_step

CALLBACK_METHODS = [("phone", "Phone"), ("online", "Online"), ("visit", "Visit")]
CALLBACK_PURPOSES = [
    ("satisfaction", "Satisfaction after a service"),
    ("new_customer", "New customer"),
    ("periodic", "Periodic contact"),
    ("visit", "Yearly visit"),
    ("other", "Other"),
]
CALLBACK_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("missed", "Missed"),
    ("cancelled", "Cancelled"),
]


class AftersalesCallback(models.Model):
    """A planned contact with a customer (回访, P1.5, P6.6): planned automatically
    from the tier's cadence, the first order and solved tickets, and recorded:
    what was asked, what the customer said, the follow-up and its owner."""

    _name = "aftersales.callback"
    _description = "After-Sales Customer Callback"
    _inherit = ["aftersales.workflow.guard", "mail.thread", "mail.activity.mixin"]
    _order = "planned_date, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    planned_date = fields.Datetime(required=True, index=True, tracking=True)
    method = fields.Selection(CALLBACK_METHODS, required=True, default="phone", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    purpose = fields.Selection(CALLBACK_PURPOSES, required=True, default="other")
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
        help="The solved request whose satisfaction this callback confirms.",
    )
    tier_id = fields.Many2one(
        "aftersales.tier", readonly=True, help="The customer's tier when it was planned."
    )
    question = fields.Text(string="What Was Asked")
    answer = fields.Text(string="What the Customer Said")
    follow_up_action = fields.Text()
    follow_up_user_id = fields.Many2one("res.users", string="Follow-up Owner")
    follow_up_deadline = fields.Date()
    state = fields.Selection(
        CALLBACK_STATES, default="planned", required=True, index=True, tracking=True, readonly=True
    )
    done_at = fields.Datetime(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    plan_key = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="What the planner planned this callback for (one per key and company), "
        "so that running it again plans nothing twice.",
    )

    _sql_constraints = [
        (
            "plan_key_unique",
            "UNIQUE (company_id, plan_key)",
            "This callback was already planned.",
        ),
    ]

    # ------------------------------------------------------------------
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """A callback is done, missed or cancelled through its buttons; the planner owns its key."""
        return dict(
            super()._aftersales_workflow_fields(),
            state=None,
            done_at=None,
            plan_key=None,
        )

    @api.model
    def _aftersales_user_links(self):
        return (
            *super()._aftersales_user_links(),
            "ticket_id",
        )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("partner_id", "purpose")
    def _compute_name(self):
        purposes = dict(CALLBACK_PURPOSES)
        for callback in self:
            callback.name = (
                f"{callback.partner_id.display_name or ''} - {purposes.get(callback.purpose, '')}"
            )

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for callback in self:
            callback.is_overdue = callback.state == "planned" and callback.planned_date < now

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Search overdue callbacks with = or !=."))
        now = fields.Datetime.now()
        if (operator == "=") == bool(value):
            return [("state", "=", "planned"), ("planned_date", "<", now)]
        return ["|", ("state", "!=", "planned"), ("planned_date", ">=", now)]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @workflow_step
    def action_done(self):
        """Record the callback as made: what the customer said is required (P1.5)."""
        for callback in self:
            if callback.state != "planned":
                raise UserError(_("%s is not planned any more.", callback.name))
            if not (callback.answer or "").strip():
                raise UserError(
                    _(
                        "Write what the customer said before marking %s done.",
                        callback.name,
                    )
                )
        self.write({"state": "done", "done_at": fields.Datetime.now()})
        return True

    @workflow_step
    def action_missed(self):
        self.filtered(lambda c: c.state == "planned").write({"state": "missed"})
        return True

    @workflow_step
    def action_cancel(self):
        self.filtered(lambda c: c.state == "planned").write({"state": "cancelled"})
        return True

    @workflow_step
    def action_reset_to_planned(self):
        self.filtered(lambda c: c.state in ("missed", "cancelled")).write({"state": "planned"})
        return True

    # ------------------------------------------------------------------
    # Planner (P1.5, P6.6)
    # ------------------------------------------------------------------
    @api.model
    def _cron_plan_callbacks(self):
        """Daily: plan the callbacks each company owes its customers (P1.5, P6.6).
        Everything is found with grouped queries and created in bulk; the plan key
        makes a second run plan nothing twice."""
        planned = self.browse()
        for company in self.env["res.company"].search([]):
            planner = self.with_company(company).with_context(
                allowed_company_ids=[company.id],
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
            planned |= planner._plan_company_callbacks(company)
        return planned

    def _plan_company_callbacks(self, company, now=None):
        now = now or fields.Datetime.now()
        plans = []
        plans += self._plan_satisfaction_callbacks(company, now)
        plans += self._plan_new_customer_callbacks(company, now)
        plans += self._plan_tier_callbacks(company, now)
        existing = set()
        keys = [plan["plan_key"] for plan in plans]
        if keys:
            self.flush_model(["plan_key", "company_id"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT plan_key FROM aftersales_callback"
                    " WHERE company_id = %s AND plan_key = ANY(%s)",
                    company.id,
                    keys,
                )
            )
            existing = {row[0] for row in rows}
        missing, seen = [], set()
        for plan in plans:
            if plan["plan_key"] not in existing and plan["plan_key"] not in seen:
                seen.add(plan["plan_key"])
                missing.append(dict(plan, company_id=company.id))
        return self.sudo().create(missing) if missing else self.browse()

    def _plan_satisfaction_callbacks(self, company, now):
        """P6.6: a callback 24 h (Settings) after a ticket is solved; none for
        cancelled requests. Tickets solved in the last 30 days are caught up."""
        delay = timedelta(hours=company.aftersales_satisfaction_callback_hours)
        self.env["aftersales.ticket"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT t.id, t.partner_id, COALESCE(t.user_id, team.leader_id), t.sla_solved_at
              FROM aftersales_ticket t
              JOIN aftersales_stage s ON s.id = t.stage_id
         LEFT JOIN aftersales_team team ON team.id = t.team_id
             WHERE t.company_id = %(company)s
               AND s.is_closed AND s.is_cancelled IS NOT TRUE
               AND t.sla_solved_at >= %(since)s
               AND t.partner_id IS NOT NULL
            """,
                company=company.id,
                since=now - timedelta(days=30),
            )
        )
        return [
            {
                "plan_key": f"ticket:{ticket_id}",
                "purpose": "satisfaction",
                "method": "phone",
                "partner_id": partner_id,
                "ticket_id": ticket_id,
                "user_id": user_id,
                "planned_date": solved_at + delay,
            }
            for ticket_id, partner_id, user_id, solved_at in rows
        ]

    def _plan_new_customer_callbacks(self, company, now):
        """P1.5: a new customer is called within 3 working days (Settings) of their
        first confirmed order."""
        self.env["sale.order"].flush_model(["partner_id", "state", "date_order", "company_id"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT p.commercial_partner_id, MIN(o.date_order)
              FROM sale_order o
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.company_id = %(company)s AND o.state = 'sale'
          GROUP BY p.commercial_partner_id
            HAVING MIN(o.date_order) >= %(since)s
            """,
                company=company.id,
                since=now - relativedelta(months=company.aftersales_new_customer_months),
            )
        )
        if not rows:
            return []
        partners = self.env["res.partner"].browse([pid for pid, _first in rows])
        calendar = company.resource_calendar_id
        hours = company.aftersales_new_customer_callback_days * (calendar.hours_per_day or 8.0)
        deadlines = self.env["aftersales.ticket"]._sla_add_working_hours(
            calendar, [(first, hours) for _pid, first in rows]
        )
        return [
            {
                "plan_key": f"new:{partner.id}",
                "purpose": "new_customer",
                "method": "phone",
                "partner_id": partner.id,
                "user_id": (partner.aftersales_account_manager_id or partner.user_id).id,
                "tier_id": partner.aftersales_tier_id.id,
                "planned_date": deadline,
            }
            for partner, deadline in zip(partners, deadlines, strict=True)
        ]

    def _plan_tier_callbacks(self, company, now):
        """P1.4, P1.5: customers are called at their tier's cadence (stable
        customers quarterly, high-value monthly); tiers with a dedicated account
        manager also get a yearly visit (months in Settings). One callback per
        customer and period; new customers get their first call instead."""
        tiers = self.env["aftersales.tier"].search(
            [("company_id", "in", [company.id, False]), ("callback_interval_days", ">", 0)]
        )
        visit_tiers = self.env["aftersales.tier"].search(
            [("company_id", "in", [company.id, False]), ("dedicated_account_manager", "=", True)]
        )
        if not tiers and not visit_tiers:
            return []
        partners = self.env["res.partner"].search(
            [
                ("aftersales_tier_id", "in", (tiers | visit_tiers).ids),
                ("aftersales_lifecycle_stage", "!=", "new"),
            ]
        )
        # Periods are counted in the company's calendar days and months.
        local_today = company._aftersales_local_date(now)
        day = local_today.toordinal()
        visit_months = company.aftersales_high_value_visit_months or 12
        month_index = (local_today.year * 12 + local_today.month - 1) // visit_months
        plans = []
        for partner in partners:
            tier = partner.aftersales_tier_id
            owner = (partner.aftersales_account_manager_id or partner.user_id).id
            if tier.callback_interval_days > 0:
                period = day // tier.callback_interval_days
                plans.append(
                    {
                        "plan_key": f"periodic:{partner.id}:{tier.callback_interval_days}:{period}",
                        "purpose": "periodic",
                        "method": "phone",
                        "partner_id": partner.id,
                        "user_id": owner,
                        "tier_id": tier.id,
                        "planned_date": now,
                    }
                )
            if tier.dedicated_account_manager:
                plans.append(
                    {
                        "plan_key": f"visit:{partner.id}:{visit_months}:{month_index}",
                        "purpose": "visit",
                        "method": "visit",
                        "partner_id": partner.id,
                        "user_id": owner,
                        "tier_id": tier.id,
                        "planned_date": now + timedelta(days=14),
                    }
                )
        return plans
