import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_date, format_datetime, html2plaintext, plaintext2html

from ..tools.actions import window_action
from ..tools.workflow import workflow_step
from .aftersales_rma import CLOSED_STATES as RMA_CLOSED_STATES
from .aftersales_rma import SETTLED_STATES as RMA_SETTLED_STATES

_logger = logging.getLogger(__name__)

# Vocabulary of the service desk, shared with the SLA policies (P2.1, P2.3, P6.1-P6.3).
TICKET_TYPES = [
    ("service", "Service Request"),
    ("complaint", "Complaint"),
    ("consultation", "Consultation"),
    ("suggestion", "Suggestion"),
]
TICKET_CHANNELS = [
    ("phone", "Phone"),
    ("web", "Web / Portal"),
    ("email", "E-mail"),
    ("social", "Social Media"),
    ("store", "Walk-in Store"),
]
TICKET_PRIORITIES = [("0", "Low"), ("1", "General"), ("2", "Urgent")]
COMPLAINT_CATEGORIES = [
    ("quality", "Product Quality"),
    ("sales_contract", "Sales Contract"),
    ("transport", "Transport"),
    ("service", "Service"),
    ("suggestion", "Suggestion / Proposal"),
]
RESPONSIBILITIES = [
    ("company", "Our Company"),
    ("carrier", "Carrier"),
    ("supplier", "Supplier"),
    ("customer", "Customer"),
    ("undetermined", "Undetermined"),
]
REMEDIES = [
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("repair", "Repair"),
    ("compensation", "Compensation"),
    ("explanation", "Explanation Only"),
]
#: P6.5: what a complaint must record before it can be closed.
COMPLAINT_CLOSING_FIELDS = ("responsibility", "remedy", "root_cause", "corrective_action")

#: A case that keeps its ticket open, and one that settles it (P2.8): a repair is
#: finished when done and, for a carry-in product, handed back; a return or an
#: exchange when refunded, replaced, or done after a failed inspection.
OPEN_CASE_DOMAINS = {
    "repair.order": [
        ("state", "!=", "cancel"),
        "|",
        ("state", "!=", "done"),
        "&",
        ("aftersales_repair_mode", "=", "workshop"),
        ("aftersales_returned_on", "=", False),
    ],
    "aftersales.rma": [("state", "not in", RMA_CLOSED_STATES)],
}
SETTLED_CASE_DOMAINS = {
    "repair.order": [
        ("state", "=", "done"),
        "|",
        ("aftersales_repair_mode", "!=", "workshop"),
        ("aftersales_returned_on", "!=", False),
    ],
    "aftersales.rma": [("state", "in", RMA_SETTLED_STATES)],
}

#: A received-at this far in the future is a clock difference, not a back-dating error.
RECEIVED_AT_TOLERANCE = timedelta(minutes=5)


#: Longest text a customer or an e-mail may put in a request (characters): enough
#: for any real request, far from what fills a database or a screen.
TEXT_LIMITS = {
    "subject": 250,
    "contact_name": 128,
    "email_from": 254,
    "partner_phone": 64,
    "serial_number": 128,
    "order_reference": 128,
    "fault_location": 250,
    "usage_environment": 250,
    "fault_symptom": 10000,
    "description": 100000,
}
#: Longest e-mail body kept in a request's chatter (characters of HTML).
MAIL_BODY_LIMIT = 200000


class AftersalesTicket(models.Model):
    """A customer contact: service request, complaint, consultation or suggestion
    (P2.1-P2.3, P2.8, P6.1-P6.5), timed by the SLA engine."""

    _name = "aftersales.ticket"
    _description = "After-Sales Ticket"
    _inherit = [
        "aftersales.sla.mixin",
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
    ]
    _order = "priority desc, sla_resolution_deadline, id desc"
    # The subject names the ticket (the mail gateway fills it from the e-mail subject);
    # the number comes from a sequence.
    _rec_name = "subject"
    _rec_names_search = ["name", "subject"]
    _primary_email = "email_from"
    _check_company_auto = True
    _mail_post_access = "read"

    # ------------------------------------------------------------------
    # Fields: identification and classification (P2.1, P2.3, P6.1)
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: _("New"),
    )
    subject = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    ticket_type = fields.Selection(
        TICKET_TYPES, string="Type", required=True, default="service", tracking=True
    )
    channel = fields.Selection(
        TICKET_CHANNELS,
        required=True,
        default="phone",
        tracking=True,
        help="How the customer reached us; it drives the response and resolution targets.",
    )
    priority = fields.Selection(
        TICKET_PRIORITIES, default="1", required=True, tracking=True, index=True
    )
    complaint_category = fields.Selection(
        COMPLAINT_CATEGORIES,
        tracking=True,
        help="What the complaint is about: product quality, sales contract, transport, "
        "service, or a suggestion.",
    )
    category_id = fields.Many2one(
        "aftersales.category",
        string="Problem Category",
        tracking=True,
        domain="[('complaint_category', '=', complaint_category)]",
        help="Fault category of a service request, or sub-category of a complaint.",
    )
    tag_ids = fields.Many2many("aftersales.ticket.tag", string="Tags")
    color = fields.Integer()

    # ------------------------------------------------------------------
    # Fields: handling
    # ------------------------------------------------------------------
    team_id = fields.Many2one(
        "aftersales.team",
        tracking=True,
        index=True,
        check_company=True,
        default=lambda self: self._default_team_id(),
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        tracking=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    stage_id = fields.Many2one(
        "aftersales.stage",
        tracking=True,
        index=True,
        copy=False,
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    received_at = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="When the customer contacted us; the SLA clock starts here. A phone call "
        "may be back-dated, never put in the future.",
    )
    resolution_note = fields.Html(string="Resolution")
    parent_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Follows Up",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The closed ticket this one continues (a late reply to it opened this one).",
    )
    child_ticket_ids = fields.One2many("aftersales.ticket", "parent_ticket_id")
    child_ticket_count = fields.Integer(compute="_compute_child_ticket_count")

    # ------------------------------------------------------------------
    # Fields: customer and product data (P2.2)
    # ------------------------------------------------------------------
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, index=True, check_company=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    customer_tier_id = fields.Many2one(
        "aftersales.tier",
        compute="_compute_customer_tier_id",
        store=True,
        readonly=True,
        help="The customer's tier when the ticket was open; it selects the SLA targets.",
    )
    customer_tier_color = fields.Integer(related="customer_tier_id.color")
    contact_name = fields.Char(string="Contact")
    email_from = fields.Char(
        string="E-mail", compute="_compute_contact_data", store=True, readonly=False
    )
    partner_phone = fields.Char(
        string="Phone", compute="_compute_contact_data", store=True, readonly=False
    )
    product_id = fields.Many2one(
        "product.product", check_company=True, domain="[('id', 'in', allowed_product_ids)]"
    )
    allowed_product_ids = fields.Many2many(
        "product.product",
        compute="_compute_allowed_product_ids",
        help="What the customer bought or has under contract: the products a request can be about.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial / Lot",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    serial_number = fields.Char(
        string="Serial Number (as given)",
        help="The serial number as the customer gave it, when it is not a known lot.",
    )
    purchase_date = fields.Date()
    sale_order_id = fields.Many2one(
        "sale.order",
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
    )
    order_reference = fields.Char(help="Order number as given by the customer.")
    fault_symptom = fields.Text()
    fault_location = fields.Char()
    usage_environment = fields.Char()
    description = fields.Html()

    # ------------------------------------------------------------------
    # Fields: complaints (P6.2, P6.4, P6.5)
    # ------------------------------------------------------------------
    responsibility = fields.Selection(RESPONSIBILITIES, tracking=True)
    remedy = fields.Selection(REMEDIES, tracking=True)
    root_cause = fields.Text(tracking=True)
    corrective_action = fields.Text(tracking=True)
    is_serious = fields.Boolean(
        string="Serious",
        tracking=True,
        help="A serious complaint notifies the After-Sales managers at once.",
    )

    # ------------------------------------------------------------------
    # Fields: knowledge base (P6.5)
    # ------------------------------------------------------------------
    solution_id = fields.Many2one(
        "aftersales.solution", string="Applied Solution", check_company=True
    )
    suggested_solution_ids = fields.Many2many(
        "aftersales.solution",
        string="Suggested Solutions",
        compute="_compute_suggested_solution_ids",
    )

    # ------------------------------------------------------------------
    # Fields: the case it led to (repairs, returns and exchanges)
    # ------------------------------------------------------------------
    repair_count = fields.Integer(string="Repairs", compute="_compute_case_counts")
    rma_count = fields.Integer(string="Returns", compute="_compute_case_counts")

    def init(self):
        res = super().init()
        # The lists' default order (_order): the first page of a queue of tens of
        # thousands of tickets is read from this index instead of sorting them all.
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_list_order_index",
            self._table,
            ["priority DESC", "sla_resolution_deadline", "id DESC"],
        )
        return res

    # ------------------------------------------------------------------
    # Default and compute methods
    # ------------------------------------------------------------------
    @api.model
    def _default_team_id(self):
        team_id = self.env.context.get("default_team_id")
        if team_id:
            return self.env["aftersales.team"].browse(team_id)
        # Routing configuration: the creator (possibly a portal customer) cannot read
        # teams; the team comes from configuration, never from the creator. An agent
        # taking a call files it in one of their own teams: they see only those.
        Team = self.env["aftersales.team"].sudo()
        domain = [("company_id", "in", [self.env.company.id, False])]
        own = Team.browse()
        if not self.env.user.share:
            own = Team.search([*domain, ("member_ids", "in", self.env.uid)], limit=1)
        return own or Team.search(domain, limit=1)

    @api.depends("team_id")
    def _compute_stage_id(self):
        stages_of = {}  # per team: one search of the shared stages for a whole batch
        for ticket in self:
            if ticket.team_id not in stages_of:
                stages_of[ticket.team_id] = ticket.team_id._get_stages()
            stages = stages_of[ticket.team_id]
            if not ticket.stage_id or ticket.stage_id not in stages:
                ticket.stage_id = stages[:1]

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        if team_id:
            return self.env["aftersales.team"].browse(team_id)._get_stages()
        return stages.search([("team_ids", "=", False)]) | stages

    @api.depends("partner_id", "company_id")
    def _compute_customer_tier_id(self):
        for ticket in self:
            if ticket.is_closed and ticket.customer_tier_id:
                continue  # history: a closed ticket keeps the tier it was handled with
            ticket.customer_tier_id = (
                ticket.commercial_partner_id.with_company(ticket.company_id)
                .sudo()
                .aftersales_tier_id
            )

    @api.depends("partner_id", "company_id")
    def _compute_allowed_product_ids(self):
        for ticket in self:
            ticket.allowed_product_ids = self._aftersales_customer_products(
                ticket.partner_id, ticket.company_id or self.env.company
            )

    @api.model
    def _aftersales_customer_products(self, partner, company):
        """P2.2: the products a request of ``partner`` can be about in ``company``:
        goods delivered or invoiced to their commercial entity, and what their
        contracts cover. A customer with none of them (new, or unknown yet) gets the
        company's saleable goods. Services (deposits, labour, hotel nights, the
        contract product) are never offered: nobody files a fault about them.

        sudo(): agents and portal customers may not read every order, invoice or
        contract; only product ids come out, for that company only."""
        products = self.env["product.product"].sudo()
        scope = [("company_id", "in", [False, company.id])]
        commercial = partner.commercial_partner_id
        if commercial:
            sources = (
                (
                    "sale.order.line",
                    [
                        ("order_partner_id", "child_of", commercial.id),
                        ("company_id", "=", company.id),
                        ("qty_delivered", ">", 0),
                    ],
                ),
                (
                    "account.move.line",
                    [
                        ("partner_id", "child_of", commercial.id),
                        ("company_id", "=", company.id),
                        ("move_id.move_type", "=", "out_invoice"),
                        ("parent_state", "=", "posted"),
                    ],
                ),
            )
            bought = {
                product.id
                for model, domain in sources
                for (product,) in self.env[model]
                .sudo()
                ._read_group([*domain, ("product_id", "!=", False)], ["product_id"])
            }
            covered = {
                product.id
                for (product,) in self.env["aftersales.contract.line"]
                .sudo()
                ._read_group(
                    [
                        ("contract_id.commercial_partner_id", "=", commercial.id),
                        ("contract_id.company_id", "=", company.id),
                        ("contract_id.state", "not in", ("draft", "cancelled")),
                    ],
                    ["product_id"],
                )
            }
            found = products.search(
                expression.AND(
                    [
                        scope,
                        expression.OR(
                            [
                                [("id", "in", list(bought)), ("type", "=", "consu")],
                                [("id", "in", list(covered))],
                            ]
                        ),
                    ]
                )
            )
            if found:
                return found
        return products.search([*scope, ("type", "=", "consu"), ("sale_ok", "=", True)])

    @api.depends("partner_id")
    def _compute_contact_data(self):
        for ticket in self:
            if ticket.partner_id.email:
                ticket.email_from = ticket.partner_id.email
            if ticket.partner_id.phone or ticket.partner_id.mobile:
                ticket.partner_phone = ticket.partner_id.phone or ticket.partner_id.mobile

    @api.depends("category_id", "fault_symptom", "subject")
    def _compute_suggested_solution_ids(self):
        for ticket in self:
            ticket.suggested_solution_ids = self.env["aftersales.solution"]._suggest_for(
                ticket.category_id, " ".join(filter(None, [ticket.subject, ticket.fault_symptom]))
            )

    @api.depends("child_ticket_ids")
    def _compute_child_ticket_count(self):
        for ticket in self:
            ticket.child_ticket_count = len(ticket.child_ticket_ids)

    def _compute_case_counts(self):
        """What the user may open behind the smart buttons (their own access)."""
        tickets = self.filtered("id")
        counts = {
            model: dict(
                self.env[model]._read_group(
                    [("ticket_id", "in", tickets.ids)], ["ticket_id"], ["__count"]
                )
            )
            if tickets and self.env[model].has_access("read")
            else {}
            for model in ("repair.order", "aftersales.rma")
        }
        for ticket in self:
            ticket.repair_count = counts["repair.order"].get(ticket._origin, 0)
            ticket.rma_count = counts["aftersales.rma"].get(ticket._origin, 0)

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/my/service-requests/{ticket.id}"

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = (
                f"{ticket.name} - {ticket.subject}" if ticket.subject else ticket.name
            )

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------
    @api.constrains("received_at")
    def _check_received_at(self):
        limit = fields.Datetime.now() + RECEIVED_AT_TOLERANCE
        for ticket in self:
            if ticket.received_at and ticket.received_at > limit:
                raise ValidationError(
                    _(
                        "%(ticket)s: the received-at time %(when)s is in the future. "
                        "A call can be back-dated to when it came in, never later than now.",
                        ticket=ticket.display_name,
                        when=format_datetime(self.env, ticket.received_at, dt_format="short"),
                    )
                )

    @api.constrains("stage_id", "ticket_type", *COMPLAINT_CLOSING_FIELDS)
    def _check_complaint_closing(self):
        """P6.5: every closed complaint states responsibility, remedy, root cause and
        corrective action."""
        for ticket in self.filtered("is_closed"):
            missing = ticket._complaint_missing_closing_fields()
            if missing:
                raise ValidationError(
                    _(
                        "Complaint %(ticket)s cannot be closed yet: record its %(missing)s "
                        "first. Every closed complaint states its responsibility, remedy, "
                        "root cause and corrective action.",
                        ticket=ticket.display_name,
                        missing=", ".join(missing),
                    )
                )

    @api.constrains(*TEXT_LIMITS)
    def _check_text_lengths(self):
        for ticket in self:
            for fname, limit in TEXT_LIMITS.items():
                if ticket[fname] and len(ticket[fname]) > limit:
                    raise ValidationError(
                        _(
                            "%(field)s is too long: at most %(max)s characters (it has "
                            "%(length)s). Shorten it, or attach a file to the request.",
                            field=self._fields[fname].get_description(self.env)["string"],
                            max=limit,
                            length=len(ticket[fname]),
                        )
                    )

    @api.constrains("purchase_date")
    def _check_purchase_date(self):
        for ticket in self:
            if (
                ticket.purchase_date
                and ticket.purchase_date > ticket.company_id._aftersales_today()
            ):
                raise ValidationError(
                    _(
                        "%(ticket)s: the purchase date %(date)s is in the future. Enter the "
                        "day the customer bought the product.",
                        ticket=ticket.display_name,
                        date=format_date(self.env, ticket.purchase_date),
                    )
                )

    @api.constrains("ticket_type", "complaint_category")
    def _check_complaint_category(self):
        for ticket in self:
            if ticket.complaint_category and ticket.ticket_type != "complaint":
                raise ValidationError(
                    _(
                        "%s is not a complaint: remove its complaint category or change its type.",
                        ticket.display_name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if (
            self.partner_id
            and not self.contact_name
            and self.partner_id != self.commercial_partner_id
        ):
            self.contact_name = self.partner_id.name

    @api.onchange("ticket_type")
    def _onchange_ticket_type(self):
        if self.ticket_type != "complaint":
            self.complaint_category = False

    # ------------------------------------------------------------------
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """The tier the ticket was opened with selects its targets: the engine's."""
        return dict(
            super()._aftersales_workflow_fields(),
            customer_tier_id=None,
        )

    @api.model
    def _aftersales_user_links(self):
        return (
            *super()._aftersales_user_links(),
            "parent_ticket_id",
            "sale_order_id",
            "lot_id",
            "solution_id",
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._aftersales_number_new(vals_list)
        # The members are decided for the whole batch and created with the tickets
        # (one insert, no write and no tracking per ticket); they follow and are
        # told after the acknowledgement, which is the customer's alone.
        self._aftersales_assign_in_values(vals_list)
        tickets = (
            super(AftersalesTicket, self.with_context(aftersales_defer_assignee=True))
            .create(vals_list)
            .with_env(self.env)
        )
        tickets._aftersales_send_acknowledgement()
        tickets._aftersales_welcome_assignees()
        tickets._aftersales_subscribe_customers()
        tickets.filtered("is_serious")._notify_serious_complaint()
        return tickets

    @api.model
    def _aftersales_number_new(self, vals_list):
        """Numbers of the new tickets from the sequence, drawn for the whole batch.
        The sequence is configuration the creator (possibly a portal customer)
        cannot read."""
        todo = [vals for vals in vals_list if not vals.get("name") or vals["name"] == _("New")]
        if not todo:
            return
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [
                ("code", "=", "aftersales.ticket"),
                ("company_id", "in", [self.env.company.id, False]),
            ],
            order="company_id",
            limit=1,
        )
        if not sequence:
            for vals in todo:
                vals["name"] = Sequence.next_by_code("aftersales.ticket") or _("New")
            return
        if sequence.implementation == "standard" and not sequence.use_date_range:
            # One round trip for the whole batch (what _next() does per number).
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
                    f"ir_sequence_{sequence.id:03d}",
                    len(todo),
                )
            )
            numbers = [row[0] for row in self.env.cr.fetchall()]
            for vals, number in zip(todo, numbers, strict=True):
                vals["name"] = sequence.get_next_char(number)
            return
        for vals in todo:
            vals["name"] = sequence._next()

    @api.model
    def _aftersales_assign_in_values(self, vals_list):
        """P2.1: new tickets of a team that assigns automatically get their member in
        their create values, decided for the whole batch (round robin or fewest open
        tickets, ``aftersales.team._next_assignees``). An assignee the creator gives
        is kept."""
        # The defaults only when a value lacks them (the team's default searches).
        defaults = {"user_id": self.env.context.get("default_user_id")}
        if any("team_id" not in vals for vals in vals_list):
            defaults.update(self.default_get(["team_id"]))
        pending = {}
        for vals in vals_list:
            if vals.get("user_id") or ("user_id" not in vals and defaults.get("user_id")):
                continue
            team_id = vals["team_id"] if "team_id" in vals else defaults.get("team_id")
            if team_id:
                pending.setdefault(team_id, []).append(vals)
        # sudo(): routing configuration and the members' open tickets, which the
        # creator (possibly a portal customer) may not read.
        for team in self.env["aftersales.team"].sudo().browse(pending):
            todo = pending[team.id]
            for vals, user_id in zip(todo, team._next_assignees(len(todo)), strict=False):
                vals["user_id"] = user_id

    def _aftersales_welcome_assignees(self):
        """The members new tickets were assigned to follow them and are told, once
        per member for the whole batch: Odoo's own "assigned to you" message for a
        single ticket, one message listing them for several (an intake storm must not
        send an agent one e-mail per request). Nobody is told of a ticket they
        assigned to themselves.

        Like Odoo's own auto-subscription, nothing of this under ``tracking_disable``;
        the e-mails are queued, not sent inside the request (an intake storm must not
        wait on the SMTP server once per agent)."""
        if self.env.context.get("tracking_disable"):
            return
        tickets = self.filtered("user_id").sudo().with_context(mail_notify_force_send=False)
        by_user = {}
        for ticket in tickets:
            by_user.setdefault(ticket.user_id, tickets.browse())
            by_user[ticket.user_id] |= ticket
        for user, user_tickets in by_user.items():
            if not user.active:
                continue
            self._aftersales_add_followers({(t.id, user.partner_id.id) for t in user_tickets})
            if user == self.env.user:
                continue
            if len(user_tickets) == 1:
                user_tickets.with_context(lang=user.partner_id.lang)._message_auto_subscribe_notify(
                    user.partner_id.ids, "mail.message_user_assigned"
                )
            else:
                user_tickets.with_context(lang=user.partner_id.lang)._aftersales_notify_assigned(
                    user
                )

    def _aftersales_notify_assigned(self, user):
        """One message to ``user`` listing the tickets (``self``) given to them."""
        if self.env.context.get("mail_auto_subscribe_no_notify") or not self.env.registry.ready:
            return
        links = Markup("").join(
            Markup('<li><a href="%s">%s</a></li>')
            % (ticket._notify_get_action_link("view"), ticket.display_name)
            for ticket in self
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            _("These new requests are assigned to you:"),
            links,
        )
        body = self.env["mail.render.mixin"]._replace_local_links(body)
        # Not attached to one of the tickets: the message is about all of them.
        self.browse().message_notify(
            subject=_("You have been assigned %(count)s new requests", count=len(self)),
            body=body,
            partner_ids=user.partner_id.ids,
            record_name=_("%(count)s new requests", count=len(self)),
            email_layout_xmlid="mail.mail_notification_layout",
            model_description=self.env["ir.model"]._get(self._name).display_name,
        )

    def _aftersales_subscribe_customers(self):
        """The customer follows their request."""
        self._aftersales_add_followers({(t.id, t.partner_id.id) for t in self if t.partner_id})

    def _aftersales_add_followers(self, pairs):
        """``pairs`` ``{(ticket id, partner id)}``: the partner follows the ticket with
        the default subtypes, as ``message_subscribe`` does (a customer without the
        internal ones), in one insert for a whole batch instead of one per partner."""
        if not pairs:
            return
        ticket_ids = list({ticket_id for ticket_id, _partner_id in pairs})
        partner_ids = list({partner_id for _ticket_id, partner_id in pairs})
        Followers = self.env["mail.followers"].sudo().with_context(default_partner_id=False)
        existing = {
            (follower.res_id, follower.partner_id.id)
            for follower in Followers.search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", ticket_ids),
                    ("partner_id", "in", partner_ids),
                ],
                ["res_id", "partner_id"],
            )
        }
        customers = set(
            self.env["res.partner"]
            .sudo()
            .search([("id", "in", partner_ids), ("partner_share", "=", True)])
            .ids
        )
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes(self._name)
        Followers.create(
            [
                {
                    "res_model": self._name,
                    "res_id": ticket_id,
                    "partner_id": partner_id,
                    "subtype_ids": [
                        Command.set((external if partner_id in customers else default).ids)
                    ],
                }
                for ticket_id, partner_id in sorted(pairs - existing)
            ]
        )

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        """On create, the assignee follows and is told after the acknowledgement, for
        the whole batch (``_aftersales_welcome_assignees``)."""
        if self.env.context.get("aftersales_defer_assignee"):
            updated_values = dict(updated_values, user_id=False)
        return super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)

    def write(self, vals):
        leaving_new = self.browse()
        if "stage_id" in vals:
            leaving_new = self.filtered(lambda t: t.stage_id == t.team_id._get_stages()[:1])
        newly_serious = self.browse()
        if vals.get("is_serious"):
            newly_serious = self.filtered(lambda t: not t.is_serious)
        result = super().write(vals)
        if vals.keys() & set(COMPLAINT_CLOSING_FIELDS):
            self._aftersales_close_complaint_activities()
        if leaving_new:
            leaving_new.filtered(
                lambda t: t.stage_id not in t.team_id._get_stages()[:1]
            )._sla_mark_first_response()
        newly_serious._notify_serious_complaint()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_history(self):
        """P1.1, P10.1: a ticket that led to repairs, returns or feedback is part of
        the customer's service history; it is archived, not deleted."""
        # sudo(): the guard must see the records the user cannot read (another
        # team's repair, feedback the technician has no right to).
        dependents = ("repair.order", "aftersales.rma", "aftersales.feedback")
        counts = {
            model: dict(
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                ._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
            )
            for model in dependents
        }
        for ticket in self:
            repairs, returns, feedback = (counts[model].get(ticket, 0) for model in dependents)
            found = [
                text
                for count, text in (
                    (repairs, _("%s repair order(s)", repairs)),
                    (returns, _("%s return(s) or exchange(s)", returns)),
                    (feedback, _("%s customer feedback", feedback)),
                )
                if count
            ]
            if found:
                raise UserError(
                    _(
                        "%(ticket)s cannot be deleted: it has %(found)s. Archive it instead, "
                        "so that the customer's service history stays.",
                        ticket=ticket.display_name,
                        found=", ".join(found),
                    )
                )

    # ------------------------------------------------------------------
    # SLA engine hooks (aftersales.sla.mixin)
    # ------------------------------------------------------------------
    def _sla_start(self):
        return self.received_at

    def _sla_criteria(self):
        return {
            "ticket_type": self.ticket_type,
            "channel": self.channel,
            "priority": self.priority,
            "tier_id": self.customer_tier_id,
            "team_id": self.team_id,
        }

    def _sla_team(self):
        return self.team_id

    def _sla_customer(self):
        return self.commercial_partner_id

    def _sla_is_paused(self):
        return self.stage_id.sla_paused

    def _sla_is_done(self):
        return self.stage_id.is_closed

    @api.model
    def _sla_open_domain(self):
        return [("is_closed", "=", False), ("company_id", "=", self.env.company.id)]

    @api.model
    def _sla_trigger_fields(self):
        return {"ticket_type", "channel", "priority", "partner_id", "team_id", "received_at"}

    @api.model
    def _sla_state_fields(self):
        return {"stage_id"}

    def _sla_apology_template(self):
        return self.env.ref("aftersales_service.mail_template_ticket_sla_apology")

    def _sla_extension_template(self):
        return self.env.ref("aftersales_service.mail_template_ticket_sla_extension")

    # ------------------------------------------------------------------
    # Mail thread
    # ------------------------------------------------------------------
    def _track_template(self, changes):
        """P2.8: the stage's template tells the customer how the request progresses."""
        res = super()._track_template(changes)
        ticket = self[0]
        if "stage_id" in changes and ticket.stage_id.mail_template_id:
            res["stage_id"] = (
                ticket.stage_id.mail_template_id,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _aftersales_send_acknowledgement(self):
        """P2.1, P2.3: a new request is acknowledged at once: its number, what happens
        next and the response target, posted in its conversation (so the portal
        shows it) and mailed to the customer. Sent when there is someone to tell: a
        customer with an e-mail address, or one who filed it on the portal.

        The template holds our words only, never the customer's subject or fault:
        an unknown sender can be forged, and our server must not mail their text to
        that address. Marked automatic, it is not the first response of P2.3."""
        template = self.env.ref(
            "aftersales_service.mail_template_ticket_acknowledgement", raise_if_not_found=False
        )
        tickets = self.filtered(
            lambda t: t.partner_id and (t.partner_id.email or t.channel == "web")
        )
        if not template or not tickets:
            return
        # sudo(): the creator may be a portal customer; the acknowledgement is the
        # company's, sent whoever created the request.
        # Queued, not sent inside the request: an intake storm (a mail or portal
        # burst) must not wait on the SMTP server once per request.
        tickets = tickets.sudo().with_context(
            aftersales_sla_automatic=True, mail_notify_force_send=False
        )
        if self.env.user.share:
            # Odoo never notifies the current user of a post (it takes them for its
            # author), and a customer filing on the portal is the current user.
            tickets = tickets.with_user(SUPERUSER_ID)
        # The suite's batch poster: rendered once, posted and mailed in one go. The
        # author is the company when it has an address, else the poster (the agent,
        # or OdooBot for the portal and the mail gateway signs it); the heading shows
        # the request's number, not its subject.
        tickets._aftersales_message_post_batch(
            template,
            author_id={
                ticket.id: ticket.company_id.partner_id.id
                if ticket.company_id.partner_id.email
                else None
                for ticket in tickets
            },
            partner_ids={ticket.id: ticket.partner_id.ids for ticket in tickets},
            record_names={ticket.id: ticket.name for ticket in tickets},
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _message_post_after_hook(self, message, msg_vals):
        """P2.3: the first message an employee sends to the customer is the first
        response (internal notes are not)."""
        result = super()._message_post_after_hook(message, msg_vals)
        if (
            not self.env.context.get("aftersales_sla_automatic")
            and message.message_type in ("comment", "email_outgoing")
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            self._sla_mark_first_response(message.date)
        return result

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """P2.1 e-mail intake: the sender becomes the customer (matched by e-mail,
        else created), the mail body the fault description."""
        email_from = msg_dict.get("email_from")
        if not email_from or not msg_dict.get("from"):
            raise ValueError(_("An e-mail without a sender cannot become a ticket."))
        self._aftersales_clip_mail(msg_dict)
        # All or nothing: the gateway commits after a failed message, so a partner
        # created for a mail whose ticket then fails must not survive it.
        with self.env.cr.savepoint():
            partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
            if not partner:
                partner = self.env["res.partner"]._mail_find_partner_from_emails(
                    [email_from], force_create=True
                )[0]
            # The incoming mail is the customer's own: authored by them, it is not
            # sent back to them (a forged sender would otherwise get our server to
            # mail any text to any address).
            msg_dict["author_id"] = partner.id
            body = html2plaintext(msg_dict.get("body") or "").strip()
            values = {
                "subject": self._aftersales_clip(
                    (msg_dict.get("subject") or "").strip() or _("(no subject)"), "subject"
                ),
                "channel": "email",
                "partner_id": partner.id,
                "email_from": self._aftersales_clip(email_from, "email_from"),
                "fault_symptom": self._aftersales_clip(body, "fault_symptom"),
                "received_at": fields.Datetime.now(),
            }
            values.update(custom_values or {})
            return super(AftersalesTicket, self.with_context(mail_create_nolog=True)).message_new(
                msg_dict, custom_values=values
            )

    @api.model
    def _aftersales_clip(self, text, fname):
        """An e-mail's text cut to what a request holds (the whole mail stays in
        the chatter)."""
        limit = TEXT_LIMITS[fname]
        return text[: limit - 1] + "…" if text and len(text) > limit else text

    @api.model
    def _aftersales_clip_mail(self, msg_dict):
        """A mail body of megabytes is cut before it is stored in the chatter (its
        attachments are kept): nobody reads it, and every screen would load it."""
        body = msg_dict.get("body") or ""
        if len(body) > MAIL_BODY_LIMIT:
            msg_dict["body"] = body[:MAIL_BODY_LIMIT] + _(
                "<p>[The rest of this e-mail was too long to be kept.]</p>"
            )

    def message_update(self, msg_dict, update_vals=None):
        """A reply reopens a closed ticket, or past the team's reopen period opens a
        new ticket that follows the old one."""
        self._aftersales_clip_mail(msg_dict)
        result = super().message_update(msg_dict, update_vals=update_vals)
        now = fields.Datetime.now()
        for ticket in self.filtered("is_closed"):
            days = ticket.team_id.reopen_days
            closed_at = ticket.sla_solved_at or ticket.write_date
            if closed_at and now - closed_at <= timedelta(days=days):
                ticket.stage_id = ticket.team_id._get_stages().filtered(lambda s: not s.is_closed)[
                    :1
                ]
                ticket.message_post(
                    body=_("Reopened by a reply of the customer."), subtype_xmlid="mail.mt_note"
                )
            else:
                follow_up = ticket.copy(
                    {
                        "subject": self._aftersales_clip(
                            msg_dict.get("subject") or ticket.subject, "subject"
                        ),
                        "parent_ticket_id": ticket.id,
                        "channel": "email",
                        "received_at": now,
                        "fault_symptom": self._aftersales_clip(
                            html2plaintext(msg_dict.get("body") or "").strip(), "fault_symptom"
                        ),
                    }
                )
                follow_up.message_post(
                    body=msg_dict.get("body"),
                    author_id=msg_dict.get("author_id"),
                    email_from=msg_dict.get("email_from"),
                    message_type="email",
                    subtype_xmlid="mail.mt_comment",
                )
                ticket.message_post(
                    body=_(
                        "The customer wrote again after %(days)s days: follow-up %(ticket)s.",
                        days=days,
                        ticket=follow_up._get_html_link(),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_create_solution(self):
        """P6.5: turn a closed ticket into a knowledge-base solution."""
        self.ensure_one()
        if not self.is_closed:
            raise UserError(_("Close %s before turning it into a solution.", self.display_name))
        solution = self.env["aftersales.solution"].create(self._prepare_solution_values())
        self.solution_id = solution
        return window_action("aftersales.solution", solution.id)

    def _prepare_solution_values(self):
        self.ensure_one()
        parts = [
            self.resolution_note and html2plaintext(self.resolution_note),
            self.root_cause and _("Root cause: %s", self.root_cause),
            self.corrective_action and _("Corrective action: %s", self.corrective_action),
        ]
        return {
            "name": self.subject,
            "category_id": self.category_id.id,
            "symptom": self.fault_symptom or self.subject,
            "solution": "<p>" + "</p><p>".join(p for p in parts if p) + "</p>"
            if any(parts)
            else False,
            "ticket_ids": [(4, self.id)],
            "company_id": self.company_id.id,
        }

    def action_preview_portal(self):
        """See the request as the customer sees it on the portal."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self", "url": self.get_portal_url()}

    def action_view_child_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action["domain"] = [("parent_ticket_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Actions: the case (repair, return, exchange) the request leads to
    # ------------------------------------------------------------------
    def action_create_repair(self):
        """P2.2, P6.2: a new repair form carrying what the request already says
        (customer, product, serial, team and fault category follow the link)."""
        self.ensure_one()
        return self._case_form_action(
            "repair.order", _("New Repair"), self._prepare_repair_defaults()
        )

    def action_create_return(self):
        """P5, P6.2: a new return for refund of what the customer bought."""
        self.ensure_one()
        return self._case_form_action(
            "aftersales.rma", _("New Return"), self._prepare_rma_defaults("refund")
        )

    def action_create_exchange(self):
        """P4, P6.2: a new exchange of what the customer bought."""
        self.ensure_one()
        return self._case_form_action(
            "aftersales.rma", _("New Exchange"), self._prepare_rma_defaults("exchange")
        )

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        return self._case_list_action(action, self._prepare_repair_defaults())

    def action_view_rmas(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_rma_action"
        )
        return self._case_list_action(action, self._prepare_rma_defaults("refund"))

    def _case_form_action(self, model, name, defaults):
        return window_action(
            model,
            name=name,
            views=("form",),
            target="current",
            context={f"default_{fname}": value for fname, value in defaults.items()},
        )

    def _case_list_action(self, action, defaults):
        action.update(
            domain=[("ticket_id", "=", self.id)],
            context={f"default_{fname}": value for fname, value in defaults.items()},
        )
        records = self.env[action["res_model"]].search(action["domain"])
        if len(records) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=records.id)
        return action

    def _prepare_repair_defaults(self):
        """The repair's fields the request fills. Only fields of the repair itself:
        these defaults stay in the form's context, and a key any other model shares
        (a description, a date) would leak into what the repair's buttons create."""
        self.ensure_one()
        return {
            "ticket_id": self.id,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "product_id": self.product_id.id,
            "lot_id": self._case_lot().id,
            "internal_notes": self._case_fault_note(),
        }

    def _prepare_rma_defaults(self, kind):
        self.ensure_one()
        return {
            "kind": kind,
            "ticket_id": self.id,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "sale_line_id": self._case_sale_line().id,
            "lot_id": self._case_lot().id,
        }

    def _case_lot(self):
        """The serial the customer named: the known lot, else the lot of that name
        for the product in the ticket's company."""
        self.ensure_one()
        if self.lot_id or not (self.serial_number and self.product_id):
            return self.lot_id
        return self.env["stock.lot"].search(
            [
                ("name", "=", self.serial_number.strip()),
                ("product_id", "=", self.product_id.id),
                ("company_id", "in", (self.company_id.id, False)),
            ],
            limit=1,
        )

    def _case_sale_line(self):
        """The delivered line of the order the request names: the ticket's product,
        else the order's only delivered line."""
        self.ensure_one()
        lines = self.sale_order_id.order_line.filtered(lambda line: line.qty_delivered > 0)
        if self.product_id:
            lines = lines.filtered(lambda line: line.product_id == self.product_id)
        return lines if len(lines) == 1 else lines.browse()

    def _case_fault_note(self):
        self.ensure_one()
        parts = [
            self.fault_symptom,
            self.fault_location and _("Location: %s", self.fault_location),
            self.usage_environment and _("Environment: %s", self.usage_environment),
            self.serial_number
            and not self._case_lot()
            and _("Serial number as given: %s", self.serial_number),
        ]
        text = "\n".join(part for part in parts if part)
        return plaintext2html(text) if text else False

    # ------------------------------------------------------------------
    # Business methods: the request follows its case (P2.8, P6.5)
    # ------------------------------------------------------------------
    @api.model
    @workflow_step
    def _aftersales_follow_case(self, cases):
        """A repair finished or a return/exchange settled (``cases``, records of one
        model) moves its requests on, unless they wait for another open case:

        * a request is solved: the team's closing stage that is not a cancellation,
          with a note (the stage's e-mail tells the customer, P2.8);
        * a complaint that does not state its responsibility, remedy, root cause and
          corrective action yet cannot close (P6.5): it stays in progress and its
          owner gets an activity to record them.

        A system step: whoever finishes the repair or the return (a technician of
        another team, a warehouse user validating the receipt) may not write the
        request, so it runs as superuser once the case itself has changed."""
        settled = cases.sudo().filtered_domain(SETTLED_CASE_DOMAINS[cases._name])
        tickets = settled.ticket_id.sudo().filtered(lambda t: not t.is_closed)
        if not tickets:
            return
        still_open = self._aftersales_open_cases(tickets, exclude=settled)
        for ticket in tickets:
            done = settled.filtered(lambda case, t=ticket: case.ticket_id == t)
            done_links = Markup(", ").join(case._get_html_link() for case in done)
            waiting = still_open.get(ticket)
            if waiting:
                ticket.message_post(
                    body=_(
                        "%(done)s finished; the request stays open for %(open)s.",
                        done=done_links,
                        open=Markup(", ").join(case._get_html_link() for case in waiting),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            elif ticket._complaint_missing_closing_fields():
                ticket._aftersales_ask_closing_fields(done_links)
            else:
                ticket._aftersales_solve(done_links)

    @api.model
    def _aftersales_open_cases(self, tickets, exclude):
        """{ticket: its repairs and returns still open, but ``exclude``}, read as
        superuser: a case the user cannot see keeps the request open all the same."""
        result = {}
        for model, domain in OPEN_CASE_DOMAINS.items():
            cases = (
                self.env[model]
                .sudo()
                .search([("ticket_id", "in", tickets.ids), *domain])
                .filtered(lambda case: case not in exclude)
            )
            for case in cases:
                result.setdefault(case.ticket_id, []).append(case)
        return result

    def _complaint_missing_closing_fields(self):
        """Labels of what a complaint must state before it closes (P6.5)."""
        self.ensure_one()
        if self.ticket_type != "complaint":
            return []
        return [
            self._fields[fname].get_description(self.env)["string"]
            for fname in COMPLAINT_CLOSING_FIELDS
            if not self[fname] or (isinstance(self[fname], str) and not self[fname].strip())
        ]

    def _aftersales_close_complaint_activities(self):
        """The owner recorded what the complaint lacked: its to-do is done."""
        closing = self.env.ref("aftersales_service.mail_activity_type_complaint_closing")
        self.filtered(
            lambda t: t.ticket_type == "complaint" and not t._complaint_missing_closing_fields()
        ).activity_ids.filtered(lambda a: a.activity_type_id == closing).action_feedback(
            feedback=_("Root cause and corrective action recorded.")
        )

    def _aftersales_solve(self, done_links):
        self.ensure_one()
        solved = self.team_id._get_stages().filtered(lambda s: s.is_closed and not s.is_cancelled)[
            :1
        ]
        if not solved:
            return
        self.stage_id = solved
        self.message_post(
            body=_("%(done)s finished: the request is solved.", done=done_links),
            subtype_xmlid="mail.mt_note",
        )

    def _aftersales_ask_closing_fields(self, done_links):
        """P6.5: the remedy is carried out, the complaint closes once its owner
        records what it still lacks."""
        self.ensure_one()
        stages = self.team_id._get_stages()
        if self.stage_id == stages[:1]:
            in_progress = stages.filtered(lambda s: not s.is_closed and not s.sla_paused)[1:2]
            if in_progress:
                self.stage_id = in_progress
        missing = ", ".join(self._complaint_missing_closing_fields())
        # Its owner: the assignee, else the team leader, else whoever took the call
        # (a customer filing on the portal is nobody's owner).
        creator = self.create_uid.filtered(lambda u: not u.share and not u._is_superuser())
        owner = self.user_id or self.team_id.leader_id or creator
        closing = self.env.ref("aftersales_service.mail_activity_type_complaint_closing")
        if owner and not self.activity_ids.filtered(lambda a: a.activity_type_id == closing):
            self.with_context(mail_activity_quick_update=True).activity_schedule(
                activity_type_id=closing.id,
                note=_(
                    "%(done)s finished. To close the complaint, record its %(missing)s.",
                    done=done_links,
                    missing=missing,
                ),
                user_id=owner.id,
            )
        self.message_post(
            body=_(
                "%(done)s finished. The complaint stays open until its %(missing)s are recorded.",
                done=done_links,
                missing=missing,
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _notify_serious_complaint(self):
        """P6.4: serious complaints go to the management level at once."""
        complaints = self.filtered(lambda t: t.ticket_type == "complaint" and t.is_serious)
        if not complaints:
            return
        managers = self.env.ref("aftersales_service.group_aftersales_manager").sudo().users
        for ticket in complaints:
            recipients = managers.filtered(
                lambda u, t=ticket: t.company_id in u.company_ids and not u.share
            ).partner_id
            ticket.message_post(
                body=_(
                    "Serious complaint %(ticket)s from %(customer)s: the After-Sales managers "
                    "are notified.",
                    ticket=ticket.display_name,
                    customer=ticket.partner_id.display_name or _("an unknown customer"),
                ),
                partner_ids=recipients.ids,
                subtype_xmlid="mail.mt_note",
                message_type="comment",
            )
