import math

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class AftersalesTier(models.Model):
    """A customer service tier: who qualifies (P1.2) and what service they get (P1.4)."""

    _name = "aftersales.tier"
    _description = "Customer Service Tier"
    _inherit = ["aftersales.workflow.guard"]
    _order = "sequence, id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short unique code of the tier in its company, used in imports and reports.",
    )
    sequence = fields.Integer(
        default=10,
        help="Tiers are tried in this order; a customer gets the first tier whose "
        "thresholds they meet. Put the most demanding tier first and a tier "
        "without thresholds last, as the catch-all.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer(string="Colour")
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the tier between all companies.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    description = fields.Text(translate=True)

    # Thresholds (P1.2). Zero means "not used".
    match_mode = fields.Selection(
        [("all", "All thresholds"), ("any", "Any threshold")],
        default="all",
        required=True,
        help="All: a customer must meet every threshold set on the tier. "
        "Any: one of them is enough.",
    )
    min_invoiced_amount = fields.Monetary(
        string="Minimum Invoiced Amount",
        help="Untaxed amount of posted customer invoices minus credit notes over the "
        "company's rolling tier window. 0 = not used.",
    )
    min_order_count = fields.Integer(
        string="Minimum Orders",
        help="Confirmed sale orders in the rolling window. 0 = not used.",
    )
    min_satisfaction = fields.Float(
        string="Minimum Satisfaction",
        digits=(3, 2),
        help="Average feedback score (1-5). Customers without feedback do not "
        "meet it. 0 = not used.",
    )
    top_percent = fields.Float(
        string="Top % of Customers",
        digits=(5, 2),
        help="Customers among the top N % by invoiced amount in the window "
        "(e.g. 10 for the top 10 %). 0 = not used.",
    )

    # Service targets (P1.4), read by the SLA engine and the callback planner.
    first_response_hours = fields.Float(
        string="First Response (working hours)",
        default=2.0,
        help="Target between receipt of a request and the first response.",
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)",
        default=48.0,
        help="Target between receipt of a request and its resolution.",
    )
    callback_interval_days = fields.Integer(
        string="Callback Every (days)",
        default=90,
        help="Cadence of satisfaction callbacks for customers of this tier. "
        "0 = no periodic callback.",
    )
    dedicated_account_manager = fields.Boolean(
        help="Customers of this tier get a dedicated account manager."
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = (tier.company_id or self.env.company).currency_id

    @api.depends_context("company")
    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("aftersales_tier_id", "in", self.ids)],
                ["aftersales_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "min_invoiced_amount",
        "min_order_count",
        "min_satisfaction",
        "top_percent",
        "first_response_hours",
        "resolution_hours",
        "callback_interval_days",
    )
    def _check_thresholds(self):
        for tier in self:
            for fname in (
                "min_invoiced_amount",
                "min_order_count",
                "min_satisfaction",
                "first_response_hours",
                "resolution_hours",
                "callback_interval_days",
            ):
                if tier[fname] < 0:
                    raise ValidationError(
                        _(
                            "Tier %(tier)s: %(field)s cannot be negative (%(value)s). "
                            "Use 0 to leave it unused.",
                            tier=tier.name,
                            field=tier._fields[fname].get_description(self.env)["string"],
                            value=tier[fname],
                        )
                    )
            if not 0 <= tier.top_percent <= 100:
                raise ValidationError(
                    _(
                        "Tier %(tier)s: the top %% of customers must be between 0 and 100 "
                        "(it is %(value)s). Use 0 to leave it unused.",
                        tier=tier.name,
                        value=tier.top_percent,
                    )
                )
            if tier.min_satisfaction > 5:
                raise ValidationError(
                    _(
                        "Tier %(tier)s: the minimum satisfaction is an average score "
                        "from 1 to 5 (it is %(value)s).",
                        tier=tier.name,
                        value=tier.min_satisfaction,
                    )
                )

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        groups = self.with_context(active_test=False)._read_group(
            [("code", "in", self.mapped("code"))],
            ["code", "company_id"],
            ["__count"],
        )
        for code, company, count in groups:
            if count > 1:
                raise ValidationError(
                    _(
                        "The tier code %(code)s is already used in %(company)s. "
                        "Choose another code.",
                        code=code,
                        company=company.name or _("the shared tiers"),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_recompute_tiers(self):
        """P1.2: the manager's "Recompute tiers" button, for the selected companies."""
        if not self.env.user.has_group("aftersales_service.group_aftersales_manager"):
            raise AccessError(_("Only After-Sales managers can recompute customer tiers."))
        stats = self.env["res.partner"]._aftersales_recompute_tiers(self.env.companies)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Customer tiers recomputed"),
                "message": _(
                    "%(customers)s customers graded, %(changed)s changed.",
                    customers=stats["customers"],
                    changed=stats["changed"],
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.res_partner_aftersales_action"
        )
        action["domain"] = [("aftersales_tier_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_company_tiers(self, company):
        """Active tiers usable in ``company``, in the order they are tried."""
        return self.with_context(active_test=True).search(
            [("company_id", "in", (company.id, False))], order="sequence, id"
        )

    def _classify(self, metrics_by_partner):
        """P1.2: the tier each customer qualifies for, ``{partner_id: tier_id or False}``.

        ``self`` holds the candidate tiers in priority order; ``metrics_by_partner``
        maps partner ids to ``CustomerMetrics``. The top-N % rule ranks customers with
        a positive amount by amount; ties with the last admitted amount are admitted.
        """
        positive_amounts = sorted(
            (m.amount for m in metrics_by_partner.values() if m.amount > 0), reverse=True
        )
        top_cutoffs = {}
        for tier in self.filtered("top_percent"):
            admitted = math.ceil(len(positive_amounts) * tier.top_percent / 100.0)
            top_cutoffs[tier.id] = positive_amounts[admitted - 1] if admitted else None
        # Plain values, not fields, in the loop: it runs once per customer.
        tiers = [
            (
                tier.id,
                all if tier.match_mode == "all" else any,
                tier._threshold_checks(top_cutoffs.get(tier.id)),
            )
            for tier in self
        ]
        result = {}
        for partner_id, metrics in metrics_by_partner.items():
            result[partner_id] = next(
                (
                    tier_id
                    for tier_id, combine, checks in tiers
                    if not checks or combine(check(metrics) for check in checks)
                ),
                False,
            )
        return result

    def _threshold_checks(self, top_cutoff):
        """The tier's thresholds in use, as predicates on ``CustomerMetrics``."""
        self.ensure_one()
        checks = []
        if self.min_invoiced_amount:
            checks.append(lambda m, v=self.min_invoiced_amount: m.amount >= v)
        if self.min_order_count:
            checks.append(lambda m, v=self.min_order_count: m.order_count >= v)
        if self.min_satisfaction:
            # Without answered feedback there is no satisfaction to meet the minimum.
            checks.append(
                lambda m, v=self.min_satisfaction: (
                    m.satisfaction is not None and m.satisfaction >= v
                )
            )
        if self.top_percent:
            checks.append(lambda m, v=top_cutoff: v is not None and m.amount > 0 and m.amount >= v)
        return checks
