from odoo import fields, models

from ..models.repair_order import SERVICE_TYPES


class AftersalesRepairOverrideWizard(models.TransientModel):
    """P2.4: a supervisor overrides a repair's service type, with a reason."""

    _name = "aftersales.repair.override.wizard"
    _description = "Override a Repair's Service Type"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    current_type = fields.Selection(related="repair_id.aftersales_service_type")
    current_reason = fields.Char(related="repair_id.aftersales_service_type_reason")
    service_type = fields.Selection(SERVICE_TYPES, string="New Service Type", required=True)
    reason = fields.Text(required=True)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.repair_id._aftersales_override_service_type(self.service_type, self.reason)
        return {"type": "ir.actions.act_window_close"}
