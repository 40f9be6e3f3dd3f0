from odoo import api, fields, models

from ..models.repair_order import INSPECTION_CHECKS


class AftersalesRepairInspectWizard(models.TransientModel):
    """P3.4: the supervisor's inspection of a workshop repair: the function test,
    appearance and accessories checks, and a note."""

    _name = "aftersales.repair.inspect.wizard"
    _description = "Inspect a Repair"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    goods_receipt_id = fields.Many2one(
        "aftersales.goods.receipt", compute="_compute_goods_receipt_id"
    )
    accessories = fields.Text(related="goods_receipt_id.accessories", string="Received With")
    check_function = fields.Boolean(string="Function Test Passed")
    check_appearance = fields.Boolean(string="Appearance Checked")
    check_accessories = fields.Boolean(string="Accessories Complete")
    note = fields.Text(string="Inspection Notes")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("repair_id")
    def _compute_goods_receipt_id(self):
        for wizard in self:
            wizard.goods_receipt_id = wizard.repair_id.aftersales_goods_receipt_ids[:1]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        checks = {fname: self[fname.removeprefix("aftersales_")] for fname in INSPECTION_CHECKS}
        self.repair_id._aftersales_inspect(self.note, checks)
        return {"type": "ir.actions.act_window_close"}
