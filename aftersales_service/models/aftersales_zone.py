from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesZone(models.Model):
    """Service location zone of a customer address and its arrival target (P2.5)."""

    _name = "aftersales.zone"
    _description = "After-Sales Service Zone"
    _inherit = ["aftersales.workflow.guard"]
    _order = "sequence, id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the zone between companies.",
    )
    arrival_hours = fields.Float(
        string="Arrival Target (working hours)",
        required=True,
        default=6.0,
        help="From the customer's call to the technician's arrival on site ("
        "6 working hours in the city, 7 in the suburbs).",
    )
    description = fields.Text(translate=True, help="Districts or postcodes of the zone.")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("arrival_hours")
    def _check_arrival_hours(self):
        for zone in self:
            if zone.arrival_hours <= 0:
                raise ValidationError(
                    _(
                        "Zone %s: the arrival target must be a positive number of working hours.",
                        zone.name,
                    )
                )
