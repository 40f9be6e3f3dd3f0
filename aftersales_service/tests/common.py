"""Shared set-up of the suite's tests.

Every test class works in companies of its own, with a chart of accounts, so
that neither Odoo's nor the suite's demo data changes what a test measures
(e.g. the top-N % ranking of P1.2).
"""

from datetime import datetime, time, timedelta
from urllib.parse import urlparse

import pytz

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.aftersales_service.models.repair_order import INSPECTION_CHECKS
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT, BaseCommon

#: A 1x1 PNG (base64): a customer's captured signature.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


#: ``company_user`` values of a service supervisor working in Shanghai time.
SUPERVISOR = {
    "groups": "base.group_user,aftersales_service.group_aftersales_supervisor",
    "tz": "Asia/Shanghai",
}


def company_user(env, login, company, **vals):
    """A user (``new_test_user``: ``groups``, ``name``...) of ``company`` only, who
    logs in with his login as password."""
    return new_test_user(
        env,
        login=login,
        password=login,
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
        **vals,
    )


def delivered_order(
    env, customer, product, quantity, price_unit, delivered=None, company=None, warehouse=None
):
    """A confirmed sale order of ``quantity`` x ``product`` at ``price_unit`` for
    ``customer``, ``delivered`` of them (all by default) by its done delivery; in
    ``company`` and from ``warehouse`` when given (else the order's defaults)."""
    orders = env["sale.order"]
    vals = {
        "partner_id": customer.id,
        "order_line": [
            Command.create(
                {"product_id": product.id, "product_uom_qty": quantity, "price_unit": price_unit}
            )
        ],
    }
    if company:
        orders = orders.with_company(company)
        vals["company_id"] = company.id
    if warehouse:
        vals["warehouse_id"] = warehouse.id
    order = orders.create(vals)
    order.action_confirm()
    delivery = order.picking_ids
    delivery.move_ids.quantity = quantity if delivered is None else delivered
    delivery.move_ids.picked = True
    delivery._action_done()
    return order


class AftersalesCase(BaseCommon):
    """A company with accounting, the After-Sales roles and record factories.

    On Odoo's ``BaseCommon``: its environment carries ``DISABLED_MAIL_CONTEXT``
    (no tracking, no creation note or subscription, no reset-password mail), so
    tests that check mail or tracking turn it back on themselves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls._create_company("After-Sales Test Company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.technician = cls._create_user("as_technician", "group_aftersales_user")
        cls.supervisor = cls._create_user("as_supervisor", "group_aftersales_supervisor")
        cls.manager = cls._create_user("as_manager", "group_aftersales_manager")
        cls.product = cls.env["product.product"].create(
            {"name": "Air Purifier AP-200", "type": "consu", "list_price": 100.0}
        )

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    @classmethod
    def _create_company(cls, name, with_accounting=True):
        company = cls.env["res.company"].create(
            {"name": name, "currency_id": cls.env.ref("base.USD").id}
        )
        # The policy counts the company's calendar days: every test company works
        # in Shanghai, whatever the time zone of the machine or of the test users.
        company.resource_calendar_id.tz = "Asia/Shanghai"
        if with_accounting:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
        return company

    @classmethod
    def _create_user(cls, login, group, company=None):
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,aftersales_service.{group}",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def _create_customer(cls, name, **vals):
        return cls.env["res.partner"].create(
            dict({"name": name, "is_company": True, "customer_rank": 1}, **vals)
        )

    @classmethod
    def _invoice_vals(cls, partner, amount, invoice_date, move_type="out_invoice"):
        return {
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Service",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    @classmethod
    def _invoice(
        cls, partner, amount, invoice_date, move_type="out_invoice", post=True, company=None
    ):
        """A customer invoice (or credit note) of ``amount`` untaxed, posted by default."""
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(cls._invoice_vals(partner, amount, invoice_date, move_type))
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _sale_order(cls, partner, date_order, confirm=True, company=None):
        """A sale order of one product, confirmed by default, dated ``date_order``."""
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create({"product_id": cls.product.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        # Confirmation stamps the order with "now"; put it back on the wanted day.
        order.date_order = datetime.combine(fields.Date.to_date(date_order), time(10, 0))
        return order

    @classmethod
    def _tier(cls, code, sequence, company=None, **vals):
        return cls.env["aftersales.tier"].create(
            dict(
                {
                    "name": code.title(),
                    "code": code,
                    "sequence": sequence,
                    "company_id": (company or cls.company).id,
                },
                **vals,
            )
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def recompute_tiers(self, company=None):
        return self.env["aftersales.tier"]._recompute_tiers(company or self.company)

    def partner_in(self, partner, company=None):
        """``partner`` as seen from ``company`` (tier fields are per company)."""
        return partner.with_company(company or self.company)


class AftersalesDeskCase(AftersalesCase):
    """A service team on a Mon-Fri 08:00-17:00 calendar in Shanghai, with a leader
    and a manager, and an SLA policy of 2 h response / 16 h resolution that beats
    the seeded ones for this team."""

    TZ = "Asia/Shanghai"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._create_calendar(cls.TZ)
        cls.leader = cls.supervisor
        cls.team = cls.env["aftersales.team"].create(
            {
                "name": "Shanghai Service Centre",
                "company_id": cls.company.id,
                "resource_calendar_id": cls.calendar.id,
                "leader_id": cls.leader.id,
                "manager_id": cls.manager.id,
                "member_ids": [Command.set((cls.technician | cls.supervisor).ids)],
            }
        )
        cls.policy = cls._policy(response_hours=2, resolution_hours=16)
        cls.customer = cls._create_customer("Hangzhou Xihu Appliances", email="xihu@example.com")
        cls.stage_new = cls.env.ref("aftersales_service.aftersales_stage_new")
        cls.stage_progress = cls.env.ref("aftersales_service.aftersales_stage_in_progress")
        cls.stage_waiting = cls.env.ref("aftersales_service.aftersales_stage_waiting")
        cls.stage_solved = cls.env.ref("aftersales_service.aftersales_stage_solved")

    @classmethod
    def _create_calendar(cls, tz, name="Mon-Fri 08:00-17:00"):
        return cls.env["resource.calendar"].create(
            {
                "name": f"{name} {tz}",
                "tz": tz,
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.clear(),
                    *[
                        Command.create(
                            {
                                "name": f"Day {day}",
                                "dayofweek": str(day),
                                "hour_from": 8,
                                "hour_to": 17,
                                "day_period": "morning",
                            }
                        )
                        for day in range(5)
                    ],
                ],
            }
        )

    @classmethod
    def _public_holiday(cls, calendar, day):
        """A whole-day public holiday ``day`` (YYYY-MM-DD, local) on ``calendar``."""
        tz = pytz.timezone(calendar.tz)
        start = tz.localize(datetime.fromisoformat(f"{day} 00:00:00")).astimezone(pytz.utc)
        stop = tz.localize(datetime.fromisoformat(f"{day} 23:59:59")).astimezone(pytz.utc)
        return cls.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": calendar.id,
                "date_from": start.replace(tzinfo=None),
                "date_to": stop.replace(tzinfo=None),
                "time_type": "leave",
            }
        )

    @classmethod
    def _policy(cls, **vals):
        """A policy for this team's phone service requests of general priority
        (four criteria: more specific than any seeded policy)."""
        return cls.env["aftersales.sla.policy"].create(
            dict(
                {
                    "name": "Test team policy",
                    "sequence": 1,
                    "company_id": cls.company.id,
                    "team_id": cls.team.id,
                    "ticket_type": "service",
                    "channel": "phone",
                    "priority": "1",
                },
                **vals,
            )
        )

    @classmethod
    def ticket(cls, **vals):
        """A phone service request of the team's customer (usable in setUpClass)."""
        return cls.env["aftersales.ticket"].create(
            dict(
                {
                    "subject": "Purifier does not start",
                    "partner_id": cls.customer.id,
                    "team_id": cls.team.id,
                    "channel": "phone",
                    "priority": "1",
                    "ticket_type": "service",
                },
                **vals,
            )
        )

    @classmethod
    def _sla_ticket(cls, received, response, resolution, complaint=False, team=None):
        """A ticket received at ``received`` (Shanghai time) whose SLA outcome is
        written directly: ``response`` and ``resolution`` are ``(hours, on time)``;
        a resolution closes the ticket."""
        received_at = cls.utc(received)
        vals = {"received_at": received_at, "user_id": cls.technician.id}
        if team:
            vals["team_id"] = team.id
        if complaint:
            vals.update(
                ticket_type="complaint",
                complaint_category="service",
                responsibility="company",
                remedy="explanation",
                root_cause="Late visit",
                corrective_action="Planning reviewed",
            )
        ticket = cls.ticket(**vals)
        if resolution:
            ticket.stage_id = cls.stage_solved
        hours, ontime = response
        sla = {
            "sla_response_deadline": received_at + timedelta(hours=2),
            "sla_resolution_deadline": received_at + timedelta(days=2),
            "sla_first_response_at": received_at + timedelta(hours=hours),
            "sla_response_time": hours,
            "sla_response_ontime": 100.0 if ontime else 0.0,
        }
        if resolution:
            hours, ontime = resolution
            sla.update(
                sla_solved_at=received_at + timedelta(days=1),
                sla_resolution_time=hours,
                sla_resolution_ontime=100.0 if ontime else 0.0,
            )
        ticket.with_context(aftersales_sla_skip=True).write(sla)
        return ticket

    @classmethod
    def _march_tickets(cls):
        """``other_team``, a second team of the company, and the desk's first four
        tickets of March 2025 for the KPI and dashboard figures: ``t1`` on time,
        ``t2`` late on both, ``t3`` answered and not resolved, ``t4`` a complaint
        on time."""
        cls.other_team = cls.env["aftersales.team"].create(
            {"name": "Hangzhou Branch", "company_id": cls.company.id}
        )
        cls.t1 = cls._sla_ticket("2025-03-03 09:00", (1.0, True), (10.0, True))
        cls.t2 = cls._sla_ticket("2025-03-04 09:00", (3.0, False), (20.0, False))
        cls.t3 = cls._sla_ticket("2025-03-05 09:00", (2.0, True), None)
        cls.t4 = cls._sla_ticket("2025-03-06 09:00", (0.5, True), (6.0, True), complaint=True)

    @classmethod
    def _feedback(cls, ticket, answered, levels, marks):
        """An answered feedback on ``ticket``: technician ``levels`` (four "1"-"4"
        answers) and service ``marks`` (three 1-5 marks), answered at ``answered``
        ('YYYY-MM-DD HH:MM' Shanghai time, or a naive UTC datetime)."""
        attitude, skill, arrival, promise = levels
        service_attitude, response_speed, resolution_efficiency = marks
        return cls.env["aftersales.feedback"].create(
            {
                "ticket_id": ticket.id,
                "partner_id": ticket.partner_id.id,
                "technician_id": ticket.user_id.id,
                "team_id": ticket.team_id.id,
                "company_id": cls.company.id,
                "state": "answered",
                "answered_at": cls.utc(answered) if isinstance(answered, str) else answered,
                "technician_attitude": attitude,
                "technician_skill": skill,
                "technician_arrival": arrival,
                "technician_promise": promise,
                "service_attitude": service_attitude,
                "response_speed": response_speed,
                "resolution_efficiency": resolution_efficiency,
            }
        )

    @staticmethod
    def utc(local, tz=None):
        """Naive UTC datetime of ``local`` ('YYYY-MM-DD HH:MM') in ``tz`` (Shanghai)."""
        zone = pytz.timezone(tz or AftersalesDeskCase.TZ)
        moment = zone.localize(datetime.fromisoformat(local))
        return moment.astimezone(pytz.utc).replace(tzinfo=None)

    @classmethod
    def done_delivery(cls, customer, product, done_at, group=None):
        """A done delivery of one ``product`` to ``customer`` from the company's
        warehouse, its completion dated ``done_at`` (UTC) — an order counted by the
        complaint rate."""
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        customers = cls.env.ref("stock.stock_location_customers")
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": customers.id,
                            "group_id": group and group.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.write({"quantity": 1, "picked": True})
        picking._action_done()
        picking.date_done = done_at
        return picking


class AftersalesRepairCase(AftersalesDeskCase):
    """Repairs of an air purifier (category Appliances / Purifiers) for the desk's
    customer, a certified technician, a spare part and the labour product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "aftersales_default_warranty_months": 12,
                "aftersales_repair_warranty_months": 3,
                "aftersales_workshop_days": 5,
            }
        )
        cls.appliances = cls.env["product.category"].create({"name": "Appliances"})
        cls.purifiers = cls.env["product.category"].create(
            {"name": "Purifiers", "parent_id": cls.appliances.id}
        )
        cls.purifier = cls.env["product.product"].create(
            {
                "name": "Air Purifier AP-300",
                "type": "consu",
                "categ_id": cls.purifiers.id,
                "list_price": 2000.0,
            }
        )
        cls.serial_purifier = cls.env["product.product"].create(
            {
                "name": "Air Purifier AP-900",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": cls.purifiers.id,
                "list_price": 5000.0,
            }
        )
        cls.part = cls.env["product.product"].create(
            {"name": "HEPA Filter", "type": "consu", "list_price": 150.0}
        )
        cls.labour = cls.env.ref("aftersales_service.product_repair_labour")
        cls.company.aftersales_labour_product_id = cls.labour
        cls.env["aftersales.certification"].create(
            {
                "user_id": cls.technician.id,
                "categ_id": cls.appliances.id,
                "company_id": cls.company.id,
            }
        )
        cls.noise = cls.env.ref("aftersales_service.aftersales_category_fault_noise")
        cls.city = cls.env.ref("aftersales_service.aftersales_zone_city")
        cls.suburb = cls.env.ref("aftersales_service.aftersales_zone_suburb")
        cls.accountant = cls.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "as_accountant",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set([cls.env.ref("account.group_account_invoice").id])],
            }
        )

    @classmethod
    def repair(cls, product=None, **vals):
        return cls.env["repair.order"].create(
            dict(
                {
                    "partner_id": cls.customer.id,
                    "product_id": (product or cls.purifier).id,
                    "aftersales_team_id": cls.team.id,
                    "aftersales_fault_category_id": cls.noise.id,
                },
                **vals,
            )
        )

    @classmethod
    def lot(cls, name, product=None):
        return cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": (product or cls.serial_purifier).id,
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def deliver(cls, lot, day=None, at=None, company=None, customer=None):
        """A done delivery of ``lot`` to the customer (warranty start), on ``day`` at
        10:00 UTC or at the naive UTC instant ``at``, from ``company``'s warehouse."""
        company = company or cls.company
        customer = customer or cls.customer
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        stock = warehouse.lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(lot.product_id, stock, 1, lot_id=lot)
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": stock.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": lot.product_id.name,
                            "product_id": lot.product_id.id,
                            "product_uom_qty": 1,
                            "location_id": stock.id,
                            "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        picking.move_ids.write(
            {
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": lot.product_id.id,
                            "lot_id": lot.id,
                            "quantity": 1,
                            "location_id": stock.id,
                            "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
                "picked": True,
            }
        )
        picking._action_done()
        picking.move_ids.move_line_ids.date = at or datetime.combine(
            fields.Date.to_date(day), time(10, 0)
        )
        return picking

    def quoted_repair(self, hours=2.0, description="Filter housing replaced"):
        """A workshop repair with a part, quoted and accepted (its sale order
        confirmed, as on the portal), then worked ``hours`` and done."""
        repair = self.repair(
            move_ids=[
                Command.create(
                    {"product_id": self.part.id, "product_uom_qty": 1, "repair_line_type": "add"}
                )
            ],
        )
        repair.action_validate()
        repair.action_create_sale_order()
        repair.sale_order_id.action_confirm()
        self.env["aftersales.work.entry"].create(
            {
                "repair_id": repair.id,
                "user_id": self.technician.id,
                "hours": hours,
                "description": description,
            }
        )
        return self.finish(repair)

    @classmethod
    def invoice_product(cls, product, day, company=None):
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": day,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "quantity": 1, "price_unit": 100})
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def finish(cls, repair):
        """Take a repair to done as the team would: the quote accepted (P3.3), the
        workshop repair inspected by the supervisor (P3.4), the on-site job signed
        by the customer (P2.6)."""
        if repair.state == "draft":
            repair.action_validate()
        if repair.state == "confirmed":
            if repair.aftersales_quote_state == "waiting":
                repair._aftersales_accept_quote("Li Lei", "phone")
            repair.action_repair_start()
        if repair.aftersales_repair_mode == "workshop":
            repair.with_user(cls.supervisor)._aftersales_inspect(
                checks=dict.fromkeys(INSPECTION_CHECKS, True)
            )
        elif not repair.aftersales_signed_on:
            repair._aftersales_sign(SIGNATURE, "Li Lei")
        repair.action_repair_end()
        return repair


class AftersalesRmaCase(AftersalesDeskCase):
    """A customer who bought 2 air purifiers (10 % discount, the company's sales
    tax), delivered and invoiced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_return_window_days = 7
        cls.company.aftersales_voucher_validity_days = 30
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Air Purifier AP-500",
                "type": "consu",
                "is_storable": True,
                "list_price": 1000.0,
                "invoice_policy": "delivery",
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.goods, cls.warehouse.lot_stock_id, 20)
        cls.tax = cls.env["account.tax"].search(
            [("company_id", "=", cls.company.id), ("type_tax_use", "=", "sale")], limit=1
        )
        cls.reason = cls.env.ref("aftersales_service.aftersales_rma_reason_defective")
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.goods.id,
                            "product_uom_qty": 2,
                            "price_unit": 1000,
                            "discount": 10,
                            "tax_id": [Command.set(cls.tax.ids)],
                        }
                    )
                ],
            }
        )
        cls.order.action_confirm()
        cls.line = cls.order.order_line
        cls.delivery = cls.order.picking_ids
        cls.delivery.move_ids.quantity = 2
        cls.delivery.move_ids.picked = True
        cls.delivery._action_done()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()

    @classmethod
    def delivered_on(cls, day):
        cls.delivery.date_done = datetime.combine(fields.Date.to_date(day), time(10, 0))
        cls.env["aftersales.rma"].invalidate_model()

    @classmethod
    def rma(cls, kind="refund", **vals):
        values = {
            "kind": kind,
            "partner_id": cls.customer.id,
            "sale_line_id": cls.line.id,
            "quantity": 1,
            "reason_id": cls.reason.id,
            "company_id": cls.company.id,
        }
        if kind == "refund":
            values.update(
                dict.fromkeys(
                    (
                        "condition_packaging",
                        "condition_accessories",
                        "condition_unused",
                        "condition_proof",
                    ),
                    True,
                )
            )
        else:
            values.update(
                {
                    "exchange_condition": "unrepairable",
                    "evidence": "Motor burnt, replacement part discontinued",
                }
            )
        values.update(vals)
        return cls.env["aftersales.rma"].create(values)

    @classmethod
    def receive(cls, rmas):
        """The customer's parcel arrives: the return transfer is validated."""
        picking = rmas.return_picking_id
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
        return picking

    @classmethod
    def bring_back(cls, rmas, passed=True, note=False):
        """Confirm ``rmas``, receive their goods and inspect them."""
        rmas.action_confirm()
        rmas.action_create_return_transfer()
        cls.receive(rmas)
        rmas._aftersales_inspect(passed, note)
        return rmas

    @classmethod
    def delivered_line(cls, quantity=2, delivered=None, warehouse=None, company=None):
        """A confirmed, not invoiced order line of ``quantity`` x the goods for the
        customer, ``delivered`` of them (all by default) by a done delivery from
        ``warehouse`` (the company's first)."""
        company = company or cls.company
        warehouse = warehouse or cls.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.goods, warehouse.lot_stock_id, quantity
        )
        order = delivered_order(
            cls.env, cls.customer, cls.goods, quantity, 1000, delivered, company, warehouse
        )
        return order.order_line


class AftersalesContractCase(AftersalesRepairCase):
    """Maintenance contracts (P7) of the desk's customer, whose salesperson is a
    sales rep: one-year terms on serials of the AP-900 purifier, billed with the
    contract product; a second rep with a customer of their own. Fixture states
    are written directly; the tests that measure a transition run it under
    ``freeze_time``."""

    START, END = "2026-01-01", "2026-12-31"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_contract_reminder_days = 30
        cls.rep = cls._create_sales_rep("as_rep")
        cls.other_rep = cls._create_sales_rep("as_other_rep")
        cls.customer.user_id = cls.rep
        cls.other_customer = cls._create_customer(
            "Suzhou Garden Hotels", email="garden@example.com", user_id=cls.other_rep.id
        )
        cls.contract_product = cls.env.ref("aftersales_service.product_maintenance_contract")
        cls.renewal_type = cls.env.ref("aftersales_service.mail_activity_type_contract_renewal")
        cls.serial = cls.lot("SN-C-0001")

    @classmethod
    def _create_sales_rep(cls, login, group="sales_team.group_sale_salesman", company=None):
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,{group}",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def contract(cls, state="active", lots=None, partner=None, **vals):
        """A contract of the customer covering ``lots`` (the class serial by default)
        for 2026, priced 1 200 with free labour and 20 % off parts."""
        lots = cls.serial if lots is None else lots
        contract = cls.env["aftersales.contract"].create(
            dict(
                {
                    "partner_id": (partner or cls.customer).id,
                    "company_id": cls.company.id,
                    "date_start": cls.START,
                    "date_end": cls.END,
                    "price": 1200.0,
                    "labour_free": True,
                    "parts_discount": 20.0,
                    "line_ids": [
                        Command.create({"product_id": lot.product_id.id, "lot_id": lot.id})
                        for lot in lots
                    ],
                },
                **vals,
            )
        )
        if state != "draft":
            contract.state = state
        return contract

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def run_contract_cron(self):
        """The daily job, through its ir.cron record (as the scheduler runs it)."""
        self.env.ref(
            "aftersales_service.ir_cron_aftersales_contract_reminders"
        ).method_direct_trigger()
        self.env.invalidate_all()

    def expiry_notices(self, contract):
        """The expiry notices (P7.2) posted to the customer on ``contract``."""
        return contract.message_ids.filtered(
            lambda m: m.message_type == "comment" and contract.partner_id in m.partner_ids
        )

    def renewal_activities(self, contract):
        """The open "Win renewal" activities of ``contract`` (P7.2)."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "aftersales.contract"),
                ("res_id", "=", contract.id),
                ("activity_type_id", "=", self.renewal_type.id),
            ]
        )


class ChineseCatalogues:
    """Loads the suite's zh_CN and zh_TW catalogues into the test database, which
    holds English only."""

    LANGS = ("zh_CN", "zh_TW")

    @classmethod
    def _load_chinese(cls):
        for lang in cls.LANGS:
            cls.env["res.lang"]._activate_lang(lang)
        modules = (
            cls.env["ir.module.module"]
            .search(
                [
                    ("name", "in", ("aftersales_service", "aftersales_service_report")),
                    ("state", "=", "installed"),
                ]
            )
            .mapped("name")
        )
        cls.env["ir.module.module"]._load_module_terms(modules, list(cls.LANGS), overwrite=True)


class AftersalesPortalCase(HttpCase):
    """The customer's side over HTTP: the environment carries Odoo's
    ``DISABLED_MAIL_CONTEXT`` (that of ``BaseCommon``, on which ``AftersalesCase``
    stands), and portal users, contacts of a customer, log in with
    ``<login>_pw``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))

    @classmethod
    def _portal_user(cls, login, name, company_partner, email=None, **vals):
        """A portal user, contact ``name`` of the customer ``company_partner``."""
        contact = cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": company_partner.id,
                "email": email or f"{login}@example.com",
            }
        )
        return new_test_user(
            cls.env,
            login=login,
            name=name,
            password=f"{login}_pw",
            groups="base.group_portal",
            partner_id=contact.id,
            **vals,
        )

    def login(self, user):
        self.authenticate(user.login, f"{user.login}_pw")

    def open_url(self, url, **kwargs):
        # The first page renders the frontend assets: allow more than the default 12 s.
        return self.url_open(url, timeout=60, **kwargs)

    def assert_landed_on(self, response, record, path):
        """A form the customer sent created ``record``, numbered by its sequence, and
        ``response`` is its page at ``path``."""
        self.assertNotEqual(record.name, "New", "the record got its number from the sequence")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlparse(response.url).path, path)
        self.assertIn(record.name, response.text)
