from odoo import models

from .report_xlsx_common import Column


class ReportXlsxCustomer(models.AbstractModel):
    """Customer data and tags (表1, P1.1, P9.3): number, name, industry, contact and
    position, phone, start of the relationship, tier, tags, purchase amount and last
    interaction. From the wizard: the customers (companies and individuals, not their
    contacts) — with a period or a team, those who had a service request then/there."""

    _name = "report.aftersales_service_report.xlsx_customer"
    _inherit = "report.aftersales_service_report.xlsx_common"
    _description = "Customer data and tags export"
    _export_model = "res.partner"
    _export_order = "name, id"

    def _export_domain(self, filters):
        domain = [
            ("parent_id", "=", False),
            "|",
            ("customer_rank", ">", 0),
            ("aftersales_tier_id", "!=", False),
        ]
        if filters["date_from"] or filters["date_to"] or filters["team"]:
            ticket_domain = self._period_domain("received_at", filters, "aftersales.ticket")
            if filters["team"]:
                ticket_domain.append(("team_id", "=", filters["team"].id))
            if filters["company"]:
                ticket_domain.append(("company_id", "=", filters["company"].id))
            partners = self.env["aftersales.ticket"]._read_group(
                ticket_domain, ["commercial_partner_id"]
            )
            domain.append(("id", "in", [partner.id for (partner,) in partners]))
        return domain

    def _columns(self, with_needs):
        _ = self.env._
        columns = [
            Column(_("Number"), "text", 12),
            Column(_("Name"), "text", 30),
            Column(_("Industry"), "text", 18),
            Column(_("Contact"), "text", 20),
            Column(_("Position"), "text", 16),
            Column(_("Phone"), "text", 16),
            Column(_("Customer Since"), "date", 12),
            Column(_("Tier"), "text", 12),
            Column(_("Tags"), "text", 30),
            Column(_("Invoiced in Tier Window"), "amount", 14),
            Column(_("Last Interaction"), "date", 12),
        ]
        if with_needs:
            columns.insert(9, Column(_("Need Tags"), "text", 30))
        return columns

    def generate_xlsx_report(self, workbook, data, objs):
        filters = self._export_filters(data)
        formats = self._formats(workbook)
        # Need tags are confidential service-team data (P10.1): only for who may read them.
        with_needs = (
            self.env["res.partner"]._fields["aftersales_need_tag_ids"].is_accessible(self.env)
        )
        title = self.env._("Customers")
        rows = self._rows(objs, filters, with_needs)
        self._write_table(workbook, formats, title, self._columns(with_needs), rows, filters)

    def _main_contacts(self, partners):
        """The first contact person of each company: who we talk to, and as what."""
        contacts = self.env["res.partner"].search_fetch(
            [("parent_id", "in", partners.ids), ("type", "=", "contact")],
            ["parent_id", "name", "function"],
            order="parent_id, id",
        )
        main = {}
        for contact in contacts:
            main.setdefault(contact.parent_id.id, contact)
        return main

    def _rows(self, partners, filters, with_needs):
        company = filters["company"] or self.env.company
        last_contact = self.env["aftersales.tier"]._last_contact_by_partner(company)
        fnames = [
            "ref",
            "name",
            "is_company",
            "industry_id",
            "function",
            "phone",
            "mobile",
            "aftersales_first_purchase_date",
            "aftersales_tier_id",
            "category_id",
            "aftersales_invoiced_amount",
        ]
        if with_needs:
            fnames.append("aftersales_need_tag_ids")
        name = self._name_of
        for batch, records in self._read_batches(partners.with_company(company), fnames):
            contacts = self._main_contacts(batch)
            tag_names = self._tag_names(records, "category_id", "res.partner.category")
            need_names = (
                self._tag_names(records, "aftersales_need_tag_ids", "aftersales.need.tag")
                if with_needs
                else {}
            )
            for partner in records:
                contact = contacts.get(partner["id"])
                if contact:
                    person, position = contact.name, contact.function
                elif not partner["is_company"]:
                    person, position = partner["name"], partner["function"]
                else:
                    person = position = None
                row = [
                    partner["ref"],
                    partner["name"],
                    name(partner["industry_id"]),
                    person,
                    position,
                    partner["phone"] or partner["mobile"],
                    partner["aftersales_first_purchase_date"],
                    name(partner["aftersales_tier_id"]),
                    ", ".join(tag_names[i] for i in partner["category_id"]) or None,
                    partner["aftersales_invoiced_amount"],
                    last_contact.get(partner["id"]),
                ]
                if with_needs:
                    names = ", ".join(need_names[i] for i in partner["aftersales_need_tag_ids"])
                    row.insert(9, names or None)
                yield row

    def _tag_names(self, records, field_name, model):
        ids = {tag_id for record in records for tag_id in record[field_name]}
        return {tag.id: tag.display_name for tag in self.env[model].browse(ids)}
