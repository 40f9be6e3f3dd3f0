from collections import defaultdict

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
        return not self._unqualified([(user, product, company or self.env.company)], on_date)

    @api.model
    def _unqualified(self, checks, on_date=None):
        """P3.1 for a batch: the indexes of the ``(user, product, company)`` checks
        whose user holds no certification valid on ``on_date`` (else the company's
        today) for the product's category or a parent of it, in that company or in
        none. A check without user or product passes. One query for the batch."""
        checks = [(index, *check) for index, check in enumerate(checks) if check[0] and check[1]]
        if not checks:
            return set()
        users = self.env["res.users"].union(*(user for _i, user, _p, _c in checks))
        companies = self.env["res.company"].union(*(company for _i, _u, _p, company in checks))
        # sudo(): whoever assigns a repair learns whether its technician is certified.
        certifications = self.sudo().search_fetch(
            [
                ("user_id", "in", users.ids),
                ("company_id", "in", [*companies.ids, False]),
            ],
            ["user_id", "categ_id", "company_id", "date_valid_until"],
        )
        held = defaultdict(list)
        for certification in certifications:
            held[certification.user_id.id].append(certification)
        days = {company: on_date or company._aftersales_today() for company in companies}
        unqualified = set()
        for index, user, product, company in checks:
            path = product.categ_id.parent_path or ""
            if not any(
                certification.company_id in (company, self.env["res.company"])
                and (
                    not certification.date_valid_until
                    or certification.date_valid_until >= days[company]
                )
                and path.startswith(certification.categ_id.parent_path)
                for certification in held[user.id]
            ):
                unqualified.add(index)
        return unqualified
