from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.actions import window_action

LIFECYCLE_STAGES = [
    ("new", "New"),
    ("stable", "Stable"),
    ("churn_risk", "Churn Risk"),
]

#: Partner fields only an After-Sales manager may set by hand (P1.2 pin).
TIER_MANAGER_FIELDS = {"aftersales_tier_id", "aftersales_tier_pinned"}

#: Need and preference data is for the service team and sales reps only (P10.1).
SERVICE_TEAM_GROUPS = "aftersales_service.group_aftersales_user,sales_team.group_sale_salesman"

#: The customer's service history (P1.1, P1.5, P7): smart-button count field ->
#: (model, its list action, the field linking a record to the customer).
SERVICE_HISTORY = {
    "aftersales_ticket_count": (
        "aftersales.ticket",
        "aftersales_service.aftersales_ticket_action",
        "commercial_partner_id",
    ),
    "aftersales_repair_count": ("repair.order", "repair.action_repair_order_tree", "partner_id"),
    "aftersales_rma_count": (
        "aftersales.rma",
        "aftersales_service.aftersales_rma_action",
        "commercial_partner_id",
    ),
    "aftersales_contract_count": (
        "aftersales.contract",
        "aftersales_service.aftersales_contract_action",
        "commercial_partner_id",
    ),
    "aftersales_callback_count": (
        "aftersales.callback",
        "aftersales_service.aftersales_callback_action",
        "commercial_partner_id",
    ),
}

#: Company-dependent columns the tier engine (aftersales.tier) writes, with their SQL type.
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
        string="Repairs", compute="_compute_aftersales_history_counts"
    )
    aftersales_rma_count = fields.Integer(
        string="Returns", compute="_compute_aftersales_history_counts"
    )
    aftersales_contract_count = fields.Integer(
        string="Contracts", compute="_compute_aftersales_history_counts"
    )
    aftersales_callback_count = fields.Integer(
        string="Callbacks", compute="_compute_aftersales_history_counts"
    )
    aftersales_contract_response_hours = fields.Float(
        compute="_compute_aftersales_contract_targets", compute_sudo=True
    )
    aftersales_contract_resolution_hours = fields.Float(
        compute="_compute_aftersales_contract_targets", compute_sudo=True
    )
    aftersales_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_aftersales_history_counts"
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

    def _compute_aftersales_history_counts(self):
        """P1.1 service history: the smart buttons count the records of the
        customer's whole commercial entity that the user may read."""
        for fname in SERVICE_HISTORY:
            self._aftersales_count_history(fname)

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
    def action_view_aftersales_tickets(self):
        return self._aftersales_history_action("aftersales_ticket_count")

    def action_view_aftersales_repairs(self):
        return self._aftersales_history_action("aftersales_repair_count")

    def action_view_aftersales_rmas(self):
        return self._aftersales_history_action("aftersales_rma_count")

    def action_view_aftersales_contracts(self):
        return self._aftersales_history_action("aftersales_contract_count")

    def action_view_aftersales_callbacks(self):
        return self._aftersales_history_action("aftersales_callback_count")

    def action_aftersales_open_tier(self):
        """P1.4: the customer's tier and the service it promises."""
        self.ensure_one()
        return window_action("aftersales.tier", self.commercial_partner_id.aftersales_tier_id.id)

    # ------------------------------------------------------------------
    # Business methods: service history (smart buttons)
    # ------------------------------------------------------------------
    def _aftersales_history_domain(self, fname):
        """The records of ``SERVICE_HISTORY[fname]`` belonging to the commercial
        entities of ``self``."""
        _model, _action, link = SERVICE_HISTORY[fname]
        operator = "in" if link == "commercial_partner_id" else "child_of"
        return [(link, operator, self.commercial_partner_id.ids)]

    def _aftersales_count_history(self, fname):
        """Fill the count field ``fname`` for the batch with one grouped read; 0 for
        a user who may not read the model."""
        model, _action, link = SERVICE_HISTORY[fname]
        records = self.env[model]
        if not records.has_access("read"):
            self[fname] = 0
            return
        counts = defaultdict(int)
        for partner, count in records._read_group(
            self._aftersales_history_domain(fname), [link], ["__count"]
        ):
            counts[partner.commercial_partner_id] += count
        for partner in self:
            partner[fname] = counts[partner.commercial_partner_id]

    def _aftersales_history_action(self, fname):
        """The list behind the smart button of ``fname``; records created from it
        are for this partner."""
        self.ensure_one()
        _model, action_xmlid, _link = SERVICE_HISTORY[fname]
        action = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        action["domain"] = self._aftersales_history_domain(fname)
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
        # Slicing keeps the prefetch: the contract targets are computed once for the
        # whole batch the engine walks, not once per customer.
        partner = self[:1].with_prefetch(self._prefetch_ids)
        return (
            self._aftersales_strictest(
                tier.first_response_hours, partner.aftersales_contract_response_hours
            ),
            self._aftersales_strictest(
                tier.resolution_hours, partner.aftersales_contract_resolution_hours
            ),
        )

    @staticmethod
    def _aftersales_strictest(*hours):
        """The smallest target that is set (0 means none)."""
        return min((h for h in hours if h), default=0.0)

    # ------------------------------------------------------------------
    # Storage of the tier engine's results (aftersales.tier._recompute_tiers)
    # ------------------------------------------------------------------
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
