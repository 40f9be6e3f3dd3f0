from collections import defaultdict
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, format_date

from ..tools.actions import window_action
from ..tools.probes import probe_table, same_company
from ..tools.workflow import workflow_step
from .aftersales_contract import CoverageProbe
from .product_product import WarrantyProbe

SERVICE_TYPES = [
    ("paid", "Paid"),
    ("contract", "Contract"),
    ("free", "Free (Warranty)"),
]
REPAIR_MODES = [("on_site", "On Site"), ("workshop", "Carry-in / Workshop")]
PURCHASE_DATE_SOURCES = [
    ("delivery", "Delivery to the customer"),
    ("invoice", "Invoice of the sale"),
    ("ticket", "Date on the service request"),
]
PAYMENT_METHODS = [
    ("cash", "Cash"),
    ("card", "Bank Card"),
    ("wechat", "WeChat Pay"),
    ("alipay", "Alipay"),
    ("transfer", "Bank Transfer"),
]
QUOTE_ACCEPTANCES = [
    ("portal", "Signed on the Portal"),
    ("in_person", "Signed in Person"),
    ("phone", "By Phone"),
    ("email", "By E-mail"),
]


INSPECTION_CHECKS = (
    "aftersales_check_function",
    "aftersales_check_appearance",
    "aftersales_check_accessories",
)


class RepeatProbe(NamedTuple):
    """A question to ``repair.order._aftersales_repeat_of``: which done repair of
    this product (or serial) and fault does a repair of this customer, in this
    company, on this day, repeat?"""

    key: int
    company_id: int
    partner_id: int  # the customer's commercial entity
    product_id: int
    lot_id: int | bool
    fault_id: int
    own_id: int | bool  # the repair itself, once saved
    day: object


class RepairOrder(models.Model):
    """Odoo's repair order as the suite's repair service: who pays (P2.4, P3.6),
    dispatch and on-site work (P2.5, P2.6, P3.1), carry-in paperwork, quote,
    inspection and return (P2.7, P3.2-P3.5), invoicing, on the SLA clock (P2.9)."""

    _name = "repair.order"
    _inherit = ["repair.order", "aftersales.sla.mixin"]

    # ------------------------------------------------------------------
    # Fields: origin and mode
    # ------------------------------------------------------------------
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('commercial_partner_id', '=', aftersales_commercial_partner_id)] "
        "if partner_id else []",
        help="The customer's request this repair carries out; it is solved when the "
        "repair is done (and a carry-in product is back with the customer).",
    )
    aftersales_commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer Entity"
    )
    aftersales_team_id = fields.Many2one(
        "aftersales.team",
        string="Service Team",
        check_company=True,
        compute="_compute_aftersales_team_id",
        store=True,
        readonly=False,
    )
    aftersales_received_at = fields.Datetime(
        string="Requested At",
        compute="_compute_aftersales_received_at",
        store=True,
        readonly=False,
        help="When the customer asked for the repair (the service request's receipt); "
        "dispatch and workshop deadlines count from here.",
    )
    aftersales_repair_mode = fields.Selection(
        REPAIR_MODES, string="Repair Mode", default="workshop", required=True, tracking=True
    )
    aftersales_zone_id = fields.Many2one(
        "aftersales.zone",
        string="Service Zone",
        compute="_compute_aftersales_zone_id",
        store=True,
        readonly=False,
        help="Zone of the customer's address; it sets the arrival target.",
    )
    aftersales_fault_category_id = fields.Many2one(
        "aftersales.category",
        string="Fault Category",
        compute="_compute_aftersales_fault_category_id",
        store=True,
        readonly=False,
        domain="[('complaint_category', '=', False)]",
    )

    # ------------------------------------------------------------------
    # Fields: service type (P2.4, P3.6)
    # ------------------------------------------------------------------
    aftersales_service_type = fields.Selection(
        SERVICE_TYPES,
        string="Service Type",
        default="paid",
        required=True,
        tracking=True,
        index=True,
        help="Who pays: decided from warranty, repair warranty and contracts; "
        "a supervisor may override it with a reason.",
        readonly=True,
    )
    aftersales_service_type_reason = fields.Char(
        string="Why", readonly=True, copy=False, tracking=True
    )
    aftersales_type_overridden = fields.Boolean(string="Overridden", readonly=True, copy=False)
    aftersales_override_reason = fields.Text(
        string="Override Reason", readonly=True, copy=False, tracking=True
    )
    aftersales_purchase_date = fields.Date(string="Warranty Start", readonly=True, copy=False)
    aftersales_purchase_date_source = fields.Selection(
        PURCHASE_DATE_SOURCES, string="Warranty Start From", readonly=True, copy=False
    )
    aftersales_warranty_end = fields.Date(string="Warranty Until", readonly=True, copy=False)
    aftersales_previous_repair_id = fields.Many2one(
        "repair.order",
        string="Repeat Of",
        readonly=True,
        copy=False,
        help="The done repair of the same product and fault this one repeats.",
    )
    aftersales_contract_id = fields.Many2one(
        "aftersales.contract",
        string="Maintenance Contract",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The contract in force that covers the product or serial; its terms price the repair.",
    )
    aftersales_done_at = fields.Datetime(
        string="Repaired On",
        readonly=True,
        copy=False,
        help="When the repair was marked repaired; the repair warranty counts from here "
        "(or from the return of a carry-in product).",
    )
    aftersales_done_on = fields.Date(
        string="Completed On",
        compute="_compute_aftersales_done_on",
        store=True,
        index=True,
        help="The company's calendar day the job was completed: the day a done repair "
        "counts as a job of its responsible technician (daily reports, performance).",
    )
    aftersales_repair_warranty_end = fields.Date(
        string="Repair Warranty Until",
        compute="_compute_aftersales_repair_warranty_end",
        store=True,
        help="The same fault is repaired free of charge until this date.",
    )

    # ------------------------------------------------------------------
    # Fields: dispatch and on-site completion (P2.5, P2.6)
    # ------------------------------------------------------------------
    aftersales_planned_visit = fields.Datetime(string="Planned Visit", tracking=True, copy=False)
    aftersales_arrived_at = fields.Datetime(string="Arrived At", readonly=True, copy=False)
    aftersales_signature = fields.Binary(
        string="Customer Signature", copy=False, attachment=True, readonly=True
    )
    aftersales_signed_by = fields.Char(string="Signed By", copy=False, readonly=True)
    aftersales_signed_on = fields.Datetime(string="Signed On", readonly=True, copy=False)
    aftersales_signature_user_id = fields.Many2one(
        "res.users",
        string="Signature Recorded By",
        readonly=True,
        copy=False,
        help="Who had the customer sign on the device.",
    )
    aftersales_paid_on_site = fields.Boolean(string="Paid on Site", copy=False, tracking=True)
    aftersales_payment_method = fields.Selection(
        PAYMENT_METHODS, string="Payment Method", copy=False
    )

    # ------------------------------------------------------------------
    # Fields: workshop (P2.7, P3.2-P3.4)
    # ------------------------------------------------------------------
    aftersales_goods_receipt_ids = fields.One2many(
        "aftersales.goods.receipt", "repair_id", string="Goods Receipts"
    )
    aftersales_quote_accepted_on = fields.Datetime(
        string="Quote Accepted On", copy=False, tracking=True, readonly=True
    )
    aftersales_quote_accepted_by = fields.Char(
        string="Quote Accepted By", copy=False, readonly=True
    )
    aftersales_quote_acceptance = fields.Selection(
        QUOTE_ACCEPTANCES, string="Accepted How", copy=False, readonly=True
    )
    aftersales_quote_state = fields.Selection(
        [
            ("not_needed", "Not Needed"),
            ("waiting", "Waiting for the Customer"),
            ("accepted", "Accepted"),
        ],
        string="Quote",
        compute="_compute_aftersales_quote_state",
        help="A chargeable workshop repair starts only once the customer accepted the quote.",
    )
    aftersales_has_substitute_parts = fields.Boolean(
        compute="_compute_aftersales_has_substitute_parts"
    )
    aftersales_substitute_consent_on = fields.Datetime(
        string="Substitute Parts Consent",
        copy=False,
        tracking=True,
        help="When the customer agreed to non-original parts.",
        readonly=True,
    )
    aftersales_substitute_consent_how = fields.Char(
        string="Consent Given How", copy=False, readonly=True
    )
    aftersales_check_function = fields.Boolean(
        string="Function Test Passed", copy=False, readonly=True
    )
    aftersales_check_appearance = fields.Boolean(
        string="Appearance Checked", copy=False, readonly=True
    )
    aftersales_check_accessories = fields.Boolean(
        string="Accessories Complete", copy=False, readonly=True
    )
    aftersales_inspection_note = fields.Text(string="Inspection Notes", copy=False, readonly=True)
    aftersales_inspector_id = fields.Many2one(
        "res.users", string="Inspected By", readonly=True, copy=False
    )
    aftersales_inspected_on = fields.Datetime(string="Inspected On", readonly=True, copy=False)
    aftersales_returned_on = fields.Datetime(string="Returned On", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Fields: labour and invoicing
    # ------------------------------------------------------------------
    aftersales_work_entry_ids = fields.One2many(
        "aftersales.work.entry", "repair_id", string="Work Entries"
    )
    aftersales_labour_hours = fields.Float(
        string="Repair Time (h)", compute="_compute_aftersales_labour_hours", store=True
    )
    aftersales_currency_id = fields.Many2one(related="company_id.currency_id")
    aftersales_amount_untaxed = fields.Monetary(
        string="Untaxed Amount",
        currency_field="aftersales_currency_id",
        compute="_compute_aftersales_amount",
        help="Parts and chargeable labour at the prices the service type gives, before taxes.",
    )
    aftersales_amount_tax = fields.Monetary(
        string="Taxes",
        currency_field="aftersales_currency_id",
        compute="_compute_aftersales_amount",
    )
    aftersales_amount = fields.Monetary(
        string="Amount Due",
        currency_field="aftersales_currency_id",
        compute="_compute_aftersales_amount",
        help="What the customer pays, taxes included: the invoice's total once invoiced, "
        "before that the parts and chargeable labour with the taxes the invoice will apply.",
    )
    aftersales_invoice_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, copy=False
    )
    aftersales_payment_state = fields.Selection(
        related="aftersales_invoice_id.payment_state", string="Payment"
    )
    aftersales_to_invoice = fields.Boolean(
        string="To Invoice",
        compute="_compute_aftersales_to_invoice",
        store=True,
        index=True,
        help="Done, chargeable, not paid on site and not invoiced yet.",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("ticket_id")
    def _compute_aftersales_team_id(self):
        # The default team depends on the user and company only: looked up once.
        default_team = None
        for repair in self:
            if repair.ticket_id.team_id:
                repair.aftersales_team_id = repair.ticket_id.team_id
            elif not repair.aftersales_team_id:
                if default_team is None:
                    default_team = self.env["aftersales.ticket"]._default_team_id()
                repair.aftersales_team_id = default_team

    @api.depends("ticket_id.received_at")
    def _compute_aftersales_received_at(self):
        for repair in self:
            repair.aftersales_received_at = (
                repair.ticket_id.received_at
                or repair.aftersales_received_at
                or fields.Datetime.now()
            )

    @api.depends("partner_id")
    def _compute_aftersales_zone_id(self):
        for repair in self:
            partner = repair.partner_id
            repair.aftersales_zone_id = (
                partner.aftersales_zone_id or partner.commercial_partner_id.aftersales_zone_id
            )

    @api.depends("ticket_id.category_id")
    def _compute_aftersales_fault_category_id(self):
        for repair in self:
            if repair.ticket_id.category_id and not repair.ticket_id.category_id.complaint_category:
                repair.aftersales_fault_category_id = repair.ticket_id.category_id

    @api.depends("aftersales_done_at", "aftersales_returned_on")
    def _compute_aftersales_repair_warranty_end(self):
        """P3.6: the repair warranty runs from the company's calendar day the repair
        was completed (the carry-in product's return, else the end of the job), never
        from a later edit of the record."""
        for repair in self:
            company = repair.company_id
            done_on = company._aftersales_local_date(
                repair.aftersales_returned_on or repair.aftersales_done_at
            )
            repair.aftersales_repair_warranty_end = (
                done_on + relativedelta(months=company.aftersales_repair_warranty_months)
                if done_on
                else False
            )

    @api.depends("state", "aftersales_done_at", "sla_solved_at")
    def _compute_aftersales_done_on(self):
        """P9.1: a job is done on the company's calendar day its repair was marked
        done (the end of the on-site job or of the workshop repair), not the UTC date."""
        for repair in self:
            repair.aftersales_done_on = (
                repair.company_id._aftersales_local_date(
                    repair.aftersales_done_at or repair.sla_solved_at
                )
                if repair.state == "done"
                else False
            )

    @api.depends(
        "aftersales_service_type",
        "aftersales_repair_mode",
        "aftersales_quote_accepted_on",
        "sale_order_id.state",
    )
    def _compute_aftersales_quote_state(self):
        for repair in self:
            if (
                repair.aftersales_repair_mode != "workshop"
                or repair.aftersales_service_type == "free"
            ):
                repair.aftersales_quote_state = "not_needed"
            elif repair.aftersales_quote_accepted_on or repair.sale_order_id.state == "sale":
                repair.aftersales_quote_state = "accepted"
            else:
                repair.aftersales_quote_state = "waiting"

    @api.depends("move_ids.aftersales_substitute")
    def _compute_aftersales_has_substitute_parts(self):
        for repair in self:
            repair.aftersales_has_substitute_parts = any(
                m.aftersales_substitute and m.repair_line_type == "add" for m in repair.move_ids
            )

    @api.depends("aftersales_work_entry_ids.hours")
    def _compute_aftersales_labour_hours(self):
        for repair in self:
            repair.aftersales_labour_hours = sum(repair.aftersales_work_entry_ids.mapped("hours"))

    @api.depends(
        "aftersales_service_type",
        "partner_id",
        "move_ids.product_uom_qty",
        "move_ids.quantity",
        "aftersales_work_entry_ids.hours",
        "aftersales_work_entry_ids.chargeable",
        "aftersales_invoice_id.amount_total",
        "sale_order_id.invoice_ids.amount_total",
        "sale_order_id.invoice_ids.state",
    )
    def _compute_aftersales_amount(self):
        for repair in self:
            untaxed, tax = repair._aftersales_amounts()
            repair.aftersales_amount_untaxed = untaxed
            repair.aftersales_amount_tax = tax
            repair.aftersales_amount = untaxed + tax

    @api.depends(
        "state",
        "aftersales_service_type",
        "aftersales_paid_on_site",
        "aftersales_invoice_id",
        "sale_order_id.invoice_status",
    )
    def _compute_aftersales_to_invoice(self):
        """Only what truly remains to invoice: a repair billed by its sale order is
        to invoice while that order has something to invoice, whoever invoices it."""
        for repair in self:
            order = repair.sale_order_id
            repair.aftersales_to_invoice = (
                repair.state == "done"
                and repair.aftersales_service_type in ("paid", "contract")
                and not repair.aftersales_paid_on_site
                and not repair.aftersales_invoice_id
                and (not order or order.invoice_status == "to invoice")
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("user_id", "product_id")
    def _check_technician_qualified(self):
        """P3.1: only technicians certified for the product's category are assigned."""
        assigned = self.filtered(lambda r: r.user_id and r.product_id)
        unqualified = self.env["aftersales.certification"]._unqualified(
            [(r.user_id, r.product_id, r.company_id) for r in assigned]
        )
        if unqualified:
            repair = assigned[min(unqualified)]
            raise ValidationError(
                _(
                    "%(user)s is not certified for %(category)s products and cannot be "
                    "assigned to repair %(product)s. Assign a qualified "
                    "technician, or record the certification in After-Sales > "
                    "Configuration > Certifications.",
                    user=repair.user_id.name,
                    category=repair.product_id.categ_id.display_name,
                    product=repair.product_id.display_name,
                )
            )

    @api.constrains("aftersales_paid_on_site", "aftersales_payment_method")
    def _check_payment_method(self):
        for repair in self:
            if repair.aftersales_paid_on_site and not repair.aftersales_payment_method:
                raise ValidationError(
                    _("%s was paid on site: record how the customer paid.", repair.name)
                )

    @api.onchange("product_id", "company_id")
    def _onchange_product_id_aftersales_technician(self):
        """P3.1: the form does not propose a responsible who may not repair the
        product: dispatch assigns a certified technician."""
        Certification = self.env["aftersales.certification"]
        if (
            self.user_id
            and self.product_id
            and not Certification._is_qualified(self.user_id, self.product_id, self.company_id)
        ):
            self.user_id = False

    @api.onchange("product_id", "lot_id", "partner_id", "aftersales_fault_category_id", "ticket_id")
    def _onchange_aftersales_service_type(self):
        """P2.4: the form shows who pays for what it holds now, before it is saved
        (saving decides again and notes a change in the chatter)."""
        repairs = self.filtered(
            lambda r: not r.aftersales_type_overridden and r.state in ("draft", "confirmed")
        )
        for repair, decision in repairs._aftersales_decide_service_type().items():
            repair.update(repair._aftersales_decision_values(decision))

    # ------------------------------------------------------------------
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """Who pays (the decision and the supervisor's override), the on-site and workshop steps
        (signature P2.6, quote P3.3, consent P3.2, inspection P3.4, return P2.7) and the invoice
        are set by their steps only: a written service type would make a paid repair free, a
        written check would pass an inspection nobody made."""
        return dict(
            super()._aftersales_workflow_fields(),
            aftersales_service_type=None,
            aftersales_service_type_reason=None,
            aftersales_type_overridden=None,
            aftersales_override_reason=None,
            aftersales_purchase_date=None,
            aftersales_purchase_date_source=None,
            aftersales_warranty_end=None,
            aftersales_previous_repair_id=None,
            aftersales_contract_id=None,
            aftersales_repair_warranty_end=None,
            aftersales_done_at=None,
            aftersales_done_on=None,
            aftersales_arrived_at=None,
            aftersales_signature=None,
            aftersales_signed_by=None,
            aftersales_signed_on=None,
            aftersales_signature_user_id=None,
            aftersales_quote_accepted_on=None,
            aftersales_quote_accepted_by=None,
            aftersales_quote_acceptance=None,
            aftersales_substitute_consent_on=None,
            aftersales_substitute_consent_how=None,
            **dict.fromkeys(INSPECTION_CHECKS),
            aftersales_inspection_note=None,
            aftersales_inspector_id=None,
            aftersales_inspected_on=None,
            aftersales_returned_on=None,
            aftersales_invoice_id=None,
            under_warranty=None,
        )

    @api.model
    def _aftersales_user_links(self):
        return (
            *super()._aftersales_user_links(),
            "ticket_id",
            "lot_id",
            "sale_order_id",
        )

    def _aftersales_guarded_fields(self, vals):
        """Odoo's own steps move a repair through its states; only starting the work
        (after the quote, P3.3) and finishing it (after the inspection, P3.4) are
        gated, so a written state may not skip them."""
        guarded = super()._aftersales_guarded_fields(vals)
        if vals.get("state") in ("under_repair", "done"):
            guarded["state"] = None
        return guarded

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # Odoo makes the creator responsible by default (the form sends that default
        # too); an agent registering the repair is not necessarily certified for it
        # (P3.1): leave it to dispatch instead of refusing the repair. Another user
        # named explicitly is checked as usual. One certification query for the batch.
        own = [vals for vals in vals_list if vals.get("user_id", self.env.uid) == self.env.uid]
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in own if vals.get("product_id")}
        )
        unqualified = self.env["aftersales.certification"]._unqualified(
            [
                (
                    self.env.user,
                    products.browse(vals.get("product_id")).with_prefetch(products._ids),
                    self.env["res.company"].browse(vals.get("company_id")) or self.env.company,
                )
                for vals in own
            ]
        )
        for index, vals in enumerate(own):
            vals["user_id"] = False if index in unqualified else self.env.uid
        repairs = super().create(vals_list)
        repairs._aftersales_apply_service_type()
        return repairs

    @api.ondelete(at_uninstall=False)
    def _unlink_except_aftersales_feedback(self):
        """P8.3: a repair whose customer was asked for feedback is history."""
        # sudo(): the guard counts feedback the user may not read.
        asked = (
            self.env["aftersales.feedback"]
            .sudo()
            ._read_group([("repair_id", "in", self.ids)], ["repair_id"], ["__count"])
        )
        if asked:
            raise UserError(
                _(
                    "%s has feedback from the customer and stays in the service history: "
                    "cancel the repair instead of deleting it.",
                    ", ".join(repair.name for repair, _count in asked),
                )
            )

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "done" or vals.get("aftersales_returned_on"):
            self._aftersales_tell_ticket()
        if vals.keys() & {
            "product_id",
            "lot_id",
            "partner_id",
            "aftersales_fault_category_id",
            "ticket_id",
        }:
            self.filtered(
                lambda r: r.state in ("draft", "confirmed")
            )._aftersales_apply_service_type()
        return result

    # ------------------------------------------------------------------
    # The service request follows its repair (issue 15): its customer's request only,
    # and a finished repair tells it (aftersales.ticket._aftersales_follow_case).
    # ------------------------------------------------------------------
    @api.constrains("ticket_id", "partner_id")
    def _check_aftersales_ticket_customer(self):
        """P2.2: a repair carries out a request of its own customer."""
        for repair in self.filtered(lambda r: r.ticket_id and r.partner_id):
            # sudo(): the request's customer, whoever may read the request.
            ticket = repair.ticket_id.sudo()
            entity = ticket.commercial_partner_id
            if entity and entity != repair.partner_id.commercial_partner_id:
                raise ValidationError(
                    _(
                        "%(repair)s is a repair for %(customer)s, but service request "
                        "%(ticket)s is %(other)s's. Link a request of %(customer)s.",
                        repair=repair.name,
                        customer=repair.partner_id.commercial_partner_id.display_name,
                        ticket=ticket.name,
                        other=entity.display_name,
                    )
                )

    def _aftersales_tell_ticket(self):
        """P2.8: the repair is done (a carry-in product back with its customer): its
        request follows, as a system step."""
        linked = self.filtered("ticket_id")
        if linked:
            self.env["aftersales.ticket"]._aftersales_follow_case(linked)

    # ------------------------------------------------------------------
    # SLA engine hooks (aftersales.sla.mixin)
    # ------------------------------------------------------------------
    def _sla_start(self):
        return self.aftersales_received_at or self.create_date

    def _sla_criteria(self):
        ticket = self.ticket_id
        return {
            "ticket_type": ticket.ticket_type or "service",
            "channel": ticket.channel,
            "priority": ticket.priority or ("2" if self.priority == "1" else "1"),
            "tier_id": self.partner_id.commercial_partner_id.with_company(self.company_id)
            .sudo()
            .aftersales_tier_id,
            "team_id": self.aftersales_team_id,
        }

    def _sla_team(self):
        return self.aftersales_team_id

    def _sla_customer(self):
        return self.partner_id.commercial_partner_id

    def _sla_is_done(self):
        return self.state in ("done", "cancel")

    @api.model
    def _sla_open_domain(self):
        return [("state", "not in", ("done", "cancel")), ("company_id", "=", self.env.company.id)]

    @api.model
    def _sla_trigger_fields(self):
        return {
            "aftersales_repair_mode",
            "aftersales_zone_id",
            "ticket_id",
            "aftersales_received_at",
            "aftersales_team_id",
        }

    @api.model
    def _sla_state_fields(self):
        return {"state"}

    def _sla_targets(self, policy):
        """P2.5: on site, the technician arrives within the zone's target (6 h city,
        7 h suburb); P3.5: a workshop repair is done within 5 working days of the
        request. A matching repair policy sets the rest."""
        self.ensure_one()
        response, resolution = super()._sla_targets(policy)
        calendar_day = (
            policy.calendar_id
            or self.aftersales_team_id.resource_calendar_id
            or self.company_id.resource_calendar_id
        ).hours_per_day or 8.0
        if self.aftersales_repair_mode == "on_site" and self.aftersales_zone_id:
            response = self.aftersales_zone_id.arrival_hours
        if self.aftersales_repair_mode == "workshop" and not policy:
            resolution = self.company_id.aftersales_workshop_days * calendar_day
        return response, max(resolution, response)

    # ------------------------------------------------------------------
    # Actions: service type
    # ------------------------------------------------------------------
    def action_aftersales_open_override_wizard(self):
        """Button: the override asks for the new type and the reason (P2.4)."""
        self.ensure_one()
        self._aftersales_check_supervisor(
            _("Only service supervisors can override the service type.")
        )
        return self._aftersales_wizard_action(
            "aftersales.repair.override.wizard", _("Override the Service Type")
        )

    @workflow_step
    def _aftersales_override_service_type(self, service_type, reason):
        """P2.4: a supervisor overrides the decided type, with a reason (tracked)."""
        self._aftersales_check_supervisor(
            _("Only service supervisors can override the service type.")
        )
        if service_type not in dict(SERVICE_TYPES):
            raise UserError(_("Unknown service type %s.", service_type))
        if not reason or not reason.strip():
            raise UserError(
                _(
                    "Give the reason for overriding the service type of %s.",
                    ", ".join(self.mapped("name")),
                )
            )
        self.write(
            {
                "aftersales_service_type": service_type,
                "aftersales_type_overridden": True,
                "aftersales_override_reason": reason.strip(),
                "under_warranty": service_type == "free",
            }
        )
        for repair in self:
            repair.message_post(
                body=_(
                    "Service type overridden to %(type)s by %(user)s: %(reason)s",
                    type=dict(SERVICE_TYPES)[service_type],
                    user=self.env.user.name,
                    reason=reason.strip(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @workflow_step
    def action_aftersales_decide_service_type(self):
        """Decide again. Dropping an override is the supervisors' call (P2.4): a
        technician deciding again would undo their decision."""
        if any(self.mapped("aftersales_type_overridden")):
            self._aftersales_check_supervisor(
                _("Only service supervisors can drop an override of the service type.")
            )
        self.write({"aftersales_type_overridden": False, "aftersales_override_reason": False})
        self._aftersales_apply_service_type()
        return True

    # ------------------------------------------------------------------
    # Actions: dispatch and on-site work (P2.5, P2.6)
    # ------------------------------------------------------------------
    @workflow_step
    def action_aftersales_arrive(self):
        """P2.5: the technician is on site (the repair's first response)."""
        now = fields.Datetime.now()
        for repair in self:
            if repair.aftersales_repair_mode != "on_site":
                raise UserError(_("%s is a workshop repair: nobody travels.", repair.name))
            repair.aftersales_arrived_at = now
        self._sla_mark_first_response(now)
        return True

    def action_aftersales_open_completion_wizard(self):
        """Button "End Repair" of an on-site job: the customer signs first (P2.6)."""
        self.ensure_one()
        self._aftersales_check_staff()
        if self.aftersales_repair_mode != "on_site" or self.state != "under_repair":
            raise UserError(_("Only an on-site job under repair is completed on site."))
        return self._aftersales_wizard_action(
            "aftersales.repair.completion.wizard", _("Complete the Job on Site")
        )

    @workflow_step
    def _aftersales_sign(self, signature, signed_by):
        """P2.6: the customer signs the service voucher when the job is done on site;
        who signed, when, and who had them sign are recorded with the signature."""
        self.ensure_one()
        self._aftersales_check_staff()
        if self.aftersales_repair_mode != "on_site":
            raise UserError(
                _(
                    "%s is a workshop repair: the customer signs when the product is returned.",
                    self.name,
                )
            )
        if self.state in ("done", "cancel"):
            raise UserError(_("%s is closed: it can no longer be signed.", self.name))
        if not signature or not (signed_by or "").strip():
            raise UserError(_("The signature and the signer's name are both needed."))
        self.write(
            {
                "aftersales_signature": signature,
                "aftersales_signed_by": signed_by.strip(),
                "aftersales_signed_on": fields.Datetime.now(),
                "aftersales_signature_user_id": self.env.user.id,
            }
        )
        return True

    # ------------------------------------------------------------------
    # Actions: workshop (P2.7, P3.2-P3.4)
    # ------------------------------------------------------------------
    def action_aftersales_open_receipt_wizard(self):
        """Button "Take the Product": the receipt asks for accessories and condition."""
        self.ensure_one()
        self._aftersales_check_staff()
        return self._aftersales_wizard_action(
            "aftersales.repair.receipt.wizard", _("Take the Product")
        )

    def _aftersales_receive_goods(self, accessories=False, condition=False):
        """P2.7: the technician takes the product and gives the customer a receipt
        (accessories and condition are noted on it); the repair is a carry-in one."""
        self._aftersales_check_staff()
        receipts = self.env["aftersales.goods.receipt"]
        for repair in self:
            if repair.state in ("done", "cancel"):
                raise UserError(_("%s is closed: there is no product to take.", repair.name))
            if repair.aftersales_goods_receipt_ids.filtered(lambda r: r.state == "received"):
                raise UserError(_("The product of %s is already in our hands.", repair.name))
            receipts |= receipts.create(
                {"repair_id": repair.id, "accessories": accessories, "condition": condition}
            )
        self.write({"aftersales_repair_mode": "workshop"})
        return receipts

    def action_aftersales_open_quote_wizard(self):
        """Button "Quote Accepted": asks who accepted and how (P3.3)."""
        self.ensure_one()
        self._aftersales_check_staff()
        return self._aftersales_wizard_action(
            "aftersales.repair.quote.wizard", _("Quote Accepted by the Customer")
        )

    @workflow_step
    def _aftersales_accept_quote(self, accepted_by, how):
        """P3.3: the customer accepted the quote (recorded by staff): the amount,
        who and how go to the chatter."""
        self._aftersales_check_staff()
        if how not in dict(QUOTE_ACCEPTANCES):
            raise UserError(_("Say how the customer accepted the quote."))
        if not (accepted_by or "").strip():
            raise UserError(_("Record who accepted the quote."))
        for repair in self:
            if repair.aftersales_quote_state != "waiting":
                raise UserError(_("%s has no quote waiting for the customer.", repair.name))
        self.write(
            {
                "aftersales_quote_accepted_on": fields.Datetime.now(),
                "aftersales_quote_accepted_by": accepted_by.strip(),
                "aftersales_quote_acceptance": how,
            }
        )
        for repair in self:
            repair.message_post(
                body=_(
                    "Quote of %(amount)s accepted by %(who)s (%(how)s), recorded by %(user)s.",
                    amount=format_amount(
                        self.env, repair.aftersales_amount, repair.aftersales_currency_id
                    ),
                    who=accepted_by.strip(),
                    how=dict(QUOTE_ACCEPTANCES)[how],
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_aftersales_open_consent_wizard(self):
        """Button "Consent to Substitute Parts": asks how the customer agreed (P3.2)."""
        self.ensure_one()
        self._aftersales_check_staff()
        return self._aftersales_wizard_action(
            "aftersales.repair.consent.wizard", _("Consent to Substitute Parts")
        )

    @workflow_step
    def _aftersales_record_substitute_consent(self, how):
        """P3.2: the customer agreed to non-original parts."""
        self._aftersales_check_staff()
        if not (how or "").strip():
            raise UserError(_("Record how the customer gave consent to substitute parts."))
        self.write(
            {
                "aftersales_substitute_consent_on": fields.Datetime.now(),
                "aftersales_substitute_consent_how": how.strip(),
            }
        )
        return True

    @workflow_step
    def action_repair_start(self):
        """P3.2, P3.3: no chargeable workshop repair starts without an accepted quote;
        substitute parts need the customer's consent."""
        for repair in self:
            repair._aftersales_check_can_start()
        result = super().action_repair_start()
        self.filtered(lambda r: r.aftersales_repair_mode == "workshop")._sla_mark_first_response()
        return result

    def _aftersales_check_can_start(self):
        self.ensure_one()
        if self.aftersales_quote_state == "waiting":
            raise UserError(
                _(
                    "%(repair)s is a %(type)s workshop repair: the customer must accept the "
                    "quote before work starts. Send the quotation for signature on the "
                    "portal, or record the acceptance.",
                    repair=self.name,
                    type=dict(SERVICE_TYPES)[self.aftersales_service_type].lower(),
                )
            )
        if self.aftersales_has_substitute_parts and not self.aftersales_substitute_consent_on:
            raise UserError(
                _(
                    "%s uses non-original parts: record the customer's consent first.",
                    self.name,
                )
            )

    def action_aftersales_open_inspection_wizard(self):
        """Button "Inspect": the supervisor ticks the checks and notes the result (P3.4)."""
        self.ensure_one()
        self._aftersales_check_supervisor(_("The inspection is done by a service supervisor."))
        if self.state != "under_repair" or self.aftersales_repair_mode != "workshop":
            raise UserError(_("Only a workshop repair under repair is inspected."))
        return self._aftersales_wizard_action(
            "aftersales.repair.inspect.wizard", _("Inspect the Repair")
        )

    @workflow_step
    def _aftersales_inspect(self, note=False, checks=None):
        """P3.4: the supervisor's inspection after the function test; ``checks``
        ({check field: bool}) are the ones ticked in the inspection dialog."""
        self._aftersales_check_supervisor(_("The inspection is done by a service supervisor."))
        if checks:
            self.write({fname: bool(checks[fname]) for fname in INSPECTION_CHECKS & checks.keys()})
        for repair in self:
            missing = [
                repair._fields[fname].get_description(self.env)["string"]
                for fname in INSPECTION_CHECKS
                if not repair[fname]
            ]
            if missing:
                raise UserError(
                    _(
                        "%(repair)s cannot pass inspection: %(missing)s not checked.",
                        repair=repair.name,
                        missing=", ".join(missing),
                    )
                )
        self.write(
            {
                "aftersales_inspector_id": self.env.user.id,
                "aftersales_inspected_on": fields.Datetime.now(),
                "aftersales_inspection_note": note or False,
            }
        )
        return True

    @workflow_step
    def action_repair_done(self):
        """P3.4: a workshop repair is done only after the supervisor's inspection;
        P2.6: an on-site job only once the customer signed the voucher."""
        for repair in self:
            if repair.aftersales_repair_mode == "workshop" and not repair.aftersales_inspected_on:
                raise UserError(
                    _(
                        "%s must pass the function test and the supervisor's inspection before "
                        "it is marked repaired.",
                        repair.name,
                    )
                )
            if repair.aftersales_repair_mode == "on_site" and not repair.aftersales_signed_on:
                raise UserError(
                    _(
                        "%s is an on-site job: the customer signs the service voucher before "
                        "it ends (End Repair asks for the signature).",
                        repair.name,
                    )
                )
        result = super().action_repair_done()
        done = self.filtered(lambda r: r.state == "done")
        done.filtered(lambda r: not r.aftersales_done_at).write(
            {"aftersales_done_at": fields.Datetime.now()}
        )
        done._aftersales_sync_sale_order_labour()
        return result

    def action_aftersales_open_return_wizard(self):
        """Button "Return to Customer": the customer signs for the product (P2.7)."""
        self.ensure_one()
        self._aftersales_check_staff()
        return self._aftersales_wizard_action(
            "aftersales.repair.return.wizard", _("Return to the Customer")
        )

    @workflow_step
    def _aftersales_return(self, signature, signed_by):
        """P2.7, P3.4: the product goes back to the customer, who signs; the goods
        receipt becomes void."""
        self.ensure_one()
        self._aftersales_check_staff()
        if self.state != "done":
            raise UserError(_("%s is not repaired yet: it cannot be returned.", self.name))
        if self.aftersales_returned_on:
            raise UserError(_("The product of %s was already returned.", self.name))
        if not signature or not (signed_by or "").strip():
            raise UserError(
                _("The customer signs for the returned product: signature and name are needed.")
            )
        self.aftersales_goods_receipt_ids.filtered(lambda r: r.state == "received")._mark_returned(
            signature, signed_by.strip()
        )
        self.aftersales_returned_on = fields.Datetime.now()
        return True

    # ------------------------------------------------------------------
    # Actions: helpers
    # ------------------------------------------------------------------
    def _aftersales_wizard_action(self, model, name):
        return window_action(model, name=name, target="new", context={"default_repair_id": self.id})

    def _aftersales_check_staff(self):
        """The repair's steps are the service team's: technicians and up."""
        if not self.env.user.has_group("aftersales_service.group_aftersales_user"):
            raise AccessError(_("Only the after-sales service team takes this step."))

    def _aftersales_check_supervisor(self, message):
        if not self.env.user.has_group("aftersales_service.group_aftersales_supervisor"):
            raise AccessError(message)

    # ------------------------------------------------------------------
    # Actions: invoicing
    # ------------------------------------------------------------------
    # One repair, one invoicing path. A repair with a sale order (the quotation the
    # customer accepted, P3.3: Odoo's own repair flow) is invoiced through that
    # order only, parts and chargeable labour included; a repair without one is
    # invoiced from the repair itself. A directly invoiced repair gets no quotation
    # afterwards, and the repair's invoice button invoices the order when there is
    # one, so nothing can be billed twice.
    def action_create_sale_order(self):
        """P2.4, P3.3: the repair's quotation follows the service type: free lines
        at 0 (Odoo's warranty flag), contract parts at the contract's discount; the
        chargeable labour already logged is quoted too."""
        for repair in self:
            if repair.aftersales_invoice_id:
                raise UserError(
                    _(
                        "%(repair)s is already invoiced (%(invoice)s): it needs no quotation.",
                        repair=repair.name,
                        invoice=repair.aftersales_invoice_id.name,
                    )
                )
        action = super().action_create_sale_order()
        for repair in self.filtered(lambda r: r.aftersales_service_type == "contract"):
            discount = repair._aftersales_pricing_terms()["parts_discount"]
            if discount:
                repair.sale_order_id.order_line.filtered(
                    lambda line: line.product_id.type != "service"
                ).discount = discount
        self._aftersales_sync_sale_order_labour()
        return action

    def _aftersales_sync_sale_order_labour(self):
        """The sale order bills the chargeable labour logged on the repair: one line
        per labour product whose quantity follows the hours (at 0 for free service
        or free contract labour)."""
        for repair in self.filtered(lambda r: r.sale_order_id.state in ("draft", "sent", "sale")):
            # The system keeps the order in line with the repair: technicians who
            # log and finish the work have no rights on sale orders.
            order = repair.sale_order_id.sudo()
            if order.locked:
                continue
            labour = repair._aftersales_labour_lines()
            lines = order.order_line.filtered("aftersales_repair_labour")
            commands = []
            for values in labour:
                line = lines.filtered(lambda ol, v=values: ol.product_id.id == v["product_id"])[:1]
                lines -= line
                if line:
                    if line.product_uom_qty != values["quantity"]:
                        commands.append(
                            Command.update(line.id, {"product_uom_qty": values["quantity"]})
                        )
                    continue
                commands.append(
                    Command.create(
                        {
                            "product_id": values["product_id"],
                            "name": values["name"],
                            "product_uom_qty": values["quantity"],
                            "product_uom": values["product_uom_id"],
                            "price_unit": values["price_unit"],
                            "aftersales_repair_labour": True,
                        }
                    )
                )
            commands += [Command.update(line.id, {"product_uom_qty": 0.0}) for line in lines]
            if commands:
                order.write({"order_line": commands})

    def action_aftersales_view_invoice(self):
        self.ensure_one()
        return window_action("account.move", self.aftersales_invoice_id.id)

    @workflow_step
    def action_aftersales_create_invoice(self):
        """One customer invoice per done chargeable repair, its lines and itself
        referencing the repair; free repairs are never invoiced."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(_("Only accounting users create invoices from repairs."))
        # What follows reads the repairs as superuser: only ones the accountant may see.
        self.check_access("read")
        invoices = self.env["account.move"]
        # The accountant invoices what the repair holds (parts moves, labour) without
        # the right to edit repairs: the repair side is read and linked as superuser,
        # the invoice itself is created under the accountant's own rights.
        for repair in self.sudo():
            repair._aftersales_check_invoiceable()
            if repair.sale_order_id:
                invoice = repair._aftersales_invoice_sale_order()
            else:
                invoice = self.env["account.move"].create(repair._aftersales_prepare_invoice())
            repair.aftersales_invoice_id = invoice
            repair.message_post(
                body=_("Invoice %s created.", invoice._get_html_link()),
                subtype_xmlid="mail.mt_note",
            )
            invoices |= invoice
        if len(invoices) == 1:
            return window_action("account.move", invoices.id)
        return window_action(
            "account.move", domain=[("id", "in", invoices.ids)], view_mode="list,form"
        )

    def _aftersales_check_invoiceable(self):
        self.ensure_one()
        if self.aftersales_service_type == "free":
            raise UserError(_("%s is a free warranty repair: it is never invoiced.", self.name))
        if self.aftersales_invoice_id:
            raise UserError(
                _(
                    "%(repair)s is already invoiced (%(invoice)s).",
                    repair=self.name,
                    invoice=self.aftersales_invoice_id.name,
                )
            )
        if self.state != "done":
            raise UserError(_("%s is not repaired yet: invoice it once done.", self.name))
        if self.aftersales_paid_on_site:
            raise UserError(_("%s was paid on site.", self.name))
        if not self.partner_id:
            raise UserError(_("%s has no customer to invoice.", self.name))
        order = self.sale_order_id
        if order and order.state != "sale":
            raise UserError(
                _(
                    "%(repair)s is billed by quotation %(order)s, which the customer has "
                    "not accepted yet: confirm the quotation first.",
                    repair=self.name,
                    order=order.name,
                )
            )
        if order and order.invoice_status != "to invoice":
            raise UserError(
                _(
                    "%(repair)s is billed by sale order %(order)s, which has nothing left "
                    "to invoice.",
                    repair=self.name,
                    order=order.name,
                )
            )

    def _aftersales_invoice_sale_order(self):
        """The repair's invoice through its sale order (Odoo's own invoicing), after
        the order caught up with the labour logged."""
        self.ensure_one()
        self._aftersales_sync_sale_order_labour()
        invoice = self.sale_order_id._create_invoices()
        invoice.write({"aftersales_repair_id": self.id})
        invoice.invoice_line_ids.write({"aftersales_repair_id": self.id})
        return invoice

    def _aftersales_prepare_invoice(self):
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_origin": self.name,
            "aftersales_repair_id": self.id,
            "invoice_line_ids": [
                Command.create(dict(line, aftersales_repair_id=self.id))
                for line in self._aftersales_invoice_line_values()
            ],
        }

    def _aftersales_amounts(self):
        """``(untaxed, taxes)`` of what the customer pays for the repair, the one
        definition of its amount due (screens, service voucher, completion dialog):
        once invoiced (from the repair or through its sale order), the invoices'
        totals; before that, the invoice lines the repair would get, taxed as an
        invoice line taxes them (the product's sale taxes of the company, mapped
        by the customer's fiscal position)."""
        self.ensure_one()
        invoices = (self.aftersales_invoice_id | self.sale_order_id.invoice_ids).filtered(
            lambda move: move.state != "cancel" and move.move_type == "out_invoice"
        )
        if invoices:
            return sum(invoices.mapped("amount_untaxed")), sum(invoices.mapped("amount_tax"))
        lines = self._aftersales_invoice_line_values()
        if not lines:
            return 0.0, 0.0
        company = self.company_id
        AccountTax = self.env["account.tax"]
        fiscal_position = (
            self.env["account.fiscal.position"]
            .with_company(company)
            ._get_fiscal_position(self.partner_id)
        )
        company_domain = AccountTax._check_company_domain(company)
        base_lines = []
        for line in lines:
            product = self.env["product.product"].browse(line["product_id"])
            taxes = product.taxes_id.filtered_domain(company_domain)._filter_taxes_by_company(
                company
            )
            if taxes and fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    line,
                    product_id=product,
                    product_uom_id=self.env["uom.uom"].browse(line["product_uom_id"]),
                    tax_ids=taxes,
                    currency_id=company.currency_id,
                    partner_id=self.partner_id,
                )
            )
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        totals = AccountTax._get_tax_totals_summary(
            base_lines=base_lines, currency=company.currency_id, company=company
        )
        return totals["base_amount_currency"], totals["tax_amount_currency"]

    def _aftersales_invoice_line_values(self):
        """Parts and chargeable labour at the prices of the service type: free at 0,
        contract per its terms, paid at the customer's pricelist."""
        self.ensure_one()
        if self.aftersales_service_type == "free":
            return []
        terms = self._aftersales_pricing_terms()
        pricelist = self.partner_id.property_product_pricelist
        lines = []
        for move in self.move_ids.filtered(
            lambda m: m.repair_line_type == "add" and m.state != "cancel"
        ):
            quantity = move.quantity or move.product_uom_qty
            lines.append(
                {
                    "product_id": move.product_id.id,
                    "name": move.product_id.display_name,
                    "quantity": quantity,
                    "product_uom_id": move.product_uom.id,
                    "price_unit": self._aftersales_price(move.product_id, quantity, pricelist),
                    "discount": terms["parts_discount"],
                }
            )
        return lines + self._aftersales_labour_lines()

    def _aftersales_labour_lines(self):
        """Chargeable labour, one line per labour product: the hours logged at the
        customer's price (0 when free, or free under the contract)."""
        self.ensure_one()
        if self.aftersales_service_type == "free":
            return []
        terms = self._aftersales_pricing_terms()
        pricelist = self.partner_id.property_product_pricelist
        labour = defaultdict(float)
        for entry in self.aftersales_work_entry_ids.filtered("chargeable"):
            labour[entry.product_id or self.company_id.aftersales_labour_product_id] += entry.hours
        return [
            {
                "product_id": product.id,
                "name": _("Labour: %s", product.display_name),
                "quantity": hours,
                "product_uom_id": product.uom_id.id,
                "price_unit": 0.0
                if terms["labour_free"]
                else self._aftersales_price(product, hours, pricelist),
                "discount": 0.0,
            }
            for product, hours in labour.items()
            if product
        ]

    @api.model
    def _aftersales_price(self, product, quantity, pricelist):
        if pricelist:
            return pricelist._get_product_price(product, quantity)
        return product.lst_price

    def _aftersales_pricing_terms(self):
        """How contract service is priced (P7.1): the terms of the covering contract."""
        self.ensure_one()
        contract = self.aftersales_contract_id
        if self.aftersales_service_type != "contract":
            contract = contract.browse()
        return contract._aftersales_service_terms()

    # ------------------------------------------------------------------
    # Business methods: the service-type decision (P2.4, P3.6)
    # ------------------------------------------------------------------
    @workflow_step
    def _aftersales_apply_service_type(self):
        """Decide and write the type of every repair not overridden by a supervisor.
        The chatter gets one note when the type or its reason changes, and nothing
        when deciding again finds the same (the note is the record of the change:
        the engine's write is not tracked a second time)."""
        decisions = self.filtered(
            lambda r: not r.aftersales_type_overridden
        )._aftersales_decide_service_type()
        # One write per distinct set of changed values, one batch of notes: a
        # registration of many repairs costs a few queries, not a chatter post each.
        writes = defaultdict(lambda: self.browse())
        notes = {}
        for repair, decision in decisions.items():
            if (repair.aftersales_service_type, repair.aftersales_service_type_reason) != (
                decision["type"],
                decision["reason"],
            ):
                notes[repair.id] = _(
                    "Service type: %(type)s — %(reason)s",
                    type=dict(SERVICE_TYPES)[decision["type"]],
                    reason=decision["reason"],
                )
            values = {
                fname: value
                for fname, value in repair._aftersales_decision_values(decision).items()
                if repair._fields[fname].convert_to_write(repair[fname], repair) != value
            }
            if values:
                writes[tuple(sorted(values.items()))] |= repair
        for values, repairs in writes.items():
            repairs.with_context(mail_notrack=True).write(dict(values))
        if notes:
            # An internal note that notifies nobody, as message_post with the note
            # subtype would: logged in one insert for the batch.
            self.browse(notes)._message_log_batch(bodies=notes)

    def _aftersales_decision_values(self, decision):
        return {
            "aftersales_service_type": decision["type"],
            "aftersales_service_type_reason": decision["reason"],
            "aftersales_purchase_date": decision["purchase_date"],
            "aftersales_purchase_date_source": decision["purchase_date_source"],
            "aftersales_warranty_end": decision["warranty_end"],
            "aftersales_previous_repair_id": decision["previous_repair"].id,
            "aftersales_contract_id": decision["contract"].id,
            "under_warranty": decision["type"] == "free",
        }

    def _aftersales_decide_service_type(self, on_date=None):
        """P2.4: who pays for each repair, ``{repair: decision}``.

        In order: a repeat of a done repair of the same product (same serial when
        tracked) and fault category within the repair warranty (P3.6) is free; a
        product still in its warranty is free; an active maintenance contract
        covering it makes it contract service; anything else is paid. All data is
        read with grouped queries for the whole batch, from the repairs' values in
        memory: a form's onchange decides for what the form holds.
        """
        repairs = self.filtered("product_id")
        # Probes are numbered: a repair being edited in a form has no id yet.
        keys = {repair: index for index, repair in enumerate(repairs)}
        days = {keys[r]: on_date or r.company_id._aftersales_today() for r in repairs}
        customers = repairs.filtered("partner_id")
        # One grouped query per lookup for the whole batch, each on the model that
        # owns the data: deliveries and invoices (product), contracts, done repairs.
        starts = self.env["product.product"]._aftersales_warranty_starts(
            [
                WarrantyProbe(
                    key=keys[r],
                    company_id=r.company_id.id,
                    partner_id=r.partner_id.commercial_partner_id.id,
                    product_id=r.product_id.id,
                    lot_id=r.lot_id.id,
                )
                for r in customers
            ]
        )
        previous = self._aftersales_repeat_of(
            [
                RepeatProbe(
                    key=keys[r],
                    company_id=r.company_id.id,
                    partner_id=r.partner_id.commercial_partner_id.id,
                    product_id=r.product_id.id,
                    lot_id=r.lot_id.id,
                    fault_id=r.aftersales_fault_category_id.id,
                    own_id=r._origin.id,
                    day=days[keys[r]],
                )
                for r in customers
                if r.aftersales_fault_category_id
            ]
        )
        contracts = self.env["aftersales.contract"]._find_coverage(
            [
                CoverageProbe(
                    key=keys[r],
                    company_id=r.company_id.id,
                    partner_id=r.partner_id.commercial_partner_id.id,
                    product_id=r.product_id.id,
                    lot_id=r.lot_id.id,
                    date_from=days[keys[r]],
                    date_to=days[keys[r]],
                )
                for r in customers
            ]
        )
        decisions = {}
        # The reason is stored text the service voucher prints: in the words of the
        # language the decision is made in.
        purchase_sources = dict(
            self._fields["aftersales_purchase_date_source"]._description_selection(self.env)
        )
        for repair in self:
            decision = {
                "type": "paid",
                "reason": _("No warranty or contract covers it"),
                "purchase_date": False,
                "purchase_date_source": False,
                "warranty_end": False,
                "previous_repair": self.browse(),
                "contract": self.env["aftersales.contract"],
            }
            if not repair.product_id:
                decision["reason"] = _("No product to repair")
                decisions[repair] = decision
                continue
            key = keys[repair]
            start, source = starts.get(key, (False, False))
            if not start and repair.ticket_id.purchase_date:
                start, source = repair.ticket_id.purchase_date, "ticket"
            if start:
                decision.update(
                    purchase_date=start,
                    purchase_date_source=source,
                    warranty_end=repair.product_id._aftersales_warranty_end(
                        start, repair.company_id
                    ),
                )
            earlier = previous.get(key)
            if earlier:
                decision.update(
                    type="free",
                    previous_repair=earlier,
                    reason=_(
                        "Repeat repair of %(repair)s within %(months)s months (until %(end)s)",
                        repair=earlier.name,
                        months=repair.company_id.aftersales_repair_warranty_months,
                        end=format_date(self.env, earlier.aftersales_repair_warranty_end),
                    ),
                )
            elif decision["warranty_end"] and days[key] <= decision["warranty_end"]:
                decision.update(
                    type="free",
                    reason=_(
                        "In warranty until %(end)s (from the %(origin)s of %(start)s)",
                        end=format_date(self.env, decision["warranty_end"]),
                        origin=purchase_sources[source].lower(),
                        start=format_date(self.env, start),
                    ),
                )
            elif contracts.get(key):
                contract = contracts[key]
                decision.update(
                    type="contract",
                    contract=contract,
                    reason=_(
                        "Contract %(contract)s, in force until %(end)s",
                        contract=contract.name,
                        end=format_date(self.env, contract.date_end),
                    ),
                )
            elif decision["warranty_end"]:
                decision["reason"] = _(
                    "Warranty ended %s", format_date(self.env, decision["warranty_end"])
                )
            decisions[repair] = decision
        return decisions

    @api.model
    def _aftersales_repeat_of(self, probes):
        """P3.6: the done repair each ``RepeatProbe`` repeats — ``{probe.key: repair}``:
        the latest done repair of the same product (same serial when the probe has
        one) and fault category for the same customer in the same company, other
        than the probe's own, whose repair warranty still runs on the probe's day.
        One query for all probes."""
        if not probes:
            return {}
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT DISTINCT ON (p.key) p.key, prev.id
              FROM %(probes)s
              JOIN repair_order prev ON prev.product_id = p.product_id
                   AND %(same_company)s
                   AND prev.id IS DISTINCT FROM p.own_id
                   AND prev.state = 'done'
                   AND prev.aftersales_fault_category_id = p.fault_id
                   AND (p.lot_id IS NULL OR prev.lot_id = p.lot_id)
                   AND prev.aftersales_repair_warranty_end >= p.day
              JOIN res_partner pp ON pp.id = prev.partner_id
             WHERE pp.commercial_partner_id = p.partner_id
          ORDER BY p.key, prev.aftersales_repair_warranty_end DESC
            """,
                probes=probe_table(probes, {"key": "int", "day": "date"}),
                same_company=same_company("prev"),
            )
        )
        return {key: self.browse(repair_id) for key, repair_id in rows}
