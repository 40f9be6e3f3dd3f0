from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_tier_window_months = fields.Integer(
        related="company_id.aftersales_tier_window_months", readonly=False
    )
    aftersales_new_customer_months = fields.Integer(
        related="company_id.aftersales_new_customer_months", readonly=False
    )
    aftersales_churn_months = fields.Integer(
        related="company_id.aftersales_churn_months", readonly=False
    )
    aftersales_escalation_warning_minutes = fields.Integer(
        related="company_id.aftersales_escalation_warning_minutes", readonly=False
    )
    aftersales_escalation_level2_hours = fields.Float(
        related="company_id.aftersales_escalation_level2_hours", readonly=False
    )
    aftersales_default_warranty_months = fields.Integer(
        related="company_id.aftersales_default_warranty_months", readonly=False
    )
    aftersales_repair_warranty_months = fields.Integer(
        related="company_id.aftersales_repair_warranty_months", readonly=False
    )
    aftersales_workshop_days = fields.Integer(
        related="company_id.aftersales_workshop_days", readonly=False
    )
    aftersales_labour_product_id = fields.Many2one(
        related="company_id.aftersales_labour_product_id", readonly=False
    )
    aftersales_return_window_days = fields.Integer(
        related="company_id.aftersales_return_window_days", readonly=False
    )
    aftersales_voucher_validity_days = fields.Integer(
        related="company_id.aftersales_voucher_validity_days", readonly=False
    )
    aftersales_contract_reminder_days = fields.Integer(
        related="company_id.aftersales_contract_reminder_days", readonly=False
    )
    aftersales_feedback_delay_hours = fields.Integer(
        related="company_id.aftersales_feedback_delay_hours", readonly=False
    )
    aftersales_feedback_validity_days = fields.Integer(
        related="company_id.aftersales_feedback_validity_days", readonly=False
    )
    aftersales_feedback_complaint_threshold = fields.Float(
        related="company_id.aftersales_feedback_complaint_threshold", readonly=False
    )
    aftersales_new_customer_callback_days = fields.Integer(
        related="company_id.aftersales_new_customer_callback_days", readonly=False
    )
    aftersales_high_value_visit_months = fields.Integer(
        related="company_id.aftersales_high_value_visit_months", readonly=False
    )
    aftersales_satisfaction_callback_hours = fields.Integer(
        related="company_id.aftersales_satisfaction_callback_hours", readonly=False
    )
    aftersales_target_satisfaction = fields.Float(
        related="company_id.aftersales_target_satisfaction", readonly=False
    )
    aftersales_target_complaint_ontime = fields.Float(
        related="company_id.aftersales_target_complaint_ontime", readonly=False
    )
    aftersales_target_first_response = fields.Float(
        related="company_id.aftersales_target_first_response", readonly=False
    )
    aftersales_target_resolution_ontime = fields.Float(
        related="company_id.aftersales_target_resolution_ontime", readonly=False
    )
    aftersales_target_complaint_rate = fields.Float(
        related="company_id.aftersales_target_complaint_rate", readonly=False
    )
    aftersales_kpi_min_orders = fields.Integer(
        related="company_id.aftersales_kpi_min_orders", readonly=False
    )
    aftersales_return_location_id = fields.Many2one(
        related="company_id.aftersales_return_location_id", readonly=False
    )
    aftersales_tiers_computed_at = fields.Datetime(
        related="company_id.aftersales_tiers_computed_at"
    )

    def action_aftersales_recompute_tiers(self):
        """P1.2: recompute the tiers of the settings' company now."""
        self.ensure_one()
        return self.env["aftersales.tier"].with_company(self.company_id).action_recompute_tiers()
