from collections import namedtuple

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, plaintext2html
from odoo.tools.mail import generate_tracking_message_id

#: What the tier engine knows of one customer in one company (P1.2, P1.3).
CustomerMetrics = namedtuple(
    "CustomerMetrics",
    "amount order_count satisfaction first_purchase last_purchase last_contact",
    defaults=(0.0, 0, None, None, None, None),
)

LIFECYCLE_STAGES = [
    ("new", "New"),
    ("stable", "Stable"),
    ("churn_risk", "Churn Risk"),
]

#: Partner fields only an After-Sales manager may set by hand (P1.2 pin).
TIER_MANAGER_FIELDS = {"aftersales_tier_id", "aftersales_tier_pinned"}

#: Need and preference data is for the service team and sales reps only (P10.1).
SERVICE_TEAM_GROUPS = "aftersales_service.group_aftersales_user,sales_team.group_sale_salesman"

#: Company-dependent columns the engine writes, with their SQL type.
ENGINE_COLUMNS = {
    "aftersales_tier_id": "int4",
    "aftersales_lifecycle_stage": "varchar",
    "aftersales_invoiced_amount": "float8",
    "aftersales_order_count": "int4",
    "aftersales_satisfaction": "float8",
    "aftersales_first_purchase_date": "date",
}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "aftersales.workflow.guard"]

    # ------------------------------------------------------------------
    # Fields: tier and lifecycle (per company, P1.2-P1.4)
    # ------------------------------------------------------------------
    aftersales_tier_id = fields.Many2one(
        "aftersales.tier",
        string="Service Tier",
        company_dependent=True,
        tracking=True,
        help="Graded daily from the metrics below unless pinned by a manager.",
    )
    aftersales_tier_color = fields.Integer(related="aftersales_tier_id.color")
    aftersales_tier_pinned = fields.Boolean(
        string="Tier Pinned",
        company_dependent=True,
        tracking=True,
        help="A manager fixed this tier by hand: the daily recomputation keeps it.",
    )
    aftersales_account_manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Dedicated account manager for customers of a tier that has one.",
    )
    aftersales_lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        string="Lifecycle Stage",
        company_dependent=True,
        help="New: first purchase at most N months ago; stable: older; churn risk: no "
        "purchase and no contact for the configured period.",
    )
    # Metrics the tier was computed from (P1.2), per company.
    # Company-dependent fields cannot be Monetary; the views show it in the
    # company currency with the monetary widget.
    aftersales_invoiced_amount = fields.Float(
        string="Invoiced in Window",
        company_dependent=True,
        digits="Account",
        readonly=True,
        help="Untaxed posted invoices minus credit notes over the company's tier window.",
    )
    aftersales_order_count = fields.Integer(
        string="Orders in Window", company_dependent=True, readonly=True
    )
    aftersales_satisfaction = fields.Float(
        string="Average Satisfaction",
        company_dependent=True,
        readonly=True,
        digits=(3, 2),
        help="Average score (1-5) of the feedback answered over the grading window; "
        "empty (no data) while the customer answered none.",
    )
    aftersales_first_purchase_date = fields.Date(
        string="First Purchase", company_dependent=True, readonly=True
    )
    aftersales_tiers_computed_at = fields.Datetime(
        string="Tier Computed On", compute="_compute_aftersales_tiers_computed_at"
    )
    aftersales_zone_id = fields.Many2one(
        "aftersales.zone",
        string="Service Zone",
        help="City, suburb... of this address: it sets the technician's arrival target.",
    )
    aftersales_repair_count = fields.Integer(
        string="Repairs", compute="_compute_aftersales_repair_count"
    )
    aftersales_rma_count = fields.Integer(string="Returns", compute="_compute_aftersales_rma_count")
    aftersales_contract_count = fields.Integer(
        string="Contracts", compute="_compute_aftersales_contract_count"
    )
    aftersales_callback_count = fields.Integer(
        string="Callbacks", compute="_compute_aftersales_callback_count"
    )
    aftersales_contract_response_hours = fields.Float(
        compute="_compute_aftersales_contract_targets", compute_sudo=True
    )
    aftersales_contract_resolution_hours = fields.Float(
        compute="_compute_aftersales_contract_targets", compute_sudo=True
    )
    aftersales_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_aftersales_ticket_count"
    )

    # ------------------------------------------------------------------
    # Fields: needs and service preferences (P1.1, P1.3)
    # ------------------------------------------------------------------
    aftersales_need_tag_ids = fields.Many2many(
        "aftersales.need.tag",
        string="Need Tags",
        groups=SERVICE_TEAM_GROUPS,
        help="Free tags on what the customer values: price-sensitive, service-first...",
    )
    aftersales_preferred_channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("web", "Web / Portal"),
            ("email", "E-mail"),
            ("social", "Social Media"),
            ("store", "Walk-in Store"),
        ],
        string="Preferred Channel",
        groups=SERVICE_TEAM_GROUPS,
    )
    aftersales_contact_time = fields.Char(
        string="Preferred Contact Time",
        groups=SERVICE_TEAM_GROUPS,
        help="e.g. weekdays 9:00-11:00",
    )
    aftersales_special_requirements = fields.Text(
        string="Special Requirements", groups=SERVICE_TEAM_GROUPS
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_aftersales_tiers_computed_at(self):
        # One run grades every customer of the company, so its date is the company's.
        self.aftersales_tiers_computed_at = self.env.company.aftersales_tiers_computed_at

    def _compute_aftersales_ticket_count(self):
        """P1.1 service history: tickets of the customer's whole commercial entity."""
        if not self.env["aftersales.ticket"].has_access("read"):
            self.aftersales_ticket_count = 0
            return
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_ticket_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_aftersales_rma_count(self):
        """P1.1 service history: returns and exchanges of the commercial entity."""
        if not self.env["aftersales.rma"].has_access("read"):
            self.aftersales_rma_count = 0
            return
        counts = dict(
            self.env["aftersales.rma"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_rma_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_aftersales_contract_count(self):
        """P7: maintenance contracts of the commercial entity."""
        if not self.env["aftersales.contract"].has_access("read"):
            self.aftersales_contract_count = 0
            return
        counts = dict(
            self.env["aftersales.contract"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_contract_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_aftersales_callback_count(self):
        """P1.5: the callback history of the commercial entity."""
        if not self.env["aftersales.callback"].has_access("read"):
            self.aftersales_callback_count = 0
            return
        counts = dict(
            self.env["aftersales.callback"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_callback_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_callback_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_aftersales_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_contract_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.depends_context("company")
    def _compute_aftersales_contract_targets(self):
        """P1.4/P7.1: the strictest targets of the contracts in force today, for the
        whole batch of partners (the SLA engine reads them per record)."""
        company = self.env.company
        commercial = self.commercial_partner_id
        contracts = self.env["aftersales.contract"]
        in_force = [
            ("commercial_partner_id", "in", commercial.ids),
            ("company_id", "=", company.id),
            *contracts._in_force_domain(company._aftersales_today()),
        ]
        response = dict(
            contracts._read_group(
                [*in_force, ("response_hours", ">", 0)],
                ["commercial_partner_id"],
                ["response_hours:min"],
            )
        )
        resolution = dict(
            contracts._read_group(
                [*in_force, ("resolution_hours", ">", 0)],
                ["commercial_partner_id"],
                ["resolution_hours:min"],
            )
        )
        for partner in self:
            partner.aftersales_contract_response_hours = response.get(
                partner.commercial_partner_id, 0.0
            )
            partner.aftersales_contract_resolution_hours = resolution.get(
                partner.commercial_partner_id, 0.0
            )

    def action_view_aftersales_rmas(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_rma_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _compute_aftersales_repair_count(self):
        """P1.1 service history: repairs of the customer's whole commercial entity."""
        if not self.env["repair.order"].has_access("read"):
            self.aftersales_repair_count = 0
            return
        counts = dict(
            self.env["repair.order"]._read_group(
                [("partner_id", "child_of", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_repair_count = sum(
                count
                for p, count in counts.items()
                if p.commercial_partner_id == partner.commercial_partner_id
            )

    # ------------------------------------------------------------------
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """P1.2: only managers set or pin a tier by hand; the metrics, the lifecycle
        stage and the grading itself are the engine's (it runs as superuser)."""
        manager = "aftersales_service.group_aftersales_manager"
        fields = dict(super()._aftersales_workflow_fields(), **dict.fromkeys(ENGINE_COLUMNS))
        fields.update(dict.fromkeys(TIER_MANAGER_FIELDS, manager))
        return fields

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_aftersales_open_tier(self):
        """P1.4: the customer's tier and the service it promises."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.tier",
            "res_id": self.commercial_partner_id.aftersales_tier_id.id,
            "view_mode": "form",
        }

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_aftersales_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Business methods: service targets
    # ------------------------------------------------------------------
    def _aftersales_service_targets(self):
        """P1.4, P7.1: (first response, resolution) working hours the customer is
        promised in the current company: the strictest of their tier's and of their
        contracts in force, 0 when nothing specific."""
        tier = self.commercial_partner_id[:1].sudo().aftersales_tier_id
        return (
            self._aftersales_strictest(
                tier.first_response_hours, self[:1].aftersales_contract_response_hours
            ),
            self._aftersales_strictest(
                tier.resolution_hours, self[:1].aftersales_contract_resolution_hours
            ),
        )

    @staticmethod
    def _aftersales_strictest(*hours):
        """The smallest target that is set (0 means none)."""
        return min((h for h in hours if h), default=0.0)

    # ------------------------------------------------------------------
    # Business methods: the tier engine (P1.2, P1.3)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_recompute_tiers(self, companies=None):
        """P1.2/P1.3: grade every customer of ``companies`` (default: all).

        Metrics come from grouped SQL aggregates (never a query per customer) and
        only customers whose tier, stage or metrics changed are written. Returns
        ``{'customers': graded, 'changed': rows written}``.
        """
        # The engine grades customers the triggering user may not see (P1.2), so it
        # runs as superuser; callers check who may trigger it.
        self = self.sudo()
        companies = companies or self.env["res.company"].search([])
        stats = {"customers": 0, "changed": 0}
        for company in companies:
            company_stats = self.with_company(company)._aftersales_recompute_company_tiers()
            stats["customers"] += company_stats["customers"]
            stats["changed"] += company_stats["changed"]
        return stats

    def _aftersales_recompute_company_tiers(self):
        company = self.env.company
        today = company._aftersales_today()
        new_since = today - relativedelta(months=company.aftersales_new_customer_months)
        churn_before = today - relativedelta(months=company.aftersales_churn_months)
        metrics = self._aftersales_collect_metrics(company, today)
        current = self._aftersales_read_engine_values(company, list(metrics))
        # Customers without any metrics still get the catch-all tier and a stage.
        for partner_id in current:
            metrics.setdefault(partner_id, CustomerMetrics())
        tiers = self.env["aftersales.tier"]._get_company_tiers(company)
        new_tiers = tiers._classify(metrics)

        changes = []
        for partner_id, m in metrics.items():
            old_values, pinned = current.get(partner_id, (None, False))
            values = (
                old_values[0] if pinned else new_tiers[partner_id] or None,
                self._aftersales_lifecycle_stage(m, new_since, churn_before) or None,
                round(m.amount, 2),
                m.order_count,
                # No answered feedback is no satisfaction figure (NULL), not 0.
                round(m.satisfaction, 2) if m.satisfaction is not None else None,
                m.first_purchase,
            )
            if values != old_values:
                changes.append((partner_id, *values))
        self._aftersales_write_engine_values(company, changes)
        self._aftersales_log_tier_changes(
            company,
            {
                change[0]: (current.get(change[0], ((None,), False))[0][0], change[1])
                for change in changes
            },
        )
        company.aftersales_tiers_computed_at = fields.Datetime.now()
        return {"customers": len(metrics), "changed": len(changes)}

    @api.model
    def _aftersales_log_tier_changes(self, company, tiers):
        """P10.1: every regrade by the engine is traced in the customer's chatter
        (who changed what, when: the engine, now). ``tiers``: {partner id: (old tier
        id, new tier id)}; unchanged tiers are skipped. One batch of notes."""
        changed = {pid: pair for pid, pair in tiers.items() if pair[0] != pair[1]}
        if not changed:
            return
        names = {
            tier.id: tier.display_name
            for tier in self.env["aftersales.tier"]
            .with_context(active_test=False)
            .browse({tid for pair in changed.values() for tid in pair if tid})
        }
        none = self.env._("no tier")
        bodies = {
            pid: self.env._(
                "Service tier in %(company)s graded from %(old)s to %(new)s by the "
                "automatic grading.",
                company=company.name,
                old=names.get(old, none),
                new=names.get(new, none),
            )
            for pid, (old, new) in changed.items()
        }
        # One INSERT for the whole batch: a first grading may log tens of thousands
        # of customers, and the ORM would insert them a hundred at a time.
        self.env["mail.message"].flush_model()
        now = fields.Datetime.now()
        author = self.env.user.partner_id
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO mail_message (model, res_id, body, message_type, subtype_id,
                                      author_id, email_from, is_internal, date, message_id,
                                      create_uid, create_date, write_uid, write_date)
                 SELECT 'res.partner', v.res_id, v.body, 'notification', %(subtype)s,
                        %(author)s, %(email)s, TRUE, %(now)s, v.message_id,
                        %(uid)s, %(now)s, %(uid)s, %(now)s
                   FROM unnest(%(ids)s::int[], %(bodies)s::text[], %(message_ids)s::text[])
                        AS v(res_id, body, message_id)
                """,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author.id,
                email=author.email_formatted or None,
                now=now,
                uid=self.env.uid,
                ids=list(bodies),
                bodies=[str(plaintext2html(body)) for body in bodies.values()],
                message_ids=[generate_tracking_message_id(pid) for pid in bodies],
            )
        )
        self.browse(list(bodies)).invalidate_recordset(["message_ids"])

    @api.model
    def _aftersales_lifecycle_stage(self, metrics, new_since, churn_before):
        """P1.3: new (first purchase on or after ``new_since``), stable, or churn risk
        (no purchase and no contact since before ``churn_before``)."""
        if not metrics.first_purchase:
            return False
        last_activity = max(d for d in (metrics.last_purchase, metrics.last_contact) if d)
        if last_activity < churn_before:
            return "churn_risk"
        if metrics.first_purchase >= new_since:
            return "new"
        return "stable"

    @api.model
    def _aftersales_collect_metrics(self, company, today):
        """``{commercial_partner_id: CustomerMetrics}`` for ``company`` from two
        grouped aggregates: posted customer invoices/credit notes and confirmed
        sale orders (P1.2)."""
        window_start = today - relativedelta(months=company.aftersales_tier_window_months)
        self.env["account.move"].flush_model(
            [
                "commercial_partner_id",
                "amount_untaxed_signed",
                "invoice_date",
                "move_type",
                "state",
                "company_id",
            ]
        )
        self.env["sale.order"].flush_model(["partner_id", "date_order", "state", "company_id"])
        self.flush_model(["commercial_partner_id"])
        invoices = self.env.execute_query(
            SQL(
                """
            SELECT move.commercial_partner_id,
                   COALESCE(SUM(move.amount_untaxed_signed)
                            FILTER (WHERE move.invoice_date >= %(start)s), 0),
                   MIN(move.invoice_date) FILTER (WHERE move.move_type = 'out_invoice'),
                   MAX(move.invoice_date) FILTER (WHERE move.move_type = 'out_invoice')
              FROM account_move move
             WHERE move.company_id = %(company)s
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date <= %(today)s
               AND move.commercial_partner_id IS NOT NULL
          GROUP BY move.commercial_partner_id
            """,
                start=window_start,
                today=today,
                company=company.id,
            )
        )
        # Orders are dated to the second (UTC): their days are the company's.
        orders = self.env.execute_query(
            SQL(
                """
            SELECT partner.commercial_partner_id,
                   COUNT(*) FILTER (WHERE so.date_order >= %(start)s),
                   %(first)s,
                   %(last)s
              FROM sale_order so
              JOIN res_partner partner ON partner.id = so.partner_id
             WHERE so.company_id = %(company)s
               AND so.state = 'sale'
               AND so.date_order < %(tomorrow)s
          GROUP BY partner.commercial_partner_id
            """,
                start=company._aftersales_day_start(window_start),
                tomorrow=company._aftersales_day_start(today + relativedelta(days=1)),
                first=company._aftersales_sql_local_date(SQL("MIN(so.date_order)")),
                last=company._aftersales_sql_local_date(SQL("MAX(so.date_order)")),
                company=company.id,
            )
        )
        satisfaction = self._aftersales_satisfaction_by_partner(company)
        last_contact = self._aftersales_last_contact_by_partner(company)

        purchases = {pid: (float(amount), 0, first, last) for pid, amount, first, last in invoices}
        for pid, count, first, last in orders:
            amount, _count, inv_first, inv_last = purchases.get(pid, (0.0, 0, None, None))
            purchases[pid] = (
                amount,
                count,
                min(first, inv_first or first),
                max(last, inv_last or last),
            )
        no_purchase = (0.0, 0, None, None)
        return {
            pid: CustomerMetrics(
                amount, count, satisfaction.get(pid), first, last, last_contact.get(pid)
            )
            for pid in purchases.keys() | satisfaction.keys() | last_contact.keys()
            for amount, count, first, last in [purchases.get(pid, no_purchase)]
        }

    @api.model
    def _aftersales_satisfaction_by_partner(self, company):
        """Average feedback score (1-5) per commercial partner over the tier window
        (P1.2, P8.3): one aggregate over the answered feedback."""
        self.env["aftersales.feedback"].flush_model(
            ["commercial_partner_id", "score", "state", "answered_at", "company_id"]
        )
        since = company._aftersales_day_start(
            company._aftersales_today()
            - relativedelta(months=company.aftersales_tier_window_months)
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT commercial_partner_id, AVG(score)
                  FROM aftersales_feedback
                 WHERE company_id = %(company)s AND state = 'answered'
                   AND answered_at >= %(since)s AND commercial_partner_id IS NOT NULL
              GROUP BY commercial_partner_id
                """,
                company=company.id,
                since=since,
            )
        )
        return {pid: float(avg) for pid, avg in rows}

    @api.model
    def _aftersales_last_contact_by_partner(self, company):
        """Date of the last service contact per commercial partner (P1.3 churn risk):
        the last ticket received or callback made (P1.5)."""
        self.env["aftersales.ticket"].flush_model(
            ["commercial_partner_id", "received_at", "company_id"]
        )
        self.env["aftersales.callback"].flush_model(
            ["commercial_partner_id", "done_at", "state", "company_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner, %(last_contact)s FROM (
                    SELECT commercial_partner_id AS partner, received_at AS contact
                      FROM aftersales_ticket
                     WHERE company_id = %(company)s AND commercial_partner_id IS NOT NULL
                 UNION ALL
                    SELECT commercial_partner_id, done_at
                      FROM aftersales_callback
                     WHERE company_id = %(company)s AND state = 'done'
                       AND commercial_partner_id IS NOT NULL
                ) contacts
              GROUP BY partner
                """,
                company=company.id,
                last_contact=company._aftersales_sql_local_date(SQL("MAX(contact)")),
            )
        )
        return dict(rows)

    @api.model
    def _aftersales_read_engine_values(self, company, partner_ids):
        """``{partner_id: (engine values in ENGINE_COLUMNS order, pinned)}`` in
        ``company`` for the given ids, every commercial customer and every partner
        graded before."""
        self.flush_model(
            [
                *ENGINE_COLUMNS,
                "aftersales_tier_pinned",
                "customer_rank",
                "active",
                "commercial_partner_id",
                "company_id",
            ]
        )
        cid = str(company.id)
        columns = SQL(", ").join(
            SQL("(%s->>%s)::%s", SQL.identifier(fname), cid, SQL(sqltype))
            for fname, sqltype in ENGINE_COLUMNS.items()
        )
        rows = self.env.execute_query(
            SQL(
                """
            SELECT id, COALESCE((aftersales_tier_pinned->>%(cid)s)::boolean, FALSE),
                   %(columns)s
              FROM res_partner
             WHERE id = ANY(%(ids)s)
                OR aftersales_tier_id ? %(cid)s
                OR (customer_rank > 0 AND active AND commercial_partner_id = id
                    AND (company_id IS NULL OR company_id = %(company)s))
            """,
                columns=columns,
                cid=cid,
                ids=partner_ids,
                company=company.id,
            )
        )
        return {row[0]: (tuple(row[2:]), row[1]) for row in rows}

    @api.model
    def _aftersales_write_engine_values(self, company, changes):
        """Write ``changes`` (tuples: partner id, then ENGINE_COLUMNS values) into
        ``company``'s values in one statement.

        The daily run may regrade tens of thousands of customers; one UPDATE from
        column arrays keeps it within a few times the cost of the aggregate itself
        (benchmarks/bench_tier_recompute.py). The cache is then invalidated and
        dependents notified as an ORM write would.
        """
        if not changes:
            return
        self.flush_model(list(ENGINE_COLUMNS))
        cid = str(company.id)
        columns = list(zip(*changes, strict=True))
        assignments = SQL(", ").join(
            SQL(
                "%(col)s = COALESCE(partner.%(col)s, '{}'::jsonb)"
                " || jsonb_build_object(%(cid)s, v.%(col)s)",
                col=SQL.identifier(fname),
                cid=cid,
            )
            for fname in ENGINE_COLUMNS
        )
        arrays = SQL(", ").join(
            SQL("%s::%s[]", list(values), SQL(sqltype))
            for values, sqltype in zip(columns, ["int4", *ENGINE_COLUMNS.values()], strict=True)
        )
        names = SQL(", ").join(SQL.identifier(f) for f in ["id", *ENGINE_COLUMNS])
        self.env.cr.execute(
            SQL(
                """
            UPDATE res_partner AS partner
               SET %(assignments)s
              FROM unnest(%(arrays)s) AS v(%(names)s)
             WHERE partner.id = v.id
            """,
                assignments=assignments,
                arrays=arrays,
                names=names,
            )
        )
        partners = self.browse(columns[0])
        self.invalidate_model(list(ENGINE_COLUMNS))
        partners.modified(list(ENGINE_COLUMNS))

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_aftersales_recompute_tiers(self):
        """P1.2: daily regrading of all customers in all companies."""
        self._aftersales_recompute_tiers()
