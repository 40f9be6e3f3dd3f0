from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesSlaExtendWizard(models.TransientModel):
    """P6.3: a supervisor extends a complex case's resolution deadline once."""

    _name = "aftersales.sla.extend.wizard"
    _description = "Extend an SLA Resolution Deadline"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    res_model = fields.Char(required=True)
    res_id = fields.Integer(required=True)
    record_name = fields.Char(compute="_compute_record_values")
    current_deadline = fields.Datetime(compute="_compute_record_values")
    hours = fields.Float(
        string="Extra Working Hours",
        required=True,
        default=8.0,
        help="Added to the resolution deadline, counted in the record's working hours.",
    )
    reason = fields.Text(required=True, help="Told to the customer by e-mail.")

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("res_model", "res_id")
    def _compute_record_values(self):
        for wizard in self:
            record = wizard._get_record()
            wizard.record_name = record.display_name
            wizard.current_deadline = record.sla_resolution_deadline

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self._get_record().action_sla_extend(self.hours, self.reason)
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_record(self):
        self.ensure_one()
        if self.res_model not in self.env["aftersales.sla.mixin"]._sla_model_names():
            raise UserError(_("%s does not run on the SLA engine.", self.res_model))
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(_("The record to extend no longer exists."))
        record.check_access("write")
        return record
