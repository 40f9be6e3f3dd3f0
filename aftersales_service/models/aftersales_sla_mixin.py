import logging
from collections import defaultdict
from datetime import timedelta

import babel.dates
import pytz
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime
from odoo.tools.misc import babel_locale_parse, get_lang

from ..tools.actions import window_action
from ..tools.workflow import workflow_step
from ..tools.working_time import WorkingTimeline

_logger = logging.getLogger(__name__)

SLA_STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("missed", "Missed"),
]
#: Records an escalation digest names one by one; the others are counted.
DIGEST_LISTED = 20
#: The record's SLA at a glance, most urgent first (the order of its groups).
SLA_SUMMARY_STATUSES = [
    ("missed", "Missed"),
    ("due_soon", "Due Soon"),
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
]
#: Who a record was escalated to (P2.9, P6.4): the highest level of its two targets.
ESCALATION_LEVELS = [
    ("1", "Team Leader"),
    ("2", "Manager"),
]
#: A target is "due soon" this long before its deadline.
DUE_SOON = timedelta(hours=2)

#: P6.3: an extended resolution never goes past this many working days from receipt.
MAX_EXTENSION_WORKING_DAYS = 7
#: Fields only the engine (and the supervisor's extension) sets.
SLA_ENGINE_FIELDS = (
    "sla_policy_id",
    "sla_calendar_id",
    "sla_response_target",
    "sla_resolution_target",
    "sla_response_deadline",
    "sla_resolution_deadline",
    "sla_first_response_at",
    "sla_solved_at",
    "sla_paused_since",
    "sla_paused_hours",
    "sla_extension_hours",
    "sla_extension_reason",
    "sla_response_time",
    "sla_resolution_time",
    "sla_response_ontime",
    "sla_resolution_ontime",
    "sla_response_escalation",
    "sla_resolution_escalation",
    "sla_apology_sent",
    "sla_escalation_level",
)
#: Engine bookkeeping nobody groups by: kept out of "Add Custom Group" (the
#: escalation level and the SLA status are the groupable summaries).
SLA_TECHNICAL_FIELDS = (
    "sla_calendar_id",
    "sla_paused_since",
    "sla_response_escalation",
    "sla_resolution_escalation",
    "sla_apology_sent",
    "sla_delay_reason",
)


class AftersalesSlaMixin(models.AbstractModel):
    """The one SLA clock of the suite (P2.3, P2.9, P6.3, P6.4).

    Tickets, repairs and returns inherit it. A record gets the most specific
    matching ``aftersales.sla.policy``, deadlines counted in working hours of a
    ``resource.calendar`` (public holidays and leaves included), pauses that
    shift the deadlines by the paused working time, one supervised extension,
    and step-by-step escalation by a cron.

    A concrete model provides the hooks in the "Hooks" section below.
    """

    _name = "aftersales.sla.mixin"
    _description = "After-Sales SLA Engine"
    _inherit = ["aftersales.workflow.guard"]

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    sla_policy_id = fields.Many2one(
        "aftersales.sla.policy",
        string="SLA Policy",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    sla_calendar_id = fields.Many2one(
        "resource.calendar", string="SLA Working Hours", readonly=True, copy=False
    )
    sla_response_target = fields.Float(
        string="Response Target (h)",
        readonly=True,
        copy=False,
        help="First-response target in working hours: the policy's, or the customer's "
        "tier's when stricter.",
    )
    sla_resolution_target = fields.Float(
        string="Resolution Target (h)",
        readonly=True,
        copy=False,
        help="Resolution target in working hours, before any extension.",
    )
    sla_response_deadline = fields.Datetime(
        string="Respond By", readonly=True, copy=False, index=True
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolve By", readonly=True, copy=False, index=True
    )
    sla_first_response_at = fields.Datetime(string="First Response At", readonly=True, copy=False)
    sla_solved_at = fields.Datetime(string="Solved At", readonly=True, copy=False)
    sla_paused_since = fields.Datetime(readonly=True, copy=False)
    sla_paused_hours = fields.Float(
        string="Paused (working hours)",
        readonly=True,
        copy=False,
        help="Working time spent in paused stages; it shifts the deadlines.",
    )
    sla_extension_hours = fields.Float(
        string="Extension (working hours)", readonly=True, copy=False, tracking=True
    )
    sla_extension_reason = fields.Text(string="Extension Reason", readonly=True, copy=False)
    sla_delay_reason = fields.Char(
        string="Delay Reason",
        copy=False,
        help="Told to the customer in the apology when the resolution target is missed.",
    )
    sla_response_time = fields.Float(
        string="Response Time (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from receipt to the first response.",
    )
    sla_resolution_time = fields.Float(
        string="Resolution Time (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from receipt to the solution, paused time excluded.",
    )
    sla_response_ontime = fields.Float(
        string="Response On Time (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="100 when the first response met its target, 0 when it missed; averaged "
        "in reports it is the on-time rate.",
    )
    sla_resolution_ontime = fields.Float(
        string="Resolution On Time (%)", readonly=True, copy=False, aggregator="avg"
    )
    sla_response_status = fields.Selection(
        SLA_STATUSES, string="Response SLA", compute="_compute_sla_status"
    )
    sla_resolution_status = fields.Selection(
        SLA_STATUSES, string="Resolution SLA", compute="_compute_sla_status"
    )
    sla_response_overdue = fields.Boolean(
        compute="_compute_sla_status", search="_search_sla_response_overdue"
    )
    sla_resolution_overdue = fields.Boolean(
        compute="_compute_sla_status", search="_search_sla_resolution_overdue"
    )
    sla_due_soon = fields.Boolean(
        string="Due Within 2 Hours",
        compute="_compute_sla_status",
        search="_search_sla_due_soon",
    )
    # Not stored: "missed" starts when the deadline passes, not when something is
    # written. Searchable, and groupable through _read_group_groupby.
    sla_status = fields.Selection(
        SLA_SUMMARY_STATUSES,
        string="SLA Status",
        compute="_compute_sla_status",
        search="_search_sla_status",
        group_expand="_group_expand_sla_status",
        help="Missed: a target (first response or resolution) was or is being missed. "
        "Due Soon: a target falls due within 2 hours. Running: on time so far. "
        "Paused: waiting for the customer. Met: every target met.",
    )
    # Escalation bookkeeping: the highest level done per target (P2.9, P6.4).
    sla_response_escalation = fields.Integer(readonly=True, copy=False, default=0)
    sla_resolution_escalation = fields.Integer(readonly=True, copy=False, default=0)
    sla_escalation_level = fields.Selection(
        ESCALATION_LEVELS,
        string="Escalated To",
        compute="_compute_sla_escalation_level",
        store=True,
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Level 1, the team leader: a target was about to be or was missed. Level 2, "
        "the manager: it stayed missed.",
    )
    sla_apology_sent = fields.Boolean(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Hooks (the concrete model implements them)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """The clock's results are the engine's: a written deadline, escalation
        level or extension would silence escalation or pass the extension cap."""
        return dict(super()._aftersales_workflow_fields(), **dict.fromkeys(SLA_ENGINE_FIELDS))

    @api.model
    def _aftersales_technical_fields(self):
        return super()._aftersales_technical_fields() | set(SLA_TECHNICAL_FIELDS)

    def _sla_start(self):
        """The instant the clock starts (receipt of the request)."""
        raise NotImplementedError

    def _sla_criteria(self):
        """``{policy criterion: value}`` among ticket_type, channel, priority, tier_id,
        team_id."""
        raise NotImplementedError

    def _sla_team(self):
        return self.env["aftersales.team"]

    def _sla_customer(self):
        """Commercial partner whose tier/contract targets apply."""
        return self.env["res.partner"]

    def _sla_is_paused(self):
        return False

    def _sla_is_done(self):
        raise NotImplementedError

    @api.model
    def _sla_open_domain(self):
        """Domain of records whose clock still runs."""
        raise NotImplementedError

    @api.model
    def _sla_trigger_fields(self):
        """Fields whose change re-selects the policy and recomputes deadlines."""
        return set()

    @api.model
    def _sla_state_fields(self):
        """Fields whose change may pause, resume, solve or reopen the record."""
        return set()

    def _sla_apology_template(self):
        """Mail template apologising for a missed resolution (P6.4), for all the
        records of ``self`` (asked once per escalation batch)."""
        return self.env["mail.template"]

    def _sla_extension_template(self):
        """Mail template telling the customer about an extension (P6.3)."""
        return self.env["mail.template"]

    # ------------------------------------------------------------------
    # Compute / search methods
    # ------------------------------------------------------------------
    @api.model
    def _sla_model_names(self):
        """Names of the models running on this engine."""
        return [
            name
            for name in self.env.registry[self._name]._inherit_children
            if not self.env[name]._abstract
        ]

    @api.depends(
        "sla_response_deadline",
        "sla_resolution_deadline",
        "sla_first_response_at",
        "sla_solved_at",
        "sla_paused_since",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        soon = now + DUE_SOON
        for record in self:
            paused = bool(record.sla_paused_since)
            record.sla_response_status = self._sla_target_status(
                record.sla_response_deadline, record.sla_first_response_at, paused, now
            )
            record.sla_resolution_status = self._sla_target_status(
                record.sla_resolution_deadline, record.sla_solved_at, paused, now
            )
            record.sla_response_overdue = (
                not record.sla_first_response_at and record.sla_response_status == "missed"
            )
            record.sla_resolution_overdue = (
                not record.sla_solved_at and record.sla_resolution_status == "missed"
            )
            record.sla_due_soon = any(
                deadline and not done and not paused and now <= deadline <= soon
                for deadline, done in (
                    (record.sla_response_deadline, record.sla_first_response_at),
                    (record.sla_resolution_deadline, record.sla_solved_at),
                )
            )
            record.sla_status = record._sla_summary_status()

    def _sla_summary_status(self):
        """The two targets' statuses in one, most urgent first; keep it in step
        with ``_sla_status_sql``."""
        statuses = {self.sla_response_status, self.sla_resolution_status} - {False}
        if not statuses:
            return False
        if "missed" in statuses:
            return "missed"
        if self.sla_due_soon:
            return "due_soon"
        for status in ("paused", "running"):
            if status in statuses:
                return status
        return "met"

    @api.depends("sla_response_escalation", "sla_resolution_escalation")
    def _compute_sla_escalation_level(self):
        for record in self:
            level = max(record.sla_response_escalation, record.sla_resolution_escalation)
            record.sla_escalation_level = str(level) if level > 0 else False

    @api.model
    def _sla_target_status(self, deadline, done_at, paused, now):
        if not deadline:
            return False
        if done_at:
            return "met" if done_at <= deadline else "missed"
        if paused:
            return "paused"
        return "missed" if now > deadline else "running"

    def _search_sla_response_overdue(self, operator, value):
        return self._sla_search_overdue(
            "sla_response_deadline", "sla_first_response_at", operator, value
        )

    def _search_sla_resolution_overdue(self, operator, value):
        return self._sla_search_overdue("sla_resolution_deadline", "sla_solved_at", operator, value)

    def _sla_search_overdue(self, deadline_field, done_field, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on an overdue filter."))
        domain = [
            (deadline_field, "<", fields.Datetime.now()),
            (done_field, "=", False),
            ("sla_paused_since", "=", False),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", "&", *domain]

    def _search_sla_due_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on the due-soon filter."))
        now = fields.Datetime.now()
        soon = now + DUE_SOON
        domain = [
            ("sla_paused_since", "=", False),
            "|",
            "&",
            "&",
            ("sla_response_deadline", ">=", now),
            ("sla_response_deadline", "<=", soon),
            ("sla_first_response_at", "=", False),
            "&",
            "&",
            ("sla_resolution_deadline", ">=", now),
            ("sla_resolution_deadline", "<=", soon),
            ("sla_solved_at", "=", False),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", *self._normalize_domain_for_not(domain)]

    @api.model
    def _normalize_domain_for_not(self, domain):
        from odoo.osv import expression  # noqa: PLC0415

        return expression.normalize_domain(domain)

    def _search_sla_status(self, operator, value):
        if operator in ("=", "!="):
            values = [value]
        elif operator in ("in", "not in") and isinstance(value, (list, tuple)):
            values = list(value)
        else:
            raise UserError(_("Unsupported search on the SLA status."))
        known = {key for key, _label in SLA_SUMMARY_STATUSES}
        keys = tuple(v for v in values if v in known)
        status = self._sla_status_sql("sla_status_sub")
        conditions = []
        if keys:
            conditions.append(SQL("%s IN %s", status, keys))
        if any(not v for v in values):
            conditions.append(SQL("%s IS NULL", status))
        self.flush_model(self._sla_status_columns())
        subquery = SQL(
            "(SELECT %s FROM %s AS %s WHERE %s)",
            SQL.identifier("sla_status_sub", "id"),
            SQL.identifier(self._table),
            SQL.identifier("sla_status_sub"),
            SQL(" OR ").join(conditions) if conditions else SQL("FALSE"),
        )
        return [("id", "in" if operator in ("=", "in") else "not in", subquery)]

    @api.model
    def _group_expand_sla_status(self, values, domain):
        """The groups of the statuses present, most urgent first."""
        return [key for key, _label in SLA_SUMMARY_STATUSES if key in values]

    @api.model
    def _sla_status_columns(self):
        return [
            "sla_response_deadline",
            "sla_resolution_deadline",
            "sla_first_response_at",
            "sla_solved_at",
            "sla_paused_since",
        ]

    @api.model
    def _sla_status_sql(self, alias):
        """SQL of ``sla_status`` on the table ``alias``, the twin of
        ``_sla_summary_status``: searching and grouping see what the list shows."""
        now = fields.Datetime.now()

        def column(fname):
            return SQL.identifier(alias, fname)

        paused = column("sla_paused_since")
        targets = [
            (column("sla_response_deadline"), column("sla_first_response_at")),
            (column("sla_resolution_deadline"), column("sla_solved_at")),
        ]
        missed = SQL(" OR ").join(
            SQL(
                "(%(deadline)s IS NOT NULL AND ((%(done)s IS NOT NULL AND %(done)s > %(deadline)s)"
                " OR (%(done)s IS NULL AND %(paused)s IS NULL AND %(deadline)s < %(now)s)))",
                deadline=deadline,
                done=done,
                paused=paused,
                now=now,
            )
            for deadline, done in targets
        )
        due_soon = SQL(" OR ").join(
            SQL(
                "(%(done)s IS NULL AND %(paused)s IS NULL"
                " AND %(deadline)s BETWEEN %(now)s AND %(soon)s)",
                deadline=deadline,
                done=done,
                paused=paused,
                now=now,
                soon=now + DUE_SOON,
            )
            for deadline, done in targets
        )
        running = SQL(" OR ").join(
            SQL("(%s IS NOT NULL AND %s IS NULL)", deadline, done) for deadline, done in targets
        )
        return SQL(
            "(CASE WHEN %(missed)s THEN 'missed' WHEN %(due_soon)s THEN 'due_soon'"
            " WHEN (%(running)s) AND %(paused)s IS NOT NULL THEN 'paused'"
            " WHEN %(running)s THEN 'running'"
            " WHEN %(response)s IS NOT NULL OR %(resolution)s IS NOT NULL THEN 'met' END)",
            missed=missed,
            due_soon=due_soon,
            running=running,
            paused=paused,
            response=targets[0][0],
            resolution=targets[1][0],
        )

    def _read_group_groupby(self, groupby_spec, query):
        # As mail.activity.mixin does for activity_state: a computed status grouped
        # by its SQL twin.
        if groupby_spec != "sla_status":
            return super()._read_group_groupby(groupby_spec, query)
        self.check_field_access_rights("read", ["sla_status"])
        self.flush_model(self._sla_status_columns())
        return self._sla_status_sql(self._table)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if not self.env.context.get("aftersales_sla_skip"):
            # SLA fields are the system's, computed from configuration the creator
            # (possibly a portal customer) may not read or write.
            records.sudo()._sla_recompute()
            records.sudo()._sla_sync_state(now=fields.Datetime.now())
        return records

    def write(self, vals):
        if self.env.context.get("aftersales_sla_skip") or not self:
            return super().write(vals)
        state_change = bool(vals.keys() & self._sla_state_fields())
        was_done = {r.id: r._sla_is_done() for r in self} if state_change else {}
        result = super().write(vals)
        system = self.sudo()  # SLA fields are the system's (see create)
        if vals.keys() & self._sla_trigger_fields():
            system._sla_recompute()
        if state_change:
            system._sla_sync_state(now=fields.Datetime.now(), was_done=was_done)
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_sla_extend(self):
        """P6.3: the supervisor's "Extend Deadline" button opens the wizard that
        previews the new resolution deadline before extending it."""
        self.ensure_one()
        self._sla_check_extender()
        return window_action(
            "aftersales.sla.extend.wizard",
            name=_("Extend Resolution Deadline"),
            target="new",
            context={"default_res_model": self._name, "default_res_id": self.id},
        )

    # ------------------------------------------------------------------
    # Business methods: extension (P6.3)
    # ------------------------------------------------------------------
    @workflow_step
    def _sla_extend(self, hours, reason):
        """P6.3: a supervisor extends the resolution deadline once, with a reason,
        never beyond 7 working days from receipt; the customer is told by e-mail."""
        self._sla_check_extender()
        for record in self:
            record._sla_check_extension(hours, reason)
        # Written as the supervisor (the tracking names who extended); the deadlines
        # come from configuration he may not read (see create).
        self.write({"sla_extension_hours": hours, "sla_extension_reason": reason.strip()})
        for record in self.sudo():
            record._sla_recompute(keep_policy=True)
            template = record._sla_extension_template()
            if template:
                record.with_context(aftersales_sla_automatic=True).message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment"
                )
        return True

    def _sla_check_extender(self):
        if not self.env.user.has_group("aftersales_service.group_aftersales_supervisor"):
            raise AccessError(_("Only service supervisors can extend a resolution deadline."))

    def _sla_extension_limits(self):
        """``(latest deadline, most working hours that can be added)`` under the
        7-working-day cap from receipt (P6.3); paused time does not count."""
        self.ensure_one()
        calendar = self.sla_calendar_id
        limit_hours = MAX_EXTENSION_WORKING_DAYS * (calendar.hours_per_day or 8.0)
        latest = self._sla_add_working_hours(
            calendar, [(self._sla_start(), limit_hours + self.sla_paused_hours)]
        )[0]
        return latest, max(round(limit_hours - self.sla_resolution_target, 2), 0.0)

    def _sla_extension_preview(self, hours):
        """P6.3: what extending by ``hours`` gives, before anything is written:
        ``{"deadline", "latest", "max_hours", "problem"}``; ``problem`` says why the
        extension would be refused (False when it would be accepted)."""
        self.ensure_one()
        latest, max_hours = self._sla_extension_limits()
        preview = {"deadline": False, "latest": latest, "max_hours": max_hours, "problem": False}
        try:
            self._sla_check_extension(hours, "-")
        except (UserError, ValidationError) as refused:
            preview["problem"] = str(refused.args[0]) if refused.args else str(refused)
            return preview
        preview["deadline"] = self._sla_add_working_hours(
            self.sla_calendar_id,
            [
                (
                    self._sla_start(),
                    self.sla_resolution_target + self.sla_paused_hours + hours,
                )
            ],
        )[0]
        return preview

    def _sla_check_extension(self, hours, reason):
        self.ensure_one()
        if self._sla_is_done():
            raise UserError(
                _("%s is already solved: there is nothing to extend.", self.display_name)
            )
        if self.sla_extension_hours:
            raise UserError(
                _(
                    "The resolution deadline of %(record)s was already extended once "
                    "(%(hours)s working hours: %(reason)s). It can be extended only once.",
                    record=self.display_name,
                    hours=self.sla_extension_hours,
                    reason=self.sla_extension_reason,
                )
            )
        if not reason or not reason.strip():
            raise UserError(
                _("Give the reason for extending %s; the customer is told.", self.display_name)
            )
        if hours <= 0:
            raise UserError(_("An extension must add a positive number of working hours."))
        latest, max_hours = self._sla_extension_limits()
        if hours > max_hours:
            raise ValidationError(
                _(
                    "Complex cases may be extended, but never beyond %(days)s working days "
                    "from receipt: %(record)s was received %(start)s, so it must be "
                    "solved by %(limit)s. At most %(max)s more working hours can be added.",
                    days=MAX_EXTENSION_WORKING_DAYS,
                    record=self.display_name,
                    start=format_datetime(self.env, self._sla_start(), dt_format="short"),
                    limit=format_datetime(self.env, latest, dt_format="short"),
                    max=max_hours,
                )
            )

    # ------------------------------------------------------------------
    # Business methods: deadlines
    # ------------------------------------------------------------------
    @workflow_step
    def _sla_recompute(self, keep_policy=False):
        """Select each open record's policy and compute its deadlines (P2.3, P6.3)."""
        records = self.filtered(lambda r: not r._sla_is_done() or not r.sla_response_deadline)
        if not records:
            return
        policies_by_company = {}
        plans = []  # (record, calendar, values)
        for record in records:
            if keep_policy and record.sla_policy_id:
                policy = record.sla_policy_id
                response, resolution = record.sla_response_target, record.sla_resolution_target
            else:
                company = record.company_id
                if company not in policies_by_company:
                    policies_by_company[company] = self.env["aftersales.sla.policy"].search(
                        [
                            ("model_name", "=", record._name),
                            ("company_id", "in", [company.id, False]),
                        ]
                    )
                policy = policies_by_company[company]._best_match(record._sla_criteria())
                response, resolution = record._sla_targets(policy)
            calendar = (
                policy.calendar_id
                or record._sla_team().resource_calendar_id
                or record.company_id.resource_calendar_id
                or self.env.company.resource_calendar_id
            )
            plans.append((record, policy, calendar, response, resolution))

        by_calendar = defaultdict(list)
        for plan in plans:
            by_calendar[plan[2]].append(plan)
        for calendar, calendar_plans in by_calendar.items():
            requests = []
            for record, _policy, _cal, response, resolution in calendar_plans:
                start = record._sla_start()
                shift = record.sla_paused_hours
                requests.append((start, response + shift))
                requests.append((start, resolution + shift + record.sla_extension_hours))
            deadlines = self._sla_add_working_hours(calendar, requests)
            for index, (record, policy, _cal, response, resolution) in enumerate(calendar_plans):
                record.write(
                    {
                        "sla_policy_id": policy.id,
                        "sla_calendar_id": calendar.id,
                        "sla_response_target": response,
                        "sla_resolution_target": resolution,
                        "sla_response_deadline": deadlines[2 * index],
                        "sla_resolution_deadline": deadlines[2 * index + 1],
                    }
                )

    def _sla_targets(self, policy):
        """(response, resolution) working hours: the policy's, or the customer's own
        targets (tier, contract) when stricter (P1.4)."""
        self.ensure_one()
        response = policy.response_hours or 2.0
        resolution = policy.resolution_hours or 48.0
        customer_response, customer_resolution = self._sla_customer()._aftersales_service_targets()
        if customer_response:
            response = min(response, customer_response)
        if customer_resolution:
            resolution = min(resolution, customer_resolution)
        return response, resolution

    @api.model
    def _sla_add_working_hours(self, calendar, requests):
        """Deadlines for ``requests`` [(start, working hours)] on ``calendar``, one
        timeline for the whole batch."""
        if not requests:
            return []
        if not calendar:
            return [start + timedelta(hours=hours) for start, hours in requests]
        first = min(start for start, _hours in requests)
        last = max(start for start, _hours in requests)
        longest = max(hours for _start, hours in requests)
        # Room for the longest target at the calendar's pace, weekends and holidays.
        days = int(longest / (calendar.hours_per_day or 8.0) * 7 / 5) + 21
        timeline = WorkingTimeline.from_calendar(
            calendar, first - timedelta(days=1), last + timedelta(days=days)
        )
        results = []
        for start, hours in requests:
            deadline = timeline.add_hours(start, hours)
            if deadline is None:  # beyond the window: Odoo's own planner
                deadline = calendar.plan_hours(hours, start, compute_leaves=True)
            results.append(deadline)
        return results

    @api.model
    def _sla_working_hours_between(self, calendar, begin, finish):
        return self._sla_working_hours_batch([(calendar, begin, finish)])[0]

    @api.model
    def _sla_working_hours_batch(self, spans):
        """Working hours of each ``(calendar, begin, finish)``: one timeline per
        calendar for the whole batch, so events on many records cost no more
        interval computations than on one."""
        results = [0.0] * len(spans)
        by_calendar = defaultdict(list)
        for index, (calendar, _begin, _finish) in enumerate(spans):
            by_calendar[calendar].append(index)
        for calendar, indexes in by_calendar.items():
            if not calendar:
                for index in indexes:
                    _cal, begin, finish = spans[index]
                    results[index] = max((finish - begin).total_seconds() / 3600.0, 0.0)
                continue
            moments = [moment for index in indexes for moment in spans[index][1:]]
            timeline = WorkingTimeline.from_calendar(
                calendar, min(moments) - timedelta(days=1), max(moments) + timedelta(days=1)
            )
            for index in indexes:
                _cal, begin, finish = spans[index]
                results[index] = timeline.hours_between(begin, finish)
        return results

    # ------------------------------------------------------------------
    # Business methods: events on the clock
    # ------------------------------------------------------------------
    @workflow_step
    def _sla_mark_first_response(self, when=None):
        """P2.3: the first response (outgoing message, or leaving the new stage)."""
        when = when or fields.Datetime.now()
        records = self.sudo().filtered(lambda r: not r.sla_first_response_at)
        for record, hours in zip(records, records._sla_elapsed_hours(when), strict=True):
            record.write(
                {
                    "sla_first_response_at": when,
                    "sla_response_time": round(hours, 2),
                    "sla_response_ontime": (
                        100.0 if when <= (record.sla_response_deadline or when) else 0.0
                    ),
                }
            )
        records._sla_store_outcomes(["sla_response_time", "sla_response_ontime"])

    def _sla_elapsed_hours(self, when):
        """Working hours from each record's start to ``when``, paused time excluded
        (a list in the order of ``self``)."""
        spans = [(record.sla_calendar_id, record._sla_start(), when) for record in self]
        return [
            max(hours - record.sla_paused_hours, 0.0)
            for record, hours in zip(self, self._sla_working_hours_batch(spans), strict=True)
        ]

    @workflow_step
    def _sla_sync_state(self, now, was_done=None):
        """Follow pauses, solutions and reopenings (P6.3: paused time does not count)."""
        was_done = was_done or {}
        resumed, solved = self.browse(), self.browse()
        for record in self:
            paused, done = record._sla_is_paused(), record._sla_is_done()
            if (paused and not done) and not record.sla_paused_since:
                record.sla_paused_since = now
            elif record.sla_paused_since and (not paused or done):
                resumed |= record
            if done and not was_done.get(record.id) and not record.sla_solved_at:
                solved |= record
            elif was_done.get(record.id) and not done:
                record.write(
                    {
                        "sla_solved_at": False,
                        "sla_resolution_ontime": 0.0,
                        "sla_resolution_time": 0.0,
                    }
                )
        resumed._sla_resume(now)
        solved._sla_mark_first_response(now)
        for record, hours in zip(solved, solved._sla_elapsed_hours(now), strict=True):
            record.write(
                {
                    "sla_solved_at": now,
                    "sla_resolution_time": round(hours, 2),
                    "sla_resolution_ontime": (
                        100.0 if now <= (record.sla_resolution_deadline or now) else 0.0
                    ),
                }
            )
        solved._sla_store_outcomes(["sla_resolution_time", "sla_resolution_ontime"])

    def _sla_store_outcomes(self, fnames):
        """Store a measured 0 (a missed target, an instant response) as 0, not NULL.

        The ORM reads NULL floats as 0.0 and skips writing an equal value, so a
        missed target would stay NULL and the reports' averages would leave it out
        (P9.2). NULL keeps meaning "not measured yet"."""
        if not self:
            return
        self.flush_recordset(fnames)
        for fname in fnames:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = 0 WHERE id = ANY(%s) AND %s IS NULL",
                    SQL.identifier(self._table),
                    SQL.identifier(fname),
                    self.ids,
                    SQL.identifier(fname),
                )
            )

    @workflow_step
    def _sla_resume(self, now):
        """The customer answered (or the goods arrived): the paused working hours
        push the deadlines back (P6.3)."""
        if not self:
            return
        spans = [(record.sla_calendar_id, record.sla_paused_since, now) for record in self]
        for record, paused in zip(self, self._sla_working_hours_batch(spans), strict=True):
            record.write(
                {"sla_paused_hours": record.sla_paused_hours + paused, "sla_paused_since": False}
            )
        self._sla_recompute(keep_policy=True)

    # ------------------------------------------------------------------
    # Business methods: escalation (P2.9, P6.4)
    # ------------------------------------------------------------------
    def _sla_escalation_candidates_domain(self, now, company_settings):
        warning = timedelta(minutes=company_settings["warning_minutes"])
        level2 = timedelta(hours=company_settings["level2_hours"])
        return [
            *self._sla_open_domain(),
            ("sla_paused_since", "=", False),
            "|",
            "|",
            "|",
            "|",
            "&",
            "&",
            ("sla_first_response_at", "=", False),
            ("sla_response_escalation", "<", 1),
            ("sla_response_deadline", "<=", now + warning),
            "&",
            "&",
            ("sla_first_response_at", "=", False),
            ("sla_response_escalation", "<", 2),
            ("sla_response_deadline", "<=", now - level2),
            "&",
            ("sla_resolution_escalation", "<", 1),
            ("sla_resolution_deadline", "<=", now + warning),
            "&",
            ("sla_resolution_escalation", "<", 2),
            ("sla_resolution_deadline", "<=", now - level2),
            "&",
            ("sla_apology_sent", "=", False),
            ("sla_resolution_deadline", "<", now),
        ]

    @api.model
    def _sla_escalation_settings(self):
        company = self.env.company
        return {
            "warning_minutes": company.aftersales_escalation_warning_minutes,
            "level2_hours": company.aftersales_escalation_level2_hours,
        }

    @api.model
    def _sla_escalate_batch(self, batch_size=500, now=None):
        """Escalate one batch of records whose targets are missed or nearly missed.

        Level 1 (team leader) when a target is due within the warning margin or
        missed; level 2 (manager) when it is missed by more than the level-2 delay;
        the customer's apology once when the resolution is missed. Each step is
        claimed with one conditional UPDATE, so a second run or a concurrent worker
        finds nothing left to do. Returns (done, remaining).
        """
        now = now or fields.Datetime.now()
        # E-mails go through the mail queue, not one SMTP round trip per record.
        self = self.with_context(mail_notify_force_send=False)
        settings = self._sla_escalation_settings()
        domain = self._sla_escalation_candidates_domain(now, settings)
        records = self.sudo().search(domain, limit=batch_size, order="id")
        if not records:
            return 0, 0
        warning = timedelta(minutes=settings["warning_minutes"])
        level2 = timedelta(hours=settings["level2_hours"])
        steps = defaultdict(list)  # (column, level) -> records
        for record in records:
            targets = [("sla_resolution_escalation", record.sla_resolution_deadline)]
            if not record.sla_first_response_at:
                targets.append(("sla_response_escalation", record.sla_response_deadline))
            for column, deadline in targets:
                # Step by step: a long-missed target gets level 1 and then level 2.
                if deadline and deadline <= now + warning:
                    steps[(column, 1)].append(record.id)
                if deadline and deadline <= now - level2:
                    steps[(column, 2)].append(record.id)
        claimed = {
            (column, level): self._sla_claim(column, level, ids)
            for (column, level), ids in sorted(steps.items(), key=lambda item: item[0][1])
        }
        apologies = self._sla_claim_apology(
            [r.id for r in records if r.sla_resolution_deadline and r.sla_resolution_deadline < now]
        )
        self.invalidate_model(
            ["sla_response_escalation", "sla_resolution_escalation", "sla_apology_sent"]
        )
        # The claims wrote the levels in SQL: the stored summary follows them here.
        escalated = self.sudo().browse({i for ids in claimed.values() for i in ids})
        escalated.modified(["sla_response_escalation", "sla_resolution_escalation"])
        steps = defaultdict(list)  # record id -> [(target, level)], lower levels first
        for (column, level), ids in claimed.items():
            target = "response" if column == "sla_response_escalation" else "resolution"
            for record_id in ids:
                steps[record_id].append((target, level))
        for record_steps in steps.values():
            record_steps.sort(key=lambda step: (step[1], step[0] != "response"))
        self.sudo().browse(sorted(steps))._sla_notify_escalation(steps, now)
        self.sudo().browse(apologies)._sla_send_apology()
        remaining = self.sudo().search_count(domain)
        return len(records), remaining

    def _sla_claim(self, column, level, ids):
        """Record ids whose ``column`` this transaction raised to ``level``: the
        ones another run already raised are not returned (concurrency-safe)."""
        if not ids:
            return []
        self.flush_model([column])
        rows = self.env.execute_query(
            SQL(
                "UPDATE %(table)s SET %(column)s = %(level)s"
                " WHERE id = ANY(%(ids)s) AND %(column)s < %(level)s RETURNING id",
                table=SQL.identifier(self._table),
                column=SQL.identifier(column),
                level=level,
                ids=ids,
            )
        )
        return [row[0] for row in rows]

    def _sla_claim_apology(self, ids):
        if not ids:
            return []
        self.flush_model(["sla_apology_sent"])
        rows = self.env.execute_query(
            SQL(
                "UPDATE %(table)s SET sla_apology_sent = TRUE"
                " WHERE id = ANY(%(ids)s) AND sla_apology_sent IS NOT TRUE RETURNING id",
                table=SQL.identifier(self._table),
                ids=ids,
            )
        )
        return [row[0] for row in rows]

    def _sla_notify_escalation(self, steps, now):
        """P2.9, P6.4: level 1 goes to the team leader, level 2 to the manager, as an
        activity. ``steps`` ``{record id: [(target, level)]}`` are the steps this
        batch claimed: each record gets one chatter note for all of them and each
        person one activity per record, and each person is told once for the
        batch, with the list of records, instead of one e-mail per record."""
        activity_type = self.env.ref("aftersales_service.mail_activity_type_sla_escalation")
        model_id = self.env["ir.model"]._get_id(self._name)
        # Translated once for the batch, filled in per record.
        labels = {"response": _("First response"), "resolution": _("Resolution")}
        summaries = {}
        for target, label in labels.items():
            for level in (1, 2):
                summaries[(target, level, True)] = _(
                    "%(target)s overdue (level %(level)s)", target=label, level=level
                )
                summaries[(target, level, False)] = _(
                    "%(target)s due soon (level %(level)s)", target=label, level=level
                )
        note_text = _(
            "%(target)s of %(record)s is due %(deadline)s (%(tz)s). Escalated to "
            "%(who)s, level %(level)s."
        )
        nobody = {
            level: _("nobody (no %s on the team)", _("leader") if level == 1 else _("manager"))
            for level in (1, 2)
        }
        format_deadline = self._sla_deadline_formatter()
        activities, notes, digest = [], {}, defaultdict(list)
        today = {}
        for record in self:
            team = record._sla_team()
            # In the working-hours calendar's time, as the customer's mails give it.
            tz = record.sla_calendar_id.tz or "UTC"
            lines = []
            per_user = {}  # user -> [summary]
            for target, level in steps[record.id]:
                user = team.leader_id if level == 1 else team.manager_id
                deadline = record[f"sla_{target}_deadline"]
                line = Markup("<p>%s</p>") % (
                    note_text
                    % {
                        "target": labels[target],
                        "record": record.display_name,
                        "deadline": format_deadline(deadline, tz),
                        "tz": tz,
                        "who": user.name or nobody[level],
                        "level": level,
                    }
                )
                lines.append(line)
                if user:
                    per_user.setdefault(user, []).append(summaries[(target, level, deadline < now)])
            notes[record.id] = Markup("").join(lines)
            if not per_user:
                continue
            company = record.company_id
            if company not in today:
                today[company] = company._aftersales_today()
            for user, texts in per_user.items():
                summary = "; ".join(texts)
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "activity_type_id": activity_type.id,
                        # No note: the record's chatter note beside it has the
                        # deadlines, and an HTML note is sanitised twice per row (a
                        # quarter of a storm's escalation time).
                        "summary": summary,
                        "user_id": user.id,
                        "date_deadline": today[company],
                        # Stored computes given: no UPDATE of the new rows at flush.
                        "res_name": record.display_name,
                        "user_tz": user.tz,
                        "date_done": False,
                    }
                )
                digest[user].append((record, summary))
        # Quick update: the digest below replaces one assignment e-mail per activity.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(activities)
        self._message_log_batch(bodies=notes)
        for user, entries in digest.items():
            # The first ones by name, the rest counted: a storm's digest stays a
            # message to read (its activities list them all).
            items = [
                Markup("<li>%s: %s</li>") % (record._get_html_link(), summary)
                for record, summary in entries[:DIGEST_LISTED]
            ]
            if len(entries) > DIGEST_LISTED:
                items.append(
                    Markup("<li>%s</li>")
                    % _("… and %(count)s more", count=len(entries) - DIGEST_LISTED)
                )
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                subject=_("%(count)s requests escalated to you", count=len(entries)),
                body=Markup("<ul>%s</ul>") % Markup("").join(items),
                subtype_xmlid="mail.mt_note",
            )

    def _sla_deadline_formatter(self):
        """``format_datetime(env, value, tz=..., dt_format="short")`` for a batch:
        the language, its locale and the time zones looked up once (Odoo's looks
        them up on every call, most of the cost of a batch's notes)."""
        locale = babel_locale_parse(get_lang(self.env).code)
        zones = {}

        def format_deadline(value, tz_name):
            if tz_name not in zones:
                try:
                    zones[tz_name] = pytz.timezone(tz_name)
                except pytz.UnknownTimeZoneError:
                    zones[tz_name] = pytz.utc
            local = pytz.utc.localize(value).astimezone(zones[tz_name])
            return babel.dates.format_datetime(local, "short", locale=locale)

        return format_deadline

    def _sla_send_apology(self):
        """P6.4: the customer is told, with the reason and the new expectation. The
        template is rendered once for the batch and the apologies posted in one go
        (the suite's batch poster); the e-mails are queued."""
        template = self._sla_apology_template() if self else None
        if template:
            # An automatic apology is not the first response of P2.3.
            self.with_context(aftersales_sla_automatic=True)._aftersales_message_post_batch(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
