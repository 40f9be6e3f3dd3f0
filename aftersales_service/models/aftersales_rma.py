from collections import defaultdict
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..tools.actions import window_action
from ..tools.workflow import workflow_step

RMA_KINDS = [("refund", "Return for Refund"), ("exchange", "Exchange")]
RMA_STATES = [
    ("draft", "Draft"),
    ("confirmed", "Awaiting Return"),
    ("voucher", "Voucher Issued"),
    ("received", "Received"),
    ("inspected", "Inspected"),
    ("refunded", "Refunded"),
    ("replaced", "Replaced"),
    ("done", "Done"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
EXCHANGE_CONDITIONS = [
    ("non_human_damage", "Non-human damage confirmed"),
    ("wrong_product", "Wrong product shipped"),
    ("unrepairable", "Serious defect that cannot be repaired"),
]
#: P5.2: what a returned product must satisfy for a refund.
REFUND_CONDITIONS = (
    "condition_packaging",
    "condition_accessories",
    "condition_unused",
    "condition_proof",
)
#: P4.2, P5.3 deadlines in working days, by phase.
CONFIRM_DAYS, INSPECT_DAYS, SHIP_DAYS, REFUND_DAYS = 2, 2, 5, 7
CLOSED_STATES = ("refunded", "replaced", "done", "refused", "cancelled")
#: Closed with a result the request was about: refunded, replaced, or judged at the
#: inspection and sent back.
SETTLED_STATES = ("refunded", "replaced", "done")
#: RMAs that no longer claim any quantity of their order line.
VOID_STATES = ("refused", "cancelled")
#: An exchange's replacement may still change: voucher issued up to the passed inspection.
REPLACEABLE_STATES = ("voucher", "received", "inspected")
#: The only states in which an RMA may be deleted: nothing refers to it yet.
DELETABLE_STATES = ("draft", "cancelled")


class AftersalesRma(models.Model):
    """Return for refund (P5) or exchange (P4): window and conditions, stock moves
    through the original delivery, inspection, credit note or replacement, every
    deadline on the SLA engine."""

    _name = "aftersales.rma"
    _description = "After-Sales Return / Exchange"
    _inherit = ["aftersales.sla.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields: the request
    # ------------------------------------------------------------------
    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: _("New"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(RMA_KINDS, required=True, default="refund", tracking=True)
    state = fields.Selection(
        RMA_STATES,
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
        index=True,
        check_company=True,
        tracking=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        required=True,
        check_company=True,
        domain="[('order_id.partner_id', 'child_of', commercial_partner_id), "
        "('qty_delivered', '>', 0)]",
    )
    sale_order_id = fields.Many2one(related="sale_line_id.order_id", store=True, index=True)
    product_id = fields.Many2one(related="sale_line_id.product_id", store=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial / Lot",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(
        required=True, default=1.0, digits="Product Unit of Measure", tracking=True
    )
    returnable_quantity = fields.Float(
        compute="_compute_returnable_quantity", digits="Product Unit of Measure"
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", compute="_compute_delivery", store=True
    )
    delivered_on = fields.Date(
        compute="_compute_delivery",
        store=True,
        help="When the customer received the goods (done delivery), in the company's time zone.",
    )
    request_date = fields.Date(
        required=True,
        default=lambda self: self.env.company._aftersales_today(),
        tracking=True,
        help="The company's calendar day of the request.",
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="The customer's request this return or exchange carries out; it is solved "
        "once the return is settled.",
    )
    team_id = fields.Many2one(
        "aftersales.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
        help="Its calendar times the deadlines and its leader and manager get the "
        "escalations: the service request's team, else the company's first team.",
    )
    reason_id = fields.Many2one("aftersales.rma.reason", required=True)
    description = fields.Text()
    # P5.1 window and P5.2 conditions.
    window_days = fields.Integer(related="company_id.aftersales_return_window_days")
    window_end = fields.Date(compute="_compute_window_end")
    window_passed = fields.Boolean(
        compute="_compute_window_passed",
        help="The request came after the last day of the return window.",
    )
    window_override_reason = fields.Text(readonly=True, copy=False, tracking=True)
    condition_packaging = fields.Boolean(string="Original packaging intact")
    condition_accessories = fields.Boolean(string="Accessories and gifts included")
    condition_unused = fields.Boolean(string="Unused and undamaged")
    condition_proof = fields.Boolean(string="Proof of purchase")
    conditions_missing = fields.Boolean(
        compute="_compute_conditions_missing",
        help="At least one return condition is not ticked.",
    )
    conditions_override_reason = fields.Text(readonly=True, copy=False, tracking=True)
    # P4.1 exchange condition and evidence.
    exchange_condition = fields.Selection(EXCHANGE_CONDITIONS, tracking=True)
    evidence = fields.Text(help="What proves the condition; attach photos in the chatter.")
    voucher_valid_until = fields.Date(readonly=True, copy=False)
    voucher_expired = fields.Boolean(compute="_compute_voucher_expired")
    # Stock and inspection.
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return Transfer", readonly=True, copy=False
    )
    received_qty = fields.Float(
        compute="_compute_received_qty", store=True, digits="Product Unit of Measure"
    )
    received_on = fields.Datetime(readonly=True, copy=False)
    inspection_result = fields.Selection(
        [("passed", "Passed"), ("failed", "Failed")], readonly=True, copy=False, tracking=True
    )
    inspection_note = fields.Text(copy=False)
    inspected_by = fields.Many2one("res.users", readonly=True, copy=False)
    inspected_on = fields.Datetime(readonly=True, copy=False)
    refund_move_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False
    )
    replacement_product_id = fields.Many2one(
        "product.product",
        string="Replacement",
        check_company=True,
        help="Empty: the same product. Another product of the same value needs a "
        "supervisor's approval.",
        readonly=True,
    )
    replacement_approved_by = fields.Many2one("res.users", readonly=True, copy=False)
    outgoing_picking_id = fields.Many2one(
        "stock.picking",
        string="Outgoing Transfer",
        readonly=True,
        copy=False,
        help="The replacement (exchange), or the goods sent back (failed inspection).",
    )
    close_reason = fields.Text(
        string="Refusal / Cancellation Reason", readonly=True, copy=False, tracking=True
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends(
        "sale_line_id.move_ids.state",
        "sale_line_id.move_ids.location_dest_id.usage",
        "sale_line_id.move_ids.picking_id.date_done",
        "company_id.resource_calendar_id.tz",
        "company_id.partner_id.tz",
    )
    def _compute_delivery(self):
        """P5.1: the window counts from the company's calendar day of the receipt: a
        delivery done at 07:30 in Shanghai is 23:30 UTC of the day before."""
        for rma in self:
            # Goods an RMA itself sends to the customer (a replacement, a send-back)
            # never restart the window of the original delivery.
            moves = rma.sale_line_id.move_ids.filtered(
                lambda m: (
                    m.state == "done"
                    and m.location_dest_id.usage == "customer"
                    and not m.aftersales_rma_id
                )
            )
            picking = moves.picking_id.sorted("date_done")[-1:]
            rma.picking_id = picking
            company = rma.company_id or self.env.company
            rma.delivered_on = company._aftersales_local_date(picking.date_done)

    @api.depends("ticket_id", "company_id")
    def _compute_team_id(self):
        defaults = {}
        for rma in self:
            if rma.ticket_id.team_id:
                rma.team_id = rma.ticket_id.team_id
            elif not rma.team_id or rma.team_id.company_id not in (rma.company_id, False):
                company = rma.company_id or self.env.company
                if company not in defaults:
                    tickets = self.env["aftersales.ticket"].with_company(company)
                    defaults[company] = tickets._default_team_id()
                rma.team_id = defaults[company]

    @api.depends("delivered_on", "window_days")
    def _compute_window_end(self):
        for rma in self:
            rma.window_end = rma.delivered_on and rma.delivered_on + timedelta(days=rma.window_days)

    @api.depends("request_date", "window_end")
    def _compute_window_passed(self):
        for rma in self:
            rma.window_passed = bool(
                rma.window_end and rma.request_date and rma.request_date > rma.window_end
            )

    @api.depends(*REFUND_CONDITIONS)
    def _compute_conditions_missing(self):
        for rma in self:
            rma.conditions_missing = not all(rma[fname] for fname in REFUND_CONDITIONS)

    @api.depends("sale_line_id", "quantity")
    def _compute_returnable_quantity(self):
        available = self._returnable_quantities()
        for rma in self:
            rma.returnable_quantity = available[rma]

    @api.depends("voucher_valid_until", "company_id")
    def _compute_voucher_expired(self):
        # The company's today, not the user's: portal users and crons have no time zone.
        today = {}
        for rma in self:
            company = rma.company_id or self.env.company
            if company not in today:
                today[company] = company._aftersales_today()
            rma.voucher_expired = bool(
                rma.voucher_valid_until and rma.voucher_valid_until < today[company]
            )

    @api.depends("return_picking_id.move_ids.quantity", "return_picking_id.state")
    def _compute_received_qty(self):
        for rma in self:
            moves = rma.return_picking_id.move_ids.filtered(
                lambda m, rma=rma: m.state == "done" and m.aftersales_rma_id == rma
            )
            rma.received_qty = sum(moves.mapped("quantity"))

    def _compute_access_url(self):
        for rma in self:
            rma.access_url = f"/my/returns/{rma.id}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("quantity", "sale_line_id")
    def _check_quantity(self):
        """Never more than delivered minus already returned (OCA/rma#268)."""
        availability = self._return_availability()
        for rma in self:
            if rma.quantity <= 0:
                raise ValidationError(_("%s: the quantity to return must be positive.", rma.name))
            delivered, claimed = availability[rma]
            available = delivered - claimed
            if rma.quantity > available:
                raise ValidationError(
                    _(
                        "%(rma)s: %(qty)s x %(product)s cannot be returned: %(delivered)s "
                        "were delivered on %(order)s and %(other)s are already returned or "
                        "being returned, so at most %(available)s can be.",
                        rma=rma.name,
                        qty=rma.quantity,
                        product=rma.product_id.display_name,
                        delivered=delivered,
                        order=rma.sale_order_id.name,
                        other=claimed,
                        available=available,
                    )
                )

    @api.constrains("ticket_id", "partner_id")
    def _check_ticket_customer(self):
        """P2.2: a return carries out a request of its own customer."""
        for rma in self.filtered("ticket_id"):
            # sudo(): the request's customer, whoever may read the request.
            entity = rma.ticket_id.sudo().commercial_partner_id
            if entity and entity != rma.commercial_partner_id:
                raise ValidationError(
                    _(
                        "%(rma)s is a return of %(customer)s, but service request "
                        "%(ticket)s is %(other)s's. Link a request of %(customer)s.",
                        rma=rma.name,
                        customer=rma.commercial_partner_id.display_name,
                        ticket=rma.ticket_id.sudo().name,
                        other=entity.display_name,
                    )
                )

    def _returnable_quantities(self):
        """{rma: quantity of its order line it may still return}."""
        return {
            rma: delivered - claimed
            for rma, (delivered, claimed) in self._return_availability().items()
        }

    def _return_availability(self):
        """{rma: (delivered, claimed)} of its order line, with one search for the
        batch (P5.1, P5.3, OCA/rma#268).

        ``delivered`` is what was delivered on the line before any RMA took goods
        back: Odoo's ``qty_delivered`` already went down by every refunded return
        move (``to_refund``, as its return wizard does), so the RMAs' own moves are
        added back. ``claimed`` is what the *other* open or done RMAs of the line
        take, whether their goods are back yet or not. Counting a received refund in
        both ``qty_delivered`` and the RMAs' quantities would refuse the second unit
        of two once the first is back.

        An exchange's return move is not ``to_refund``: the customer gets a
        replacement, ``qty_delivered`` keeps the unit and the exchange keeps it
        claimed, so the same delivered unit cannot be exchanged or refunded twice.
        A refund that failed its inspection and was sent back stays claimed too:
        the unit was already judged. Returns made without an RMA (Odoo's own
        return wizard) stay subtracted, as Odoo counts them."""
        lines = self.sale_line_id._origin
        # sudo(): the figure counts every RMA and move of the line, also those the
        # user cannot read (another team's); only quantities come out of it.
        claiming = (
            self.env["aftersales.rma"]
            .sudo()
            .search([("sale_line_id", "in", lines.ids), ("state", "not in", VOID_STATES)])
        )
        netted = claiming._quantity_netted_on_line()
        delivered, claimed = defaultdict(float), defaultdict(float)
        for line in lines:
            delivered[line] = line.qty_delivered
        for rma in claiming:
            delivered[rma.sale_line_id] += netted[rma]
            claimed[rma.sale_line_id] += rma.quantity
        result = {}
        for rma in self:
            line = rma.sale_line_id._origin
            # A new record (form, portal preview) claims nothing yet; a stored one
            # is not "another" RMA of its own line.
            own = claiming & rma._origin
            result[rma] = (delivered[line], claimed[line] - own.quantity)
        return result

    def _quantity_netted_on_line(self):
        """{rma: what Odoo's ``qty_delivered`` of its order line already nets out
        for it}: its refunded goods received, minus goods sent back to the customer
        on that line; both as sale_stock counts them."""
        netted = defaultdict(float)
        for line in self.sale_line_id:
            outgoing, incoming = line._get_outgoing_incoming_moves()
            for moves, sign in ((incoming, 1.0), (outgoing, -1.0)):
                for move in moves:
                    if move.state == "done" and move.aftersales_rma_id in self:
                        netted[move.aftersales_rma_id] += sign * move.product_uom._compute_quantity(
                            move.quantity, line.product_uom, rounding_method="HALF-UP"
                        )
        return netted

    # ------------------------------------------------------------------
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """The return's states, the inspection and the supervisor's approvals are its steps': a
        written inspection would let a credit note be made for goods never returned."""
        return dict(
            super()._aftersales_workflow_fields(),
            state=None,
            inspection_result=None,
            inspected_by=None,
            inspected_on=None,
            received_on=None,
            refund_move_id=None,
            window_override_reason=None,
            conditions_override_reason=None,
            replacement_product_id=None,
            replacement_approved_by=None,
            voucher_valid_until=None,
            return_picking_id=None,
            outgoing_picking_id=None,
            close_reason=None,
        )

    @api.model
    def _aftersales_user_links(self):
        return (
            *super()._aftersales_user_links(),
            "sale_line_id",
            "ticket_id",
            "lot_id",
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("aftersales.rma") or _(
                    "New"
                )
            if not vals.get("request_date") and vals.get("company_id"):
                # The RMA's company's today, not the current company's (the default).
                company = self.env["res.company"].browse(vals["company_id"])
                vals["request_date"] = company._aftersales_today()
        rmas = super().create(vals_list)
        for partner, partner_rmas in rmas.grouped("partner_id").items():
            partner_rmas.message_subscribe(partner.ids)
        return rmas

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") in SETTLED_STATES:
            # P2.8: the request follows its settled return, as a system step.
            self.env["aftersales.ticket"]._aftersales_follow_case(self.filtered("ticket_id"))
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft_or_cancelled(self):
        """P5, P4: a return past its draft is history (its transfers, credit note
        and feedback refer to it); only drafts and cancelled ones may go."""
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        # sudo(): the guard must see feedback the user cannot read.
        rated = self.env["aftersales.feedback"].sudo().search([("rma_id", "in", self.ids)]).rma_id
        for rma in self:
            if rma.state in DELETABLE_STATES:
                if rma in rated:
                    raise UserError(
                        _(
                            "%s has customer feedback: it cannot be deleted, so that the "
                            "feedback keeps its return.",
                            rma.name,
                        )
                    )
                continue
            if rma.state in CLOSED_STATES:
                raise UserError(
                    _(
                        "%(rma)s is %(state)s: its transfers, credit note and history refer "
                        "to it, so it cannot be deleted. It stays in the customer's history.",
                        rma=rma.name,
                        state=state_labels[rma.state],
                    )
                )
            raise UserError(
                _(
                    "%(rma)s is %(state)s: cancel it instead of deleting it, so that its "
                    "history stays.",
                    rma=rma.name,
                    state=state_labels[rma.state],
                )
            )

    # ------------------------------------------------------------------
    # SLA engine hooks: one phase at a time (P4.2, P5.3)
    # ------------------------------------------------------------------
    def _sla_start(self):
        if self.state == "inspected" and self.kind == "refund":
            return self.inspected_on
        if self.state in ("received", "inspected"):
            return self.received_on
        if self.request_date:
            return self.company_id._aftersales_day_start(self.request_date)
        return self.create_date

    def _sla_criteria(self):
        return {
            "ticket_type": False,
            "channel": self.ticket_id.channel,
            "priority": self.ticket_id.priority,
            "tier_id": False,
            "team_id": self.ticket_id.team_id,
        }

    def _sla_team(self):
        return self.team_id

    def _sla_customer(self):
        return self.commercial_partner_id

    def _sla_is_paused(self):
        # Between the voucher / authorisation and the receipt, the customer ships.
        return self.state in ("confirmed", "voucher")

    def _sla_is_done(self):
        return self.state in CLOSED_STATES

    @api.model
    def _sla_open_domain(self):
        return [("state", "not in", CLOSED_STATES), ("company_id", "=", self.env.company.id)]

    @api.model
    def _sla_trigger_fields(self):
        return {"state"}

    @api.model
    def _sla_state_fields(self):
        return {"state"}

    def _sla_targets(self, policy):
        """Working days of the current phase: confirm the conditions within 2 days of
        the request; inspect within 2 days of receipt, then ship the replacement
        within 5 (exchange); refund within 7 days of a passed inspection."""
        self.ensure_one()
        day = (
            policy.calendar_id
            or self._sla_team().resource_calendar_id
            or self.company_id.resource_calendar_id
        ).hours_per_day or 8.0
        if self.state in ("received", "inspected") and self.kind == "exchange":
            return INSPECT_DAYS * day, SHIP_DAYS * day
        if self.state == "received":
            return INSPECT_DAYS * day, (INSPECT_DAYS + REFUND_DAYS) * day
        if self.state == "inspected":
            return REFUND_DAYS * day, REFUND_DAYS * day
        return CONFIRM_DAYS * day, CONFIRM_DAYS * day

    @workflow_step
    def _rma_enter_phase(self):
        """A new phase restarts the clock: its own first step, targets and escalation."""
        self.write(
            {
                "sla_first_response_at": False,
                "sla_response_escalation": 0,
                "sla_resolution_escalation": 0,
                "sla_paused_hours": 0.0,
                "sla_paused_since": False,
            }
        )
        self._sla_recompute()

    # ------------------------------------------------------------------
    # Actions: confirmation (P4.1, P5.1, P5.2)
    # ------------------------------------------------------------------
    @workflow_step
    def action_confirm(self):
        """Check the window and conditions, then authorise the return (refund) or
        issue the replacement voucher (exchange)."""
        for rma in self:
            if rma.state != "draft":
                raise UserError(_("%s is not a draft.", rma.name))
            rma._check_can_confirm()
        self._sla_mark_first_response(fields.Datetime.now())
        exchanges = self.filtered(lambda r: r.kind == "exchange")
        (self - exchanges).write({"state": "confirmed"})
        for company, rmas in exchanges.grouped("company_id").items():
            # P4.2: the validity counts the company's days, whoever confirms.
            valid_until = company._aftersales_today() + timedelta(
                days=company.aftersales_voucher_validity_days
            )
            rmas.write({"state": "voucher", "voucher_valid_until": valid_until})
        return True

    def _check_can_confirm(self):
        self.ensure_one()
        if self.kind == "refund":
            if not self.delivered_on:
                raise UserError(
                    _(
                        "%s: the goods were not delivered yet, there is nothing to return.",
                        self.name,
                    )
                )
            if self.window_passed and not self.window_override_reason:
                raise UserError(
                    _(
                        "%(rma)s is refused: returns are accepted within %(days)s days of "
                        "receiving the goods. They were received on %(received)s, so "
                        "the last day was %(end)s; the request is of %(request)s. A supervisor "
                        "may accept it anyway with a reason.",
                        rma=self.name,
                        days=self.window_days,
                        received=format_date(self.env, self.delivered_on),
                        end=format_date(self.env, self.window_end),
                        request=format_date(self.env, self.request_date),
                    )
                )
            missing = self._missing_condition_labels()
            if missing and not self.conditions_override_reason:
                raise UserError(
                    _(
                        "%(rma)s cannot be confirmed: not ticked: %(missing)s. A "
                        "supervisor may accept it anyway with a reason.",
                        rma=self.name,
                        missing=", ".join(missing),
                    )
                )
        else:
            if not self.exchange_condition or not (self.evidence or "").strip():
                raise UserError(
                    _(
                        "%s: choose the exchange condition and describe the evidence.",
                        self.name,
                    )
                )

    def action_open_override_wizard(self):
        """Button "Accept Anyway": the supervisor says what is accepted and why (P5.1, P5.2)."""
        self.ensure_one()
        self._check_supervisor()
        kind = "window" if self._window_needs_override() else "conditions"
        return self._wizard(
            "aftersales.rma.override.wizard", _("Accept the Return Anyway"), {"default_kind": kind}
        )

    @workflow_step
    def _aftersales_override_window(self, reason):
        """P5.1: a supervisor accepts a late return, with a reason (tracked)."""
        return self._aftersales_accept_override(
            reason,
            "window_override_reason",
            "_window_needs_override",
            lambda rma: self.env._(
                "%s is not a draft return requested after its return window: there "
                "is no late request to accept.",
                rma.name,
            ),
        )

    @workflow_step
    def _aftersales_override_conditions(self, reason):
        """P5.2: a supervisor accepts a return with conditions not met, with a reason."""
        return self._aftersales_accept_override(
            reason,
            "conditions_override_reason",
            "_conditions_need_override",
            lambda rma: self.env._(
                "%s is not a draft return with return conditions left unticked: "
                "there is nothing to accept.",
                rma.name,
            ),
        )

    def _aftersales_accept_override(self, reason, field, pending, refusal):
        """The supervisor's ``reason`` written in ``field`` (inside the calling
        workflow step): every return must be waiting for it (its method ``pending``),
        else the error ``refusal(rma)``."""
        self._check_supervisor()
        self._check_reason(reason)
        for rma in self:
            if not getattr(rma, pending)():
                raise UserError(refusal(rma))
        self.write({field: reason.strip()})
        return True

    def _window_needs_override(self):
        """A draft return requested after its window, not accepted yet (P5.1)."""
        self.ensure_one()
        return bool(
            self.state == "draft"
            and self.kind == "refund"
            and self.window_passed
            and not self.window_override_reason
        )

    def _conditions_need_override(self):
        """A draft return with a condition not ticked, not accepted yet (P5.2)."""
        self.ensure_one()
        return bool(
            self.state == "draft"
            and self.kind == "refund"
            and self.conditions_missing
            and not self.conditions_override_reason
        )

    @workflow_step
    def _aftersales_refuse(self, reason):
        """P5.1: a request that does not qualify is refused with the reason."""
        self._check_reason(reason)
        self._close("refused", reason)
        return True

    @workflow_step
    def _aftersales_cancel(self, reason):
        """The request is withdrawn (by the customer or the desk), with the reason."""
        self._check_reason(reason)
        self._close("cancelled", reason)
        return True

    def _close(self, state, reason):
        for rma in self:
            if rma.state in ("refunded", "replaced", "done"):
                raise UserError(
                    _("%s is already settled: it cannot be refused or cancelled.", rma.name)
                )
        self.write({"state": state, "close_reason": reason.strip()})

    # ------------------------------------------------------------------
    # Actions: goods back (stock)
    # ------------------------------------------------------------------
    @workflow_step
    def action_create_return_transfer(self):
        """The incoming transfer of the returned goods, as a return of the original
        delivery, one per customer for a batch (validated when the goods arrive)."""
        by_partner = defaultdict(lambda: self.browse())
        for rma in self:
            if rma.state not in ("confirmed", "voucher") or rma.return_picking_id:
                raise UserError(_("%s is not waiting for the goods.", rma.name))
            if rma.state == "voucher" and rma.voucher_expired:
                raise UserError(
                    _(
                        "The replacement voucher of %(rma)s expired on %(date)s: it cannot be "
                        "used any more.",
                        rma=rma.name,
                        date=format_date(self.env, rma.voucher_valid_until),
                    )
                )
            by_partner[(rma.commercial_partner_id, rma.company_id, *rma._return_route())] |= rma
        pickings = self.env["stock.picking"]
        for (partner, company, picking_type, source, destination), rmas in by_partner.items():
            pickings |= rmas._create_incoming_picking(
                partner, company, picking_type, source, destination
            )
        return pickings

    def _return_route(self):
        """``(operation type, source, destination)`` of the goods coming back, as
        Odoo's return wizard derives them from the original delivery: its type's
        return type (or the type itself), from where the delivery went, to the
        return type's default destination (or where the delivery came from). The
        company's return location, when set, receives every return."""
        self.ensure_one()
        delivery = self.picking_id
        if delivery:
            return_type = delivery.picking_type_id.return_picking_type_id
            picking_type = return_type or delivery.picking_type_id
            source = delivery.location_dest_id
            if return_type and return_type.code == "incoming":
                destination = return_type.default_location_dest_id
            else:
                destination = delivery.location_id
        else:
            # Nothing delivered through a transfer (an exchange does not check it):
            # the company's first warehouse, as before any delivery existed.
            warehouse = self._default_warehouse()
            picking_type = warehouse.in_type_id
            source = self.env.ref("stock.stock_location_customers")
            destination = warehouse.lot_stock_id
        return picking_type, source, self.company_id.aftersales_return_location_id or destination

    def _default_warehouse(self):
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def _original_move(self):
        """The done move of the original delivery that this RMA returns."""
        self.ensure_one()
        moves = self.picking_id.move_ids or self.sale_line_id.move_ids
        return moves.filtered(
            lambda m: (
                m.state == "done"
                and m.sale_line_id == self.sale_line_id
                and m.location_dest_id.usage == "customer"
            )
        )[:1]

    def _create_incoming_picking(self, partner, company, picking_type, source, destination):
        picking = self.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "origin": ", ".join(self.mapped("name")),
                "company_id": company.id,
                "return_id": self.picking_id[:1].id if len(self.picking_id) == 1 else False,
                "move_ids": [
                    Command.create(
                        {
                            "name": rma.name,
                            "product_id": rma.product_id.id,
                            "product_uom_qty": rma.quantity,
                            "product_uom": rma.product_id.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "warehouse_id": picking_type.warehouse_id.id,
                            "origin_returned_move_id": rma._original_move().id,
                            "to_refund": rma.kind == "refund",
                            # As Odoo's return wizard does: the order line's
                            # delivered quantity goes down by the refunded goods.
                            "sale_line_id": rma.sale_line_id.id,
                            "aftersales_rma_id": rma.id,
                            "company_id": company.id,
                        }
                    )
                    for rma in self
                ],
            }
        )
        picking.action_confirm()
        self.write({"return_picking_id": picking.id})
        return picking

    @workflow_step
    def _on_goods_received(self):
        """Called when the return transfer is validated: the inspection clock starts."""
        now = fields.Datetime.now()
        waiting = self.filtered(lambda r: r.state in ("confirmed", "voucher"))
        waiting.write({"state": "received", "received_on": now})
        waiting._rma_enter_phase()

    # ------------------------------------------------------------------
    # Actions: inspection, refund, replacement
    # ------------------------------------------------------------------
    @workflow_step
    def _aftersales_inspect(self, passed, note=False):
        """P4.2/P5.3: inspection of the received goods within 2 working days."""
        now = fields.Datetime.now()
        for rma in self:
            if rma.state != "received":
                raise UserError(_("%s has not been received: inspect it on arrival.", rma.name))
            if not passed and not (note or "").strip():
                raise UserError(_("Say why %s fails the inspection.", rma.name))
        self._sla_mark_first_response(now)
        self.write(
            {
                "state": "inspected",
                "inspection_result": "passed" if passed else "failed",
                "inspection_note": note or False,
                "inspected_by": self.env.user.id,
                "inspected_on": now,
            }
        )
        failed = self.filtered(lambda r: r.inspection_result == "failed")
        if failed:
            failed._create_outgoing_pickings(send_back=True)
            failed.write({"state": "done"})
        self.filtered(lambda r: r.kind == "refund" and r.state == "inspected")._rma_enter_phase()
        return True

    @workflow_step
    def action_create_credit_note(self):
        """P5.3: a draft credit note for the received quantity at the price actually
        paid (the original invoice line's price, discount and taxes, OCA/rma#289),
        one per customer, company and invoice for a batch; accountants post it."""
        for rma in self:
            if (
                rma.kind != "refund"
                or rma.state != "inspected"
                or rma.inspection_result != "passed"
            ):
                raise UserError(_("%s is not a return with a passed inspection.", rma.name))
        groups = defaultdict(lambda: self.browse())
        for rma in self:
            # The company is part of the key: RMAs without an original invoice would
            # otherwise share one credit note across companies.
            invoice = rma._original_invoice_line().move_id
            groups[(rma.commercial_partner_id, rma.company_id, invoice)] |= rma
        moves = self.env["account.move"]
        # RMA users prepare the credit note; only accounting users may post it (the
        # draft is created as superuser, posting keeps Odoo's own access rights).
        for (partner, company, invoice), rmas in groups.items():
            lines = []
            for rma in rmas:
                source = rma._original_invoice_line()
                lines.append(
                    Command.create(
                        {
                            "product_id": rma.product_id.id,
                            "name": _(
                                "%(rma)s: %(product)s",
                                rma=rma.name,
                                product=rma.product_id.display_name,
                            ),
                            "quantity": rma.received_qty or rma.quantity,
                            "price_unit": source.price_unit
                            if source
                            else rma.sale_line_id.price_unit,
                            "discount": source.discount if source else rma.sale_line_id.discount,
                            "tax_ids": [
                                Command.set(
                                    (source.tax_ids if source else rma.sale_line_id.tax_id).ids
                                )
                            ],
                            "aftersales_rma_id": rma.id,
                            # The order line then counts the refund: it does not
                            # show the returned unit as "to invoice" (a second,
                            # duplicate credit note from the order).
                            "sale_line_ids": [Command.set(rma.sale_line_id.ids)],
                        }
                    )
                )
            move = (
                self.env["account.move"]
                .with_company(company)
                .sudo()
                .create(
                    {
                        "move_type": "out_refund",
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "reversed_entry_id": invoice.id,
                        "invoice_origin": ", ".join(rmas.mapped("name")),
                        "currency_id": (invoice.currency_id or rmas.sale_order_id.currency_id)[
                            :1
                        ].id,
                        "invoice_line_ids": lines,
                    }
                )
            )
            rmas.write({"refund_move_id": move.id, "state": "refunded"})
            moves |= move
        return moves

    def _original_invoice_line(self):
        self.ensure_one()
        return self.sale_line_id.sudo().invoice_lines.filtered(
            lambda line: line.move_id.state == "posted" and line.move_id.move_type == "out_invoice"
        )[:1]

    def action_open_replacement_wizard(self):
        """Button: the supervisor picks the other product that replaces (P4.2)."""
        self.ensure_one()
        self._check_supervisor()
        return self._wizard(
            "aftersales.rma.replacement.wizard", _("Replace with Another Product"), {}
        )

    @workflow_step
    def _aftersales_approve_replacement(self, product):
        """P4.2: another product of the same value replaces, with a supervisor's
        approval, until the replacement leaves."""
        self._check_supervisor()
        product.ensure_one()
        for rma in self:
            if (
                rma.kind != "exchange"
                or rma.state not in REPLACEABLE_STATES
                or rma.outgoing_picking_id
            ):
                raise UserError(
                    _(
                        "%s is not an exchange waiting for its replacement: another product "
                        "can no longer be chosen.",
                        rma.name,
                    )
                )
            if product == rma.product_id:
                raise UserError(
                    _(
                        "%s is the returned product itself: choose another one.",
                        product.display_name,
                    )
                )
            if abs(product.lst_price - rma.product_id.lst_price) > 0.01:
                raise UserError(
                    _(
                        "%(product)s costs %(price)s, not the %(original)s of %(rma)s: a "
                        "replacement must be of the same value.",
                        product=product.display_name,
                        price=product.lst_price,
                        original=rma.product_id.lst_price,
                        rma=rma.name,
                    )
                )
        self.write(
            {"replacement_product_id": product.id, "replacement_approved_by": self.env.user.id}
        )
        return True

    @workflow_step
    def action_ship_replacement(self):
        """P4.2: the replacement leaves within 5 working days of the receipt."""
        for rma in self:
            if rma.kind != "exchange" or rma.inspection_result != "passed":
                raise UserError(_("%s is not an exchange with a passed inspection.", rma.name))
            if rma.outgoing_picking_id:
                raise UserError(_("The replacement of %s is already on its way.", rma.name))
        self._create_outgoing_pickings()
        return True

    def _create_outgoing_pickings(self, send_back=False):
        """The replacement (exchange) or the goods sent back (failed inspection),
        one transfer per customer and warehouse: they leave from the warehouse of
        the original delivery, to where it went."""
        by_route = defaultdict(lambda: self.browse())
        for rma in self:
            warehouse = rma.picking_id.picking_type_id.warehouse_id or rma._default_warehouse()
            if send_back:
                # The goods leave from where they were received.
                source = rma.return_picking_id.location_dest_id or warehouse.lot_stock_id
            else:
                source = warehouse.out_type_id.default_location_src_id or warehouse.lot_stock_id
            customers = rma.picking_id.location_dest_id or self.env.ref(
                "stock.stock_location_customers"
            )
            key = (rma.commercial_partner_id, rma.company_id, warehouse, source, customers)
            by_route[key] |= rma
        for (partner, company, warehouse, source, customers), rmas in by_route.items():
            picking = self.env["stock.picking"].create(
                {
                    "partner_id": partner.id,
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": customers.id,
                    "origin": ", ".join(rmas.mapped("name")),
                    "company_id": company.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": rma.name,
                                "product_id": (rma.replacement_product_id or rma.product_id).id
                                if not send_back
                                else rma.product_id.id,
                                "product_uom_qty": rma.received_qty or rma.quantity,
                                "product_uom": rma.product_id.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": customers.id,
                                "warehouse_id": warehouse.id,
                                "aftersales_rma_id": rma.id,
                                # Goods sent back after a failed inspection are the
                                # customer's again: the order line counts them as
                                # delivered, so it offers no credit note for them.
                                "sale_line_id": rma.sale_line_id.id if send_back else False,
                                "company_id": company.id,
                            }
                        )
                        for rma in rmas
                    ],
                }
            )
            picking.action_confirm()
            rmas.write({"outgoing_picking_id": picking.id})
            if not send_back:
                rmas.write({"state": "replaced"})

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_inspection_passed(self):
        return self._wizard(
            "aftersales.rma.inspect.wizard", _("Inspection Passed"), {"default_passed": True}
        )

    def action_inspection_failed(self):
        return self._wizard(
            "aftersales.rma.inspect.wizard", _("Inspection Failed"), {"default_passed": False}
        )

    def action_open_close_wizard(self):
        return self._wizard("aftersales.rma.close.wizard", _("Refuse or Cancel"), {})

    def action_view_refund(self):
        self.ensure_one()
        return window_action("account.move", self.refund_move_id.id)

    def _wizard(self, model, name, context):
        self.ensure_one()
        return window_action(
            model, name=name, target="new", context=dict(context, default_rma_id=self.id)
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _missing_condition_labels(self):
        """The labels of the return conditions not ticked (P5.2)."""
        self.ensure_one()
        return [
            self._fields[fname].get_description(self.env)["string"]
            for fname in REFUND_CONDITIONS
            if not self[fname]
        ]

    def _check_supervisor(self):
        if not self.env.user.has_group("aftersales_service.group_aftersales_supervisor"):
            raise AccessError(_("Only service supervisors can approve this."))

    @api.model
    def _check_reason(self, reason):
        if not (reason or "").strip():
            raise UserError(_("Give the reason; it is kept in the record's history."))
