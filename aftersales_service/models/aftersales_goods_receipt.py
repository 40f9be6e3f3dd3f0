from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.workflow import workflow_step


class AftersalesGoodsReceipt(models.Model):
    """Goods receipt (客户商品领取收据) and the goods in/out register
    (客户商品进出登记簿) of carry-in repairs (P2.7)."""

    _name = "aftersales.goods.receipt"
    _description = "Customer Goods Receipt"
    _inherit = ["aftersales.workflow.guard", "mail.thread"]
    _order = "received_on desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Receipt", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    repair_id = fields.Many2one(
        "repair.order", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(related="repair_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="repair_id.partner_id", store=True, string="Customer")
    product_id = fields.Many2one(related="repair_id.product_id", store=True)
    lot_id = fields.Many2one(related="repair_id.lot_id", store=True, string="Serial / Lot")
    state = fields.Selection(
        [("received", "In Our Hands"), ("returned", "Returned (Void)")],
        default="received",
        required=True,
        tracking=True,
        index=True,
        readonly=True,
    )
    received_on = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    received_by = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, string="Taken By"
    )
    accessories = fields.Text(help="Everything that came with the product: cables, remote, box...")
    condition = fields.Text(
        help="Visible condition when received: scratches, dents, missing parts."
    )
    customer_signature = fields.Binary(copy=False, attachment=True)
    customer_signed_by = fields.Char(copy=False)
    returned_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    returned_by = fields.Many2one("res.users", readonly=True, copy=False, string="Handed Back By")
    return_signature = fields.Binary(copy=False, attachment=True, readonly=True)
    return_signed_by = fields.Char(copy=False, readonly=True)

    # ------------------------------------------------------------------
    # Workflow guard (aftersales.workflow.guard)
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """The product goes back to the customer only with the customer's signature."""
        return dict(
            super()._aftersales_workflow_fields(),
            state=None,
            returned_on=None,
            returned_by=None,
            return_signature=None,
            return_signed_by=None,
        )

    @api.model
    def _aftersales_user_links(self):
        return (
            *super()._aftersales_user_links(),
            "repair_id",
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "aftersales.goods.receipt"
                ) or _("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_register(self):
        raise UserError(
            _("Goods receipts are the register of customer goods: they cannot be deleted.")
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @workflow_step
    def _mark_returned(self, signature, signed_by):
        """P2.7: the customer signs for the returned product; the receipt is void."""
        for receipt in self:
            if receipt.state == "returned":
                raise UserError(_("Goods receipt %s was already returned.", receipt.name))
        self.write(
            {
                "state": "returned",
                "returned_on": fields.Datetime.now(),
                "returned_by": self.env.user.id,
                "return_signature": signature,
                "return_signed_by": signed_by,
            }
        )
