from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_contract_id = fields.Many2one(
        "aftersales.contract",
        string="Maintenance Contract",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="The maintenance contract this order bills.",
    )

    def action_confirm(self):
        result = super().action_confirm()
        # The customer accepted the renewal: the contract comes into force (P7.3).
        # Salespeople may confirm orders without rights on every contract.
        self.aftersales_contract_id.sudo()._on_quotation_confirmed()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self.aftersales_contract_id.sudo()._on_quotation_cancelled()
        return result


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    aftersales_repair_labour = fields.Boolean(
        string="Repair Labour",
        copy=False,
        readonly=True,
        help="Labour of the repair this order bills; its quantity follows the hours "
        "logged on the repair.",
    )
