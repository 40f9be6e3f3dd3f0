from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    aftersales_tier_window_months = fields.Integer(
        string="Tier Window (months)",
        default=12,
        help="Invoiced amount and order count are summed over this rolling window "
        "to grade customers (P1.2).",
    )
    aftersales_new_customer_months = fields.Integer(
        string="New Customer Period (months)",
        default=3,
        help="A customer whose first purchase is at most this many months old is "
        "'new'; after that 'stable' (P1.3).",
    )
    aftersales_churn_months = fields.Integer(
        string="Churn Risk After (months)",
        default=6,
        help="A customer with no purchase and no contact for longer than this is "
        "flagged 'churn risk' (P1.3).",
    )
    aftersales_tiers_computed_at = fields.Datetime(
        string="Tiers Last Recomputed",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "aftersales_tier_window_months",
        "aftersales_new_customer_months",
        "aftersales_churn_months",
    )
    def _check_aftersales_periods(self):
        for company in self:
            for fname in (
                "aftersales_tier_window_months",
                "aftersales_new_customer_months",
                "aftersales_churn_months",
            ):
                if company[fname] < 1:
                    raise ValidationError(
                        _(
                            "%(setting)s of company %(company)s must be at least 1 "
                            "month (it is %(value)s).",
                            setting=self._fields[fname].get_description(self.env)["string"],
                            company=company.name,
                            value=company[fname],
                        )
                    )
