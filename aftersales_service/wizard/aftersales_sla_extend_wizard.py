from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.aftersales_sla_mixin import SLA_STATUSES


class AftersalesSlaExtendWizard(models.TransientModel):
    """P6.3: a supervisor extends a complex case's resolution deadline once.

    The form previews the new deadline on the record's working calendar while the
    supervisor types the hours, shows the 7-working-day cap and says what happens
    to a missed deadline, before anything is written."""

    _name = "aftersales.sla.extend.wizard"
    _description = "Extend an SLA Resolution Deadline"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    res_model = fields.Char(required=True)
    res_id = fields.Integer(required=True)
    record_name = fields.Char(string="Record", compute="_compute_record_values")
    calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours", compute="_compute_record_values"
    )
    current_deadline = fields.Datetime(compute="_compute_record_values")
    current_status = fields.Selection(
        SLA_STATUSES,
        string="Resolution SLA",
        compute="_compute_record_values",
    )
    customer_told = fields.Boolean(compute="_compute_record_values")
    hours = fields.Float(
        string="Extra Working Hours",
        required=True,
        default=8.0,
        help="Added to the resolution deadline, counted in the record's working hours.",
    )
    reason = fields.Text(required=True, help="Told to the customer by e-mail.")
    new_deadline = fields.Datetime(compute="_compute_preview")
    latest_deadline = fields.Datetime(
        string="Latest Possible Deadline",
        compute="_compute_preview",
        help="7 working days from receipt, paused time not counted: no extension goes beyond it.",
    )
    max_hours = fields.Float(string="At Most", compute="_compute_preview")
    preview_problem = fields.Char(compute="_compute_preview")
    preview_outcome = fields.Char(compute="_compute_preview")
    preview_outcome_kind = fields.Selection(
        [("resumed", "Running Again"), ("still_missed", "Still Missed"), ("running", "Running")],
        compute="_compute_preview",
    )

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("res_model", "res_id")
    def _compute_record_values(self):
        for wizard in self:
            record = wizard._get_record() if wizard.res_model and wizard.res_id else None
            if record is None:
                wizard.update(
                    {
                        "record_name": False,
                        "calendar_id": False,
                        "current_deadline": False,
                        "current_status": False,
                        "customer_told": False,
                    }
                )
                continue
            wizard.record_name = record.display_name
            wizard.calendar_id = record.sla_calendar_id
            wizard.current_deadline = record.sla_resolution_deadline
            wizard.current_status = record.sla_resolution_status
            wizard.customer_told = bool(record.sudo()._sla_extension_template())

    @api.depends("res_model", "res_id", "hours")
    def _compute_preview(self):
        now = fields.Datetime.now()
        for wizard in self:
            if not (wizard.res_model and wizard.res_id):
                wizard.update(
                    dict.fromkeys(
                        (
                            "new_deadline",
                            "latest_deadline",
                            "max_hours",
                            "preview_problem",
                            "preview_outcome",
                            "preview_outcome_kind",
                        ),
                        False,
                    )
                )
                continue
            record = wizard._get_record()
            # The preview reads the engine's configuration, as the extension does.
            preview = record.sudo()._sla_extension_preview(wizard.hours)
            wizard.new_deadline = preview["deadline"]
            wizard.latest_deadline = preview["latest"]
            wizard.max_hours = preview["max_hours"]
            wizard.preview_problem = preview["problem"]
            wizard.preview_outcome, wizard.preview_outcome_kind = wizard._preview_outcome(
                record, preview["deadline"], now
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self.ensure_one()
        self._get_record()._sla_extend(self.hours, self.reason)
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

    def _preview_outcome(self, record, deadline, now):
        """The sentence under the new deadline: a missed deadline is not turned back
        into a running one without saying so. The deadline itself is the field next
        to it (shown in the user's time zone by the client)."""
        if not deadline:
            return False, False
        if deadline < now:
            return _("The new deadline is already past: the resolution stays missed."), (
                "still_missed"
            )
        if record.sla_resolution_status == "missed":
            return (
                _(
                    "The resolution deadline was missed. After this extension it is running "
                    "again until the new deadline; the escalation already done stays on "
                    "record."
                ),
                "resumed",
            )
        return False, "running"
