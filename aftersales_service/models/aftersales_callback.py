from odoo import api, fields, models

CALLBACK_METHODS = [("phone", "Phone"), ("online", "Online"), ("visit", "Visit")]
CALLBACK_PURPOSES = [
    ("satisfaction", "Satisfaction after a service"),
    ("new_customer", "New customer"),
    ("periodic", "Periodic contact"),
    ("visit", "Yearly visit"),
    ("other", "Other"),
]
CALLBACK_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("missed", "Missed"),
    ("cancelled", "Cancelled"),
]


class AftersalesCallback(models.Model):
    """A planned contact with a customer (回访, P1.5, P6.6): planned automatically
    from the tier's cadence, the first order and solved tickets, and recorded:
    what was asked, what the customer said, the follow-up and its owner."""

    _name = "aftersales.callback"
    _description = "After-Sales Customer Callback"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    planned_date = fields.Datetime(required=True, index=True, tracking=True)
    method = fields.Selection(CALLBACK_METHODS, required=True, default="phone", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    purpose = fields.Selection(CALLBACK_PURPOSES, required=True, default="other")
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
        help="The solved request whose satisfaction this callback confirms (P6.6).",
    )
    tier_id = fields.Many2one(
        "aftersales.tier", readonly=True, help="The customer's tier when it was planned."
    )
    question = fields.Text(string="What Was Asked")
    answer = fields.Text(string="What the Customer Said")
    follow_up_action = fields.Text()
    follow_up_user_id = fields.Many2one("res.users", string="Follow-up Owner")
    follow_up_deadline = fields.Date()
    state = fields.Selection(
        CALLBACK_STATES, default="planned", required=True, index=True, tracking=True
    )
    done_at = fields.Datetime(readonly=True, copy=False)
    plan_key = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="What the planner planned this callback for (one per key and company), "
        "so that running it again plans nothing twice.",
    )

    _sql_constraints = [
        (
            "plan_key_unique",
            "UNIQUE (company_id, plan_key)",
            "This callback was already planned.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("partner_id", "purpose")
    def _compute_name(self):
        purposes = dict(CALLBACK_PURPOSES)
        for callback in self:
            callback.name = (
                f"{callback.partner_id.display_name or ''} - {purposes.get(callback.purpose, '')}"
            )
