import math
from collections import namedtuple

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, plaintext2html
from odoo.tools.mail import generate_tracking_message_id

#: What the tier engine knows of one customer in one company (P1.2, P1.3).
CustomerMetrics = namedtuple(
    "CustomerMetrics",
    "amount order_count satisfaction first_purchase last_purchase last_contact",
    defaults=(0.0, 0, None, None, None, None),
)


class AftersalesTier(models.Model):
    """A customer service tier: who qualifies (P1.2) and what service they get (P1.4).

    The model also holds the tier engine: the customers' metrics (invoices, orders,
    feedback, tickets and callbacks), their grading and lifecycle stage (P1.3), run
    daily by the cron. The results are stored on the customer (``res.partner``'s
    engine columns, read and written by its two storage helpers)."""

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
        stats = self.browse()._recompute_tiers(self.env.companies)
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
    # Business methods: classification
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

    # ------------------------------------------------------------------
    # The tier engine (P1.2, P1.3): metrics, grading, lifecycle stage
    # ------------------------------------------------------------------
    @api.model
    def _recompute_tiers(self, companies=None):
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
            company_stats = self.with_company(company)._recompute_company_tiers()
            stats["customers"] += company_stats["customers"]
            stats["changed"] += company_stats["changed"]
        return stats

    def _recompute_company_tiers(self):
        company = self.env.company
        today = company._aftersales_today()
        new_since = today - relativedelta(months=company.aftersales_new_customer_months)
        churn_before = today - relativedelta(months=company.aftersales_churn_months)
        metrics = self._collect_metrics(company, today)
        partners = self.env["res.partner"]
        current = partners._aftersales_read_engine_values(company, list(metrics))
        # Customers without any metrics still get the catch-all tier and a stage.
        for partner_id in current:
            metrics.setdefault(partner_id, CustomerMetrics())
        tiers = self._get_company_tiers(company)
        new_tiers = tiers._classify(metrics)

        changes = []
        for partner_id, m in metrics.items():
            old_values, pinned = current.get(partner_id, (None, False))
            values = (
                old_values[0] if pinned else new_tiers[partner_id] or None,
                self._lifecycle_stage(m, new_since, churn_before) or None,
                round(m.amount, 2),
                m.order_count,
                # No answered feedback is no satisfaction figure (NULL), not 0.
                round(m.satisfaction, 2) if m.satisfaction is not None else None,
                m.first_purchase,
            )
            if values != old_values:
                changes.append((partner_id, *values))
        partners._aftersales_write_engine_values(company, changes)
        self._log_tier_changes(
            company,
            {
                change[0]: (current.get(change[0], ((None,), False))[0][0], change[1])
                for change in changes
            },
        )
        company.aftersales_tiers_computed_at = fields.Datetime.now()
        return {"customers": len(metrics), "changed": len(changes)}

    @api.model
    def _log_tier_changes(self, company, tiers):
        """P10.1: every regrade by the engine is traced in the customer's chatter
        (who changed what, when: the engine, now). ``tiers``: {partner id: (old tier
        id, new tier id)}; unchanged tiers are skipped. One batch of notes."""
        changed = {pid: pair for pid, pair in tiers.items() if pair[0] != pair[1]}
        if not changed:
            return
        names = {
            tier.id: tier.display_name
            for tier in self.with_context(active_test=False).browse(
                {tid for pair in changed.values() for tid in pair if tid}
            )
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
        self.env["res.partner"].browse(list(bodies)).invalidate_recordset(["message_ids"])

    @api.model
    def _lifecycle_stage(self, metrics, new_since, churn_before):
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
    def _collect_metrics(self, company, today):
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
        self.env["res.partner"].flush_model(["commercial_partner_id"])
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
        satisfaction = self._satisfaction_by_partner(company)
        last_contact = self._last_contact_by_partner(company)

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
    def _satisfaction_by_partner(self, company):
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
    def _last_contact_by_partner(self, company):
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

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_recompute_tiers(self):
        """P1.2: daily regrading of all customers in all companies."""
        self._recompute_tiers()
