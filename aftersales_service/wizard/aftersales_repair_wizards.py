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
        self.repair_id.action_aftersales_override_service_type(self.service_type, self.reason)
        return {"type": "ir.actions.act_window_close"}


class AftersalesRepairReturnWizard(models.TransientModel):
    """P2.7, P3.4: the customer signs for the repaired product; the receipt is void."""

    _name = "aftersales.repair.return.wizard"
    _description = "Return a Repaired Product"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    signature = fields.Binary(required=True)
    signed_by = fields.Char(required=True)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self.repair_id.action_aftersales_return(self.signature, self.signed_by)
        return {"type": "ir.actions.act_window_close"}
