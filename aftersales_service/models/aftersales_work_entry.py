from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class AftersalesWorkEntry(models.Model):
    """Labour on a repair: who, when, how long, what (repair card, P2.7; daily
    reports, P9.1)."""

    _name = "aftersales.work.entry"
    _description = "Repair Work Entry"
    _inherit = ["aftersales.workflow.guard"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one(
        "repair.order", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="repair_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    date = fields.Date(
        required=True, index=True, default=lambda self: self.env.company._aftersales_today()
    )
    hours = fields.Float(required=True, help="Time spent, in hours.")
    description = fields.Char(required=True, help="What was done.")
    service_type = fields.Selection(
        related="repair_id.aftersales_service_type", store=True, index=True
    )
    chargeable = fields.Boolean(
        default=True,
        help="Labour billed to the customer on paid and contract repairs (at the labour "
        "product's price and the contract's terms).",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        domain="[('type', '=', 'service')]",
        default=lambda self: self.env.company.aftersales_labour_product_id,
        check_company=True,
    )
    partner_id = fields.Many2one(related="repair_id.partner_id", store=True)

    # ------------------------------------------------------------------
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_user_links(self):
        return (
            *super()._aftersales_user_links(),
            "repair_id",
        )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("hours")
    def _check_hours(self):
        for entry in self:
            if entry.hours <= 0 or entry.hours > 24:
                raise ValidationError(
                    _(
                        "A work entry of %(user)s on %(date)s has %(hours)s hours: enter the "
                        "time spent that day, more than 0 and at most 24.",
                        user=entry.user_id.name,
                        date=format_date(self.env, entry.date),
                        hours=entry.hours,
                    )
                )

    @api.constrains("date")
    def _check_date(self):
        for entry in self:
            if entry.date > entry.company_id._aftersales_today():
                raise ValidationError(
                    _(
                        "Work cannot be logged in the future (%s).",
                        format_date(self.env, entry.date),
                    )
                )
