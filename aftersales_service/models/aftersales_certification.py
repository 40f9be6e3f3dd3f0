from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesCertification(models.Model):
    """A technician's qualification for a product category (P3.1)."""

    _name = "aftersales.certification"
    _description = "Technician Certification"
    _inherit = ["aftersales.workflow.guard"]
    _order = "user_id, categ_id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('share', '=', False)]",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Qualified For",
        required=True,
        ondelete="cascade",
        help="Products of this category and of its sub-categories.",
    )
    reference = fields.Char(string="Certificate", help="Number of the training certificate.")
    date_valid_until = fields.Date(
        string="Valid Until", help="Leave empty when the certification does not expire."
    )
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    # ------------------------------------------------------------------
    # SQL constraints
    # ------------------------------------------------------------------
    _sql_constraints = [
        (
            "user_categ_uniq",
            "unique (user_id, categ_id, company_id)",
            "This technician is already certified for this category.",
        ),
    ]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("user_id")
    def _check_internal_user(self):
        for certification in self:
            if certification.user_id.share:
                raise ValidationError(
                    _(
                        "%s is not an employee: only internal users can be certified.",
                        certification.user_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _is_qualified(self, user, product, company=None, on_date=None):
        """P3.1: whether ``user`` holds a certification valid on ``on_date`` (the
        company's today) covering ``product``'s category (or a parent of it) in
        ``company`` (a certification of no company counts everywhere; another
        company's does not)."""
        if not user or not product:
            return True
        company = company or self.env.company
        on_date = on_date or company._aftersales_today()
        return bool(
            self.sudo().search_count(
                [
                    ("user_id", "=", user.id),
                    ("company_id", "in", [company.id, False]),
                    ("categ_id", "parent_of", product.categ_id.id),
                    "|",
                    ("date_valid_until", "=", False),
                    ("date_valid_until", ">=", on_date),
                ],
                limit=1,
            )
        )
