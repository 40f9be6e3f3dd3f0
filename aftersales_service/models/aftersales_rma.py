from collections import defaultdict
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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
        RMA_STATES, default="draft", required=True, tracking=True, index=True, copy=False
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
        help="When the customer received the goods (done delivery).",
    )
    request_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    ticket_id = fields.Many2one("aftersales.ticket", string="Service Request", check_company=True)
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
    window_override_reason = fields.Text(readonly=True, copy=False, tracking=True)
    condition_packaging = fields.Boolean(string="Original packaging intact")
    condition_accessories = fields.Boolean(string="Accessories and gifts included")
    condition_unused = fields.Boolean(string="Unused and undamaged")
    condition_proof = fields.Boolean(string="Proof of purchase")
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
    @api.depends("sale_line_id")
    def _compute_delivery(self):
        for rma in self:
            moves = rma.sale_line_id.move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
            )
            picking = moves.picking_id.sorted("date_done")[-1:]
            rma.picking_id = picking
            rma.delivered_on = picking.date_done and fields.Date.to_date(picking.date_done)

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

    @api.depends("sale_line_id", "quantity")
    def _compute_returnable_quantity(self):
        available = self._returnable_quantities()
        for rma in self:
            rma.returnable_quantity = available[rma]

    @api.depends("voucher_valid_until")
    def _compute_voucher_expired(self):
        today = fields.Date.context_today(self)
        for rma in self:
            rma.voucher_expired = bool(rma.voucher_valid_until and rma.voucher_valid_until < today)

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
        availability = self._returnable_quantities()
        for rma in self:
            if rma.quantity <= 0:
                raise ValidationError(_("%s: the quantity to return must be positive.", rma.name))
            available = availability[rma]
            if rma.quantity > available:
                raise ValidationError(
                    _(
                        "%(rma)s: %(qty)s x %(product)s cannot be returned: %(delivered)s "
                        "were delivered on %(order)s and %(other)s are already being "
                        "returned, so at most %(available)s can be.",
                        rma=rma.name,
                        qty=rma.quantity,
                        product=rma.product_id.display_name,
                        delivered=rma.sale_line_id.qty_delivered,
                        order=rma.sale_order_id.name,
                        other=rma.sale_line_id.qty_delivered - available,
                        available=available,
                    )
                )

    def _returnable_quantities(self):
        """{rma: delivered on its order line minus what the other open or done RMAs
        of that line return}, with one grouped query for the batch."""
        rmas = self.env["aftersales.rma"].sudo()
        taken = dict(
            rmas._read_group(
                [
                    ("sale_line_id", "in", self.sale_line_id.ids),
                    ("state", "not in", ("refused", "cancelled")),
                ],
                ["sale_line_id"],
                ["quantity:sum"],
            )
        )
        result = {}
        for rma in self:
            stored = rma._origin.sudo()
            own = stored.quantity if stored and stored.state not in ("refused", "cancelled") else 0
            others = taken.get(rma.sale_line_id._origin, 0.0) - own
            result[rma] = rma.sale_line_id.qty_delivered - others
        return result

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
        rmas = super().create(vals_list)
        for partner, partner_rmas in rmas.grouped("partner_id").items():
            partner_rmas.message_subscribe(partner.ids)
        return rmas

    # ------------------------------------------------------------------
    # SLA engine hooks: one phase at a time (P4.2, P5.3)
    # ------------------------------------------------------------------
    def _sla_start(self):
        if self.state == "inspected" and self.kind == "refund":
            return self.inspected_on
        if self.state in ("received", "inspected"):
            return self.received_on
        return fields.Datetime.to_datetime(self.request_date) or self.create_date

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
    def action_confirm(self):
        """Check the window and conditions, then authorise the return (refund) or
        issue the replacement voucher (exchange)."""
        for rma in self:
            if rma.state != "draft":
                raise UserError(_("%s is not a draft.", rma.name))
            rma._check_can_confirm()
        self._sla_mark_first_response(fields.Datetime.now())
        today = fields.Date.context_today(self)
        exchanges = self.filtered(lambda r: r.kind == "exchange")
        (self - exchanges).write({"state": "confirmed"})
        for company, rmas in exchanges.grouped("company_id").items():
            validity = timedelta(days=company.aftersales_voucher_validity_days)
            rmas.write({"state": "voucher", "voucher_valid_until": today + validity})
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
            if self.request_date > self.window_end and not self.window_override_reason:
                raise UserError(
                    _(
                        "%(rma)s is refused: returns are accepted within %(days)s days of "
                        "receiving the goods (P5.1). They were received on %(received)s, so "
                        "the last day was %(end)s; the request is of %(request)s. A supervisor "
                        "may accept it anyway with a reason.",
                        rma=self.name,
                        days=self.window_days,
                        received=self.delivered_on,
                        end=self.window_end,
                        request=self.request_date,
                    )
                )
            missing = [
                self._fields[fname].get_description(self.env)["string"]
                for fname in REFUND_CONDITIONS
                if not self[fname]
            ]
            if missing and not self.conditions_override_reason:
                raise UserError(
                    _(
                        "%(rma)s cannot be confirmed: not ticked: %(missing)s (P5.2). A "
                        "supervisor may accept it anyway with a reason.",
                        rma=self.name,
                        missing=", ".join(missing),
                    )
                )
        else:
            if not self.exchange_condition or not (self.evidence or "").strip():
                raise UserError(
                    _(
                        "%s: choose the exchange condition (P4.1) and describe the evidence.",
                        self.name,
                    )
                )

    def action_override_window(self, reason):
        """P5.1: a supervisor accepts a late return, with a reason (tracked)."""
        self._check_supervisor()
        self._check_reason(reason)
        self.write({"window_override_reason": reason.strip()})
        return True

    def action_override_conditions(self, reason):
        """P5.2: a supervisor accepts a return with conditions not met, with a reason."""
        self._check_supervisor()
        self._check_reason(reason)
        self.write({"conditions_override_reason": reason.strip()})
        return True

    def action_refuse(self, reason):
        self._check_reason(reason)
        self._close("refused", reason)
        return True

    def action_cancel(self, reason=None):
        reason = reason or _("Cancelled by the customer")
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
                        date=rma.voucher_valid_until,
                    )
                )
            by_partner[(rma.commercial_partner_id, rma.company_id)] |= rma
        pickings = self.env["stock.picking"]
        for (partner, company), rmas in by_partner.items():
            pickings |= rmas._create_incoming_picking(partner, company)
        return pickings

    def _create_incoming_picking(self, partner, company):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        picking_type = warehouse.in_type_id
        destination = company.aftersales_return_location_id or warehouse.lot_stock_id
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": picking_type.id,
                "location_id": customers.id,
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
                            "location_id": customers.id,
                            "location_dest_id": destination.id,
                            "origin_returned_move_id": rma.sale_line_id.move_ids.filtered(
                                lambda m: m.state == "done"
                            )[:1].id,
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

    def _on_goods_received(self):
        """Called when the return transfer is validated: the inspection clock starts."""
        now = fields.Datetime.now()
        waiting = self.filtered(lambda r: r.state in ("confirmed", "voucher"))
        waiting.write({"state": "received", "received_on": now})
        waiting._rma_enter_phase()

    # ------------------------------------------------------------------
    # Actions: inspection, refund, replacement
    # ------------------------------------------------------------------
    def action_inspect(self, passed, note=False):
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

    def action_create_credit_note(self):
        """P5.3: a draft credit note for the received quantity at the price actually
        paid (the original invoice line's price, discount and taxes, OCA/rma#289),
        one per customer and invoice for a batch; accountants post it."""
        for rma in self:
            if (
                rma.kind != "refund"
                or rma.state != "inspected"
                or rma.inspection_result != "passed"
            ):
                raise UserError(_("%s is not a return with a passed inspection.", rma.name))
        groups = defaultdict(lambda: self.browse())
        for rma in self:
            groups[(rma.commercial_partner_id, rma._original_invoice_line().move_id)] |= rma
        moves = self.env["account.move"]
        # RMA users prepare the credit note; only accounting users may post it (the
        # draft is created as superuser, posting keeps Odoo's own access rights).
        for (partner, invoice), rmas in groups.items():
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
                .sudo()
                .create(
                    {
                        "move_type": "out_refund",
                        "partner_id": partner.id,
                        "company_id": rmas.company_id.id,
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

    def action_approve_replacement(self, product):
        """P4.2: another product of the same value replaces, with a supervisor's
        approval."""
        self._check_supervisor()
        for rma in self:
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
        by_partner = defaultdict(lambda: self.browse())
        for rma in self:
            by_partner[(rma.commercial_partner_id, rma.company_id)] |= rma
        for (partner, company), rmas in by_partner.items():
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            source = company.aftersales_return_location_id if send_back else warehouse.lot_stock_id
            source = source or warehouse.lot_stock_id
            customers = self.env.ref("stock.stock_location_customers")
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
                                "aftersales_rma_id": rma.id,
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
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.refund_move_id.id,
            "view_mode": "form",
        }

    def _wizard(self, model, name, context):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": dict(context, default_rma_id=self.id),
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _check_supervisor(self):
        if not self.env.user.has_group("aftersales_service.group_aftersales_supervisor"):
            raise AccessError(_("Only service supervisors can approve this."))

    @api.model
    def _check_reason(self, reason):
        if not (reason or "").strip():
            raise UserError(_("Give the reason; it is kept in the record's history."))
