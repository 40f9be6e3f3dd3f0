from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

from ..tools.probes import probe_table, same_company


class WarrantyProbe(NamedTuple):
    """A question to ``product.product._aftersales_warranty_starts``: when did this
    product (or serial) reach this customer, in this company?"""

    key: int
    company_id: int
    partner_id: int  # the customer's commercial entity
    product_id: int
    lot_id: int | bool


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _aftersales_warranty_months(self, company):
        """P2.4: the product's warranty, else its category's (or a parent's), else
        the company's default."""
        self.ensure_one()
        if self.aftersales_warranty_months:
            return self.aftersales_warranty_months
        category = self.categ_id
        while category:
            if category.aftersales_warranty_months:
                return category.aftersales_warranty_months
            category = category.parent_id
        return company.aftersales_default_warranty_months

    def _aftersales_warranty_end(self, start, company):
        """P2.4: last day of the free warranty of this product from ``start``."""
        self.ensure_one()
        return start + relativedelta(months=self._aftersales_warranty_months(company))

    @api.model
    def _aftersales_warranty_starts(self, probes):
        """P2.4: where each probe's warranty starts — ``{key: (day, source)}``, source
        ``'delivery'`` or ``'invoice'``.

        The delivery is the last done move of the product (the serial, when given)
        to the customer's commercial entity, as the company's calendar day; without
        one, the date of the last posted invoice of the product to them. Only the
        probe's own company's deliveries and invoices count: another company's
        sale grants nothing here. Two grouped queries for all probes."""
        if not probes:
            return {}
        for model in ("stock.move.line", "stock.move", "account.move.line", "account.move"):
            self.env[model].flush_model()
        probe_sql = probe_table(probes, {"key": "int"})
        deliveries = self.env.execute_query(
            SQL(
                """
            SELECT p.key, p.company_id, MAX(ml.date)
              FROM %(probes)s
              JOIN stock_move_line ml ON ml.product_id = p.product_id
                   AND %(same_company_ml)s
                   AND (p.lot_id IS NULL OR ml.lot_id = p.lot_id)
              JOIN stock_move m ON m.id = ml.move_id
              JOIN stock_location dest ON dest.id = ml.location_dest_id
              JOIN res_partner mp ON mp.id = m.partner_id
             WHERE ml.state = 'done'
               AND dest.usage = 'customer'
               AND mp.commercial_partner_id = p.partner_id
          GROUP BY p.key, p.company_id
                """,
                probes=probe_sql,
                same_company_ml=same_company("ml"),
            )
        )
        companies = self.env["res.company"].browse({probe.company_id for probe in probes})
        starts = {
            key: (companies.browse(company_id)._aftersales_local_date(moment), "delivery")
            for key, company_id, moment in deliveries
        }
        invoices = self.env.execute_query(
            SQL(
                """
            SELECT p.key, MAX(am.invoice_date)
              FROM %(probes)s
              JOIN account_move_line aml ON aml.product_id = p.product_id
                   AND %(same_company_aml)s
              JOIN account_move am ON am.id = aml.move_id
             WHERE am.state = 'posted'
               AND am.move_type = 'out_invoice'
               AND am.commercial_partner_id = p.partner_id
               AND p.key != ALL(%(delivered)s)
          GROUP BY p.key
                """,
                probes=probe_sql,
                same_company_aml=same_company("aml"),
                delivered=list(starts),
            )
        )
        starts.update({key: (day, "invoice") for key, day in invoices})
        return starts
