import threading
from datetime import timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..tools.actions import window_action
from ..tools.probes import probe_table, same_company
from ..tools.workflow import workflow_step

CONTRACT_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("expiring", "Expiring"),
    ("expired", "Expired"),
    ("renewed", "Renewed"),
    ("cancelled", "Cancelled"),
]
#: States of a contract in force on its dates: it covers service (P7.1). A renewed
#: contract still covers until its own end; its successor takes over the day after.
IN_FORCE_STATES = ("active", "expiring", "renewed")
#: P7.3: states from which a sales rep renews a contract (an expired one is won back).
RENEWABLE_STATES = ("active", "expiring", "expired")


class CoverageProbe(NamedTuple):
    """A question to ``aftersales.contract._find_coverage``: is this product (or
    serial) of this customer covered in this company over this period?"""

    key: int
    company_id: int
    partner_id: int
    product_id: int
    lot_id: int | bool
    date_from: object
    date_to: object
    exclude_id: int | bool = False
    serial_only: bool = False


class AftersalesContract(models.Model):
    """A maintenance contract (保养合同): the products and serials it covers for a
    period and the terms that price contract service (P7.1), the expiry notice and
    the renewal task one month before the end (P7.2), and its renewal into the
    next contract with the quotation that bills it (P7.3)."""

    _name = "aftersales.contract"
    _description = "Maintenance Contract"
    _inherit = ["aftersales.workflow.guard", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_end desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        CONTRACT_STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        tracking=True,
        index=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('share', '=', False)]",
        help="Gets the renewal task one month before the end. Defaults to the "
        "customer's salesperson.",
    )
    date_start = fields.Date(string="Start", required=True, tracking=True)
    date_end = fields.Date(string="End", required=True, tracking=True, index=True)
    line_ids = fields.One2many(
        "aftersales.contract.line", "contract_id", string="Covered Items", copy=True
    )
    # Terms (P7.1)
    labour_free = fields.Boolean(
        string="Free Labour", tracking=True, help="Repair labour under this contract is free."
    )
    parts_discount = fields.Float(
        string="Parts Discount (%)",
        tracking=True,
        help="Discount on parts used in contract repairs.",
    )
    visits_per_year = fields.Integer(
        string="On-site Visits per Year", help="Included on-site visits per contract year."
    )
    response_hours = fields.Float(
        string="First Response (working hours)",
        help="When set and stricter than the customer's tier, the SLA engine promises "
        "this first response on the customer's service requests.",
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)",
        help="When set and stricter than the customer's tier, the SLA engine promises "
        "this resolution time.",
    )
    # Billing (P7.3)
    product_id = fields.Many2one(
        "product.product",
        string="Contract Product",
        domain="[('type', '=', 'service'), ('sale_ok', '=', True)]",
        check_company=True,
        default=lambda self: self.env.ref(
            "aftersales_service.product_maintenance_contract", raise_if_not_found=False
        ),
        help="Service product on the quotation that bills the contract.",
    )
    price = fields.Monetary(string="Contract Price", tracking=True)
    sale_order_id = fields.Many2one(
        "sale.order", copy=False, check_company=True, tracking=True, readonly=True
    )
    invoice_ids = fields.Many2many(related="sale_order_id.invoice_ids", string="Invoices")
    previous_contract_id = fields.Many2one(
        "aftersales.contract", copy=False, index=True, readonly=True
    )
    successor_ids = fields.One2many("aftersales.contract", "previous_contract_id")
    next_contract_id = fields.Many2one(
        "aftersales.contract",
        string="Renewal",
        compute="_compute_next_contract_id",
        help="The contract that renews this one (not cancelled).",
    )
    # Reminder (P7.2): the end date the notice was sent for, so that each term gets
    # exactly one notice, and a date moved later gets a new one.
    reminder_date_end = fields.Date(readonly=True, copy=False)
    reminder_sent_at = fields.Datetime(string="Expiry Notice Sent", readonly=True, copy=False)
    days_to_end = fields.Integer(compute="_compute_days_to_end")
    cancel_reason = fields.Text(readonly=True, copy=False, tracking=True)
    note = fields.Html()

    _sql_constraints = [
        (
            "dates_check",
            "CHECK (date_end >= date_start)",
            "A contract must end on or after its start date.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_user_id(self):
        for contract in self:
            if not contract.user_id:
                contract.user_id = contract.partner_id.commercial_partner_id.user_id or (
                    contract.partner_id.user_id
                )

    @api.depends("successor_ids.state")
    def _compute_next_contract_id(self):
        for contract in self:
            contract.next_contract_id = contract.successor_ids.filtered(
                lambda c: c.state != "cancelled"
            )[:1]

    @api.depends("date_end")
    def _compute_days_to_end(self):
        for contract in self:
            today = contract.company_id._aftersales_today()
            contract.days_to_end = (contract.date_end - today).days if contract.date_end else 0

    def _compute_access_url(self):
        for contract in self:
            contract.access_url = f"/my/contracts/{contract.id}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end < contract.date_start:
                raise ValidationError(
                    _(
                        "%(contract)s ends on %(end)s, before it starts on %(start)s: set an "
                        "end date on or after the start date.",
                        contract=contract.display_name,
                        end=format_date(self.env, contract.date_end),
                        start=format_date(self.env, contract.date_start),
                    )
                )

    @api.constrains(
        "parts_discount", "price", "visits_per_year", "response_hours", "resolution_hours"
    )
    def _check_terms(self):
        """P7.1: the terms price contract service; they must make sense."""
        for contract in self:
            if not 0 <= contract.parts_discount <= 100:
                raise ValidationError(
                    _(
                        "%(contract)s: the parts discount is a percentage from 0 to 100 (it "
                        "is %(value)s).",
                        contract=contract.display_name,
                        value=contract.parts_discount,
                    )
                )
            for fname in ("price", "visits_per_year", "response_hours", "resolution_hours"):
                if contract[fname] < 0:
                    raise ValidationError(
                        _(
                            "%(contract)s: %(term)s cannot be negative (it is %(value)s).",
                            contract=contract.display_name,
                            term=self._fields[fname].get_description(self.env)["string"],
                            value=contract[fname],
                        )
                    )

    @api.constrains("state", "line_ids")
    def _check_covers_something(self):
        for contract in self:
            if contract.state in IN_FORCE_STATES and not contract.line_ids:
                raise ValidationError(
                    _(
                        "%s covers nothing: add the covered products or serials before it "
                        "comes into force.",
                        contract.display_name,
                    )
                )

    @api.constrains("state", "date_start", "date_end", "partner_id", "line_ids")
    def _check_overlapping_coverage(self):
        """One serial is covered by one contract at a time (P7.1): two contracts in
        force for the same customer in the same company must not cover a serial over
        overlapping periods."""
        contracts = self.filtered(lambda c: c.state in IN_FORCE_STATES)
        probes = [
            CoverageProbe(
                key=line.id,
                company_id=contract.company_id.id,
                partner_id=contract.commercial_partner_id.id,
                product_id=line.product_id.id,
                lot_id=line.lot_id.id,
                date_from=contract.date_start,
                date_to=contract.date_end,
                exclude_id=contract.id,
                serial_only=True,
            )
            for contract in contracts
            for line in contract.line_ids.filtered("lot_id")
        ]
        overlaps = self._find_coverage(probes)
        for probe in probes:
            other = overlaps.get(probe.key)
            if not other:
                continue
            line = self.env["aftersales.contract.line"].browse(probe.key)
            raise ValidationError(
                _(
                    "%(contract)s would cover serial %(serial)s, which %(other)s already "
                    "covers from %(start)s to %(end)s. A serial can be covered by one "
                    "contract at a time: remove it from one of them or change the dates.",
                    contract=line.contract_id.name,
                    serial=line.lot_id.sudo().name,
                    other=other.name,
                    start=format_date(self.env, other.date_start),
                    end=format_date(self.env, other.date_end),
                )
            )

    # ------------------------------------------------------------------
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """A contract comes into force, is renewed, cancelled and reminded through its steps."""
        return dict(
            super()._aftersales_workflow_fields(),
            state=None,
            reminder_date_end=None,
            reminder_sent_at=None,
            previous_contract_id=None,
            cancel_reason=None,
            sale_order_id=None,
        )

    @api.model
    def _aftersales_user_links(self):
        return (
            *super()._aftersales_user_links(),
            "sale_order_id",
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = sequence.next_by_code("aftersales.contract") or _("New")
        contracts = super().create(vals_list)
        contracts._invalidate_customer_targets()
        return contracts

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & {"state", "date_start", "date_end", "response_hours", "resolution_hours"}:
            self._invalidate_customer_targets()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for contract in self:
            if contract.state not in ("draft", "cancelled"):
                raise UserError(
                    _(
                        "%s is or was in force: cancel it instead of deleting it, so that "
                        "its history stays.",
                        contract.display_name,
                    )
                )

    def _invalidate_customer_targets(self):
        self.env["res.partner"].invalidate_model(
            ["aftersales_contract_response_hours", "aftersales_contract_resolution_hours"]
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @workflow_step
    def action_activate(self):
        """Put draft contracts in force (state from their dates, P7.1)."""
        for contract in self:
            if contract.state != "draft":
                raise UserError(_("%s is not a draft.", contract.display_name))
            if not contract.line_ids:
                raise UserError(
                    _(
                        "%s covers nothing: add the covered products or serials first.",
                        contract.display_name,
                    )
                )
        self.write({"state": "active"})
        self._sync_state_from_dates()
        self.previous_contract_id.filtered(
            lambda c: c.state in ("active", "expiring", "expired")
        )._mark_renewed()
        return True

    @workflow_step
    def _cancel(self, reason):
        """Cancel the contracts with the reason the cancel wizard asked for (P7);
        a quotation still open for them is cancelled too."""
        for contract in self:
            if contract.state in ("expired", "renewed", "cancelled"):
                raise UserError(
                    _("%s has ended: there is nothing to cancel.", contract.display_name)
                )
        if not (reason or "").strip():
            raise UserError(_("Give the reason for cancelling the contract."))
        self.write({"state": "cancelled", "cancel_reason": reason.strip()})
        self._close_renewal_activities(_("Contract cancelled: %s", reason.strip()))
        # A quotation of a cancelled contract must not be confirmed later.
        self.sale_order_id.filtered(lambda o: o.state in ("draft", "sent"))._action_cancel()
        return True

    @workflow_step
    def action_reset_to_draft(self):
        for contract in self:
            if contract.state not in ("active", "expiring", "cancelled"):
                raise UserError(_("%s cannot go back to draft.", contract.display_name))
        self.write({"state": "draft", "cancel_reason": False})
        return True

    def action_open_cancel_wizard(self):
        return window_action(
            "aftersales.contract.cancel.wizard",
            name=_("Cancel Contract"),
            target="new",
            context={"default_contract_ids": self.ids},
        )

    @workflow_step
    def action_renew(self):
        """P7.3: the successor contract (draft, same terms, lines and length) and the
        quotation that bills it, opened for the sales rep.

        P7.2: an expired contract is renewed too: the rep wins the customer back from
        the contract. Its successor starts on the company's today, not the day after
        the old end (``_renewal_start``): the days in between were not covered and
        are not billed, and a term must not start in the past."""
        self.ensure_one()
        if self.state not in RENEWABLE_STATES:
            raise UserError(
                _(
                    "Only an active, expiring or expired contract can be renewed; "
                    "%(contract)s is %(state)s.",
                    contract=self.display_name,
                    state=dict(CONTRACT_STATES)[self.state].lower(),
                )
            )
        if self.next_contract_id:
            raise UserError(
                _(
                    "%(contract)s is already renewed by %(next)s. Cancel that renewal first "
                    "to renew it again.",
                    contract=self.display_name,
                    next=self.next_contract_id.display_name,
                )
            )
        start = self._renewal_start()
        successor = self.copy(
            {
                "previous_contract_id": self.id,
                "date_start": start,
                "date_end": self._renewal_end(start),
                "price": self._renewal_price(),
            }
        )
        order = successor._create_quotation()
        self.message_post(
            body=_(
                "Renewal prepared: %(contract)s with quotation %(order)s.",
                contract=successor._get_html_link(),
                order=order._get_html_link(),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return window_action("sale.order", order.id, target="current")

    @workflow_step
    def action_create_quotation(self):
        """P7.3: the quotation that bills a new contract; confirming it activates
        the contract."""
        self.ensure_one()
        if self.state != "draft" or self.sale_order_id:
            raise UserError(
                _("%s already has its quotation, or is not a draft.", self.display_name)
            )
        order = self._create_quotation()
        return window_action("sale.order", order.id, target="current")

    def action_view_sale_order(self):
        self.ensure_one()
        return window_action("sale.order", self.sale_order_id.id)

    # ------------------------------------------------------------------
    # Business methods: coverage (P7.1)
    # ------------------------------------------------------------------
    @api.model
    def _in_force_domain(self, day):
        """Contracts in force on ``day``: they cover service on their dates."""
        return [
            ("state", "in", IN_FORCE_STATES),
            ("date_start", "<=", day),
            ("date_end", ">=", day),
        ]

    @api.model
    def _find_coverage(self, probes):
        """P7.1: which contract covers each probe — ``{probe.key: contract}``.

        A probe (``CoverageProbe``) asks for a product, or one serial of it, of a
        customer's commercial entity in one company over a period (one day for a
        repair). A contract covers it when it is in force over that period in that
        company, for that customer, with a line of the serial or, unless
        ``serial_only``, a line of the whole product; a serial line wins over a
        product line, then the contract ending last. One query for all probes; only
        the probe's own company's contracts count. Returned as superuser: coverage
        decides prices for users who may not read contracts."""
        if not probes:
            return {}
        for model in ("aftersales.contract", "aftersales.contract.line"):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT DISTINCT ON (p.key) p.key, c.id
              FROM %(probes)s
              JOIN aftersales_contract c
                   ON %(same_company)s
                  AND c.commercial_partner_id = p.partner_id
                  AND c.state IN %(states)s
                  AND c.date_start <= p.date_to AND c.date_end >= p.date_from
                  AND c.id IS DISTINCT FROM p.exclude_id
              JOIN aftersales_contract_line l
                   ON l.contract_id = c.id AND l.product_id = p.product_id
                  AND (l.lot_id = p.lot_id OR (l.lot_id IS NULL AND NOT p.serial_only))
          ORDER BY p.key, l.lot_id IS NULL, c.date_end DESC, c.id DESC
            """,
                probes=probe_table(
                    probes,
                    {"key": "int", "date_from": "date", "date_to": "date", "serial_only": "bool"},
                ),
                same_company=same_company("c"),
                states=IN_FORCE_STATES,
            )
        )
        contracts = self.sudo()
        return {key: contracts.browse(contract_id) for key, contract_id in rows}

    # ------------------------------------------------------------------
    # Business methods: renewal (P7.3)
    # ------------------------------------------------------------------
    def _renewal_start(self):
        """The day after the end for a contract still in force; the company's today
        for one that has ended (it is never renewed into the past)."""
        self.ensure_one()
        return max(self.date_end + timedelta(days=1), self.company_id._aftersales_today())

    def _renewal_end(self, start):
        """Same length as this term: whole months stay whole months (a year from
        1 Jan ends on 31 Dec again, leap years or not)."""
        self.ensure_one()
        length = relativedelta(self.date_end + timedelta(days=1), self.date_start)
        if not length.days:
            return (
                start + relativedelta(years=length.years, months=length.months) - timedelta(days=1)
            )
        return start + (self.date_end - self.date_start)

    def _renewal_price(self):
        """The customer's pricelist price of the contract product when the pricelist
        has a rule for it, else the price of the term being renewed."""
        self.ensure_one()
        pricelist = self.partner_id.property_product_pricelist
        if not (self.product_id and pricelist):
            return self.price
        rule = self.env["product.pricelist.item"].browse(
            pricelist._get_product_rule(self.product_id, 1.0)
        )
        # Only a rule of the contract product itself prices the term: a general rule
        # (e.g. 10 % off everything) applied to the product's list price (0 for the
        # default contract product) would renew the contract for nothing.
        if rule.applied_on in ("0_product_variant", "1_product"):
            return pricelist._get_product_price(self.product_id, 1.0)
        return self.price

    def _create_quotation(self):
        self.ensure_one()
        if not self.product_id:
            raise UserError(
                _(
                    "%s has no contract product to bill: set one on the contract (or a "
                    "default in Settings).",
                    self.display_name,
                )
            )
        # The quotation is the customer's to read: its line in their language, as
        # Odoo writes its own order lines.
        customer_env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "user_id": (self.user_id or self.env.user).id,
                "company_id": self.company_id.id,
                "origin": self.previous_contract_id.name or self.name,
                "aftersales_contract_id": self.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_id.id,
                            "name": customer_env._(
                                "Maintenance contract %(contract)s: %(start)s - %(end)s",
                                contract=self.name,
                                start=format_date(customer_env, self.date_start),
                                end=format_date(customer_env, self.date_end),
                            ),
                            "product_uom_qty": 1.0,
                            "price_unit": self.price,
                        }
                    )
                ],
            }
        )
        self.sale_order_id = order
        return order

    @workflow_step
    def _on_quotation_confirmed(self):
        """The customer accepted the renewal: the successor comes into force and the
        previous contract is renewed (its renewal task is done)."""
        self.filtered(lambda c: c.state == "draft").action_activate()

    @workflow_step
    def _on_quotation_cancelled(self):
        """The renewal quotation was cancelled: the successor goes back to draft and
        the previous contract follows its dates again."""
        in_force = self.filtered(lambda c: c.state in ("active", "expiring"))
        in_force.write({"state": "draft"})
        previous = in_force.previous_contract_id.filtered(lambda c: c.state == "renewed")
        previous.write({"state": "active"})
        previous._sync_state_from_dates()
        # The renewal is to be won again: the notice of this term was sent, so the
        # cron will not give the rep a new task; give it now.
        previous.filtered(
            lambda c: c.state == "expiring" and c.reminder_date_end == c.date_end
        )._schedule_renewal_activities()

    @workflow_step
    def _mark_renewed(self):
        self.write({"state": "renewed"})
        self._close_renewal_activities(_("Renewed"))

    def _close_renewal_activities(self, feedback):
        activity_type = self.env.ref(
            "aftersales_service.mail_activity_type_contract_renewal", raise_if_not_found=False
        )
        if not activity_type or not self:
            return
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        activities.action_feedback(feedback=feedback)

    # ------------------------------------------------------------------
    # Business methods: states from dates and the reminder (P7.2)
    # ------------------------------------------------------------------
    @workflow_step
    def _sync_state_from_dates(self, today=None):
        """Active ↔ expiring ↔ expired from the dates, for ``self``, on ``today``
        (default: each company's own calendar day)."""
        for company, contracts in self.grouped("company_id").items():
            day = today or company._aftersales_today()
            window = timedelta(days=company.aftersales_contract_reminder_days)
            expired = contracts.filtered(
                lambda c, d=day: c.state in ("active", "expiring") and c.date_end < d
            )
            expiring = contracts.filtered(
                lambda c, d=day, w=window: c.state == "active" and d <= c.date_end <= d + w
            )
            back = contracts.filtered(
                lambda c, d=day, w=window: c.state == "expiring" and c.date_end > d + w
            )
            expired.write({"state": "expired"})
            expiring.write({"state": "expiring"})
            back.write({"state": "active"})

    @api.model
    def _cron_contract_reminders(self):
        """P7.2, daily: contract states follow their dates, and every contract whose
        end is inside the reminder window gets its expiry notice and the sales rep's
        renewal task — once per term, caught up after a downtime, never doubled.

        One committed batch of notices per call; the rest is reported to Odoo's cron
        progress API, which calls the job again at once until nothing is left. A
        long backlog (or slow notices, see ``_reminder_batch_size``) is thus sent in
        short transactions that the workers' time limit does not kill."""
        budget = self._reminder_batch_size()
        sent = remaining = 0
        for company in self.env["res.company"].search([]):
            # The day the notices are due is the company's, not the cron's UTC date.
            today = company._aftersales_today()
            contracts = self.with_company(company).with_context(allowed_company_ids=[company.id])
            contracts._cron_company_states(company, today)
            done, left = contracts._cron_company_reminders(
                company, today, batch_size=budget, limit=budget - sent
            )
            sent += done
            remaining += left
        self.env["ir.cron"]._notify_progress(done=sent, remaining=remaining)

    @api.model
    def _reminder_batch_size(self):
        """Notices sent and committed together (the printed notices are not printed
        by the cron: their links are, see ``_reminder_links``)."""
        return 500

    def _cron_company_states(self, company, today):
        window = timedelta(days=company.aftersales_contract_reminder_days)
        domain = [
            ("company_id", "=", company.id),
            "|",
            "&",
            ("state", "in", ("active", "expiring")),
            ("date_end", "<", today),
            "|",
            "&",
            ("state", "=", "active"),
            ("date_end", "<=", today + window),
            "&",
            ("state", "=", "expiring"),
            ("date_end", ">", today + window),
        ]
        self.search(domain)._sync_state_from_dates(today)

    def _cron_company_reminders(self, company, today, batch_size=500, limit=None):
        """Send the due notices of ``company`` (at most ``limit``), committing every
        ``batch_size``; returns ``(sent, left)``: notices this worker sent, and due
        contracts it did not try."""
        window = timedelta(days=company.aftersales_contract_reminder_days)
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT id FROM aftersales_contract
             WHERE company_id = %(company)s
               AND state IN ('active', 'expiring')
               AND date_end BETWEEN %(today)s AND %(last)s
               AND reminder_date_end IS DISTINCT FROM date_end
          ORDER BY date_end, id
            """,
                company=company.id,
                today=today,
                last=today + window,
            )
        )
        candidates = self.browse([row[0] for row in rows])
        todo = candidates if limit is None else candidates[: max(limit, 0)]
        # Commit per batch in the real cron, so that a crash keeps what was sent; never
        # inside a test (``registry.in_test_mode()`` is only true in HttpCase).
        commit = not getattr(threading.current_thread(), "testing", False)
        sent = 0
        for start in range(0, len(todo), batch_size):
            claimed = todo[start : start + batch_size]._claim_reminders()
            claimed._send_reminders()
            sent += len(claimed)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return sent, len(candidates) - len(todo)

    def _claim_reminders(self):
        """Mark the notice of this term as sent with one conditional UPDATE, and
        return the contracts this worker claimed. A second worker running at the same
        time skips the rows the first has locked; one starting after the first
        committed finds the terms claimed (or fails to serialize and rolls back), so
        each term gets one notice whatever the timing."""
        if not self:
            return self
        self.flush_recordset()
        rows = self.env.execute_query(
            SQL(
                """
            UPDATE aftersales_contract
               SET reminder_date_end = date_end, reminder_sent_at = %(now)s
             WHERE id IN (
                    SELECT id FROM aftersales_contract
                     WHERE id = ANY(%(ids)s)
                       AND state IN ('active', 'expiring')
                       AND reminder_date_end IS DISTINCT FROM date_end
                       FOR NO KEY UPDATE SKIP LOCKED)
         RETURNING id
            """,
                ids=self.ids,
                now=fields.Datetime.now(),
            )
        )
        self.invalidate_recordset(["reminder_date_end", "reminder_sent_at"])
        return self.browse([row[0] for row in rows])

    def _send_reminders(self):
        """The customer's expiry notice (e-mail, queued) and the sales rep's
        "Win renewal" activity, logged on the contract.

        The whole batch at once (issue 18), by the suite's batch poster: the
        template is rendered once for the batch, the messages, their link
        attachments, notifications and e-mails are created in bulk. The printed
        notice is not printed here: the notice links to it (``_reminder_links``)
        and it is printed when the customer opens it (``/my/contracts/<id>/notice``)."""
        if not self:
            return
        template = self.env.ref("aftersales_service.mail_template_contract_expiry")
        links = self._reminder_links()
        # The mails are queued, not sent inside the cron.
        self.with_context(mail_notify_force_send=False)._aftersales_message_post_batch(
            template,
            body_suffixes=self._reminder_link_lines(links),
            partner_ids={contract.id: contract.partner_id.ids for contract in self},
            attachments={
                contract_id: [
                    (
                        name,
                        url,
                        {
                            "type": "url",
                            "mimetype": "application/pdf" if name.endswith(".pdf") else "text/html",
                        },
                    )
                    for name, url in contract_links
                ]
                for contract_id, contract_links in links.items()
            },
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._schedule_renewal_activities()

    def _render_expiry_notices(self, template):
        """``{contract id: {"subject": ..., "body_html": ...}}``, what
        ``template._generate_template(self.ids, ("subject", "body_html"))`` returns,
        rendered as the batch poster renders the notices (the body compiled once)."""
        return self._aftersales_render_batch(template)

    def _reminder_link_lines(self, links):
        """``{contract id: Markup}``: the lines the notice e-mails end with, one
        "Download the printed notice" link per document of ``links`` (see
        ``_reminder_links``), in the customer's language."""
        lines = {}
        for contract in self:
            if not links.get(contract.id):
                continue
            customer_env = contract.with_context(lang=contract.partner_id.lang or self.env.lang).env
            base_url = contract.get_base_url()
            lines[contract.id] = Markup("").join(
                Markup("<p>%s</p>")
                % (
                    escape(customer_env._("Download the printed notice: %s"))
                    % (Markup('<a href="%s">%s</a>') % (base_url + url, name))
                )
                for name, url in links[contract.id]
            )
        return lines

    def _reminder_links(self):
        """``{contract id: [(name, url)]}``: documents the expiry notices link to,
        each opened (and printed) when the customer follows its link; the report
        module adds the printed notice (保养到期通知书, P7.2)."""
        return {}

    def _expiry_notice_url(self):
        """The customer's link to the printed notice of this contract (opens without
        login with the contract's access token)."""
        self.ensure_one()
        return f"/my/contracts/{self.id}/notice?access_token={self._portal_ensure_token()}"

    def _expiry_notice_links(self):
        """``[(name, url)]`` of the notice documents of this contract once the notice
        of its current term was sent (the portal page offers them), else ``[]``."""
        self.ensure_one()
        if not self.reminder_date_end or self.reminder_date_end != self.date_end:
            return []
        return self._reminder_links().get(self.id, [])

    def _expiry_notice_document(self):
        """``(file name, PDF)`` of the printed notice of this contract, printed now,
        or ``None`` without the report module."""
        self.ensure_one()
        documents = self._reminder_attachments().get(self.id)
        return documents[0] if documents else None

    def _schedule_renewal_activities(self):
        """P7.2: the sales rep's "Win renewal" activity, due a few days later."""
        activity_type = self.env.ref("aftersales_service.mail_activity_type_contract_renewal")
        delay = timedelta(days=activity_type.delay_count or 5)
        # No "assigned to you" e-mail per contract (the rep sees the activities in
        # their to-do list and the Renewals menu), as the SLA escalation does.
        self.env["mail.activity"].with_context(
            mail_activity_quick_update=True, mail_notify_force_send=False
        ).create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": contract.id,
                    "activity_type_id": activity_type.id,
                    "summary": _("Win the renewal of %s", contract.name),
                    "note": _(
                        "%(contract)s of %(customer)s ends on %(end)s: the customer has "
                        "received the expiry notice. Contact them and renew it.",
                        contract=contract.name,
                        customer=contract.partner_id.display_name,
                        end=format_date(self.env, contract.date_end),
                    ),
                    "user_id": (contract.user_id or self.env.user).id,
                    "date_deadline": contract.company_id._aftersales_today() + delay,
                }
                for contract in self
            ]
        )

    def _reminder_attachments(self):
        """``{contract id: [(name, content)]}``: the files attached to the expiry
        notices of the contracts of ``self``, prepared for the whole batch at once;
        the report module adds the printed notice (保养到期通知书, P7.2)."""
        return {}

    # ------------------------------------------------------------------
    # Business methods: the terms contract service is priced by (P7.1)
    # ------------------------------------------------------------------
    def _aftersales_service_terms(self):
        """``{"labour_free", "parts_discount"}`` of contract service under this
        contract, no terms without one. Read as superuser: the terms price repairs
        for users who may not read contracts."""
        contract = self[:1].sudo()
        if not contract:
            return {"labour_free": False, "parts_discount": 0.0}
        return {"labour_free": contract.labour_free, "parts_discount": contract.parts_discount}
