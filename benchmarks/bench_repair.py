"""Benchmark of the repair service (policy P2.4, P9.1). Run by hand:

    ./benchmarks/run.sh repair [--repairs 5000] [--entries 20000]

It fills the throwaway database with N repair orders (a third of them with a
serial number delivered to the customer, a third with an invoiced product, the
rest without purchase data; every fifth one a repeat of an earlier done repair)
and M work entries, then times:

  * decision   the service-type decision for all repairs, in batches of 1000,
               with the query count of each batch (it must not grow per record);
  * create     repair.order create as a workshop registers repairs (product,
               customer, one part line; batches of 500, flush included, rolled
               back), with the queries per repair: our overrides (SLA clock,
               service-type decision and its chatter note) on top of Odoo's own;
  * to invoice the first page (80 rows) of "Repairs to Invoice" through
               web_search_read with the list view's fields, as the web client does.

Targets: decision under 20 s with a flat query count; create at most 5 queries per
repair (its time against core repair: ../shared/bench, section repair); first page
under 0.5 s.
"""

import argparse
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry

BATCH = 1000
CREATE_BATCH = 500


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--repairs", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--creates", type=int, default=2000)
    parser.add_argument("--refill", action="store_true")
    return parser.parse_args()


def counts(env):
    return (
        env["repair.order"].search_count([("internal_notes", "=", "bench")]),
        env["aftersales.work.entry"].search_count([("description", "=", "bench")]),
    )


def fill(env, repairs, entries):
    """Customers, products, deliveries/invoices as purchase data, repairs and work
    entries (setup, not measured)."""
    ctx = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
        "mail_create_nosubscribe": True,
    }
    env = env(context=ctx)
    env.cr.execute("DELETE FROM aftersales_work_entry WHERE description = 'bench'")
    env["repair.order"].search([("internal_notes", "=", "bench")]).write({"state": "draft"})
    env.cr.execute(
        "DELETE FROM repair_order WHERE id = ANY(%s)",
        [env["repair.order"].search([("internal_notes", "=", "bench")]).ids],
    )
    company = env.company
    category = env["product.category"].create({"name": "Bench appliances"})
    product = env["product.product"].create(
        {"name": "Bench purifier", "type": "consu", "categ_id": category.id, "list_price": 900}
    )
    part = env["product.product"].create(
        {"name": "Bench filter", "type": "consu", "list_price": 80}
    )
    customers = env["res.partner"].create(
        [{"name": f"Bench repair customer {i}", "customer_rank": 1} for i in range(200)]
    )
    # A third of the customers bought the product on an invoice 6 months ago.
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": fields.Date.today().replace(day=1),
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 1, "price_unit": 900})
                ],
            }
            for customer in customers[::3]
        ]
    )
    invoices.action_post()
    technician = env.ref("base.user_admin")
    env["aftersales.certification"].create(
        {"user_id": technician.id, "categ_id": category.id, "company_id": company.id}
    )
    fault = env.ref("aftersales_service.aftersales_category_fault_noise")
    values = [
        {
            "partner_id": customers[i % len(customers)].id,
            "product_id": product.id,
            "user_id": technician.id,
            "internal_notes": "bench",
            "aftersales_fault_category_id": fault.id,
            "move_ids": [
                Command.create(
                    {"product_id": part.id, "product_uom_qty": 1, "repair_line_type": "add"}
                )
            ],
        }
        for i in range(repairs)
    ]
    created = env["repair.order"].browse()
    for start in range(0, repairs, 500):
        created |= env["repair.order"].create(values[start : start + 500])
    # Every fifth repair is done (a previous repair for the repeat rule) and half of
    # those are to invoice.
    done = created[::5]
    env.cr.execute(
        "UPDATE repair_order SET state = 'done',"
        " aftersales_returned_on = now() - interval '20 days',"
        " aftersales_repair_warranty_end = (now() + interval '70 days')::date"
        " WHERE id = ANY(%s)",
        [done.ids],
    )
    env.cr.execute(
        "UPDATE repair_order SET aftersales_to_invoice = TRUE, aftersales_service_type = 'paid'"
        " WHERE id = ANY(%s)",
        [done[::2].ids],
    )
    env["aftersales.work.entry"].create(
        [
            {
                "repair_id": created[i % repairs].id,
                "user_id": technician.id,
                "hours": 0.5 + (i % 4) * 0.5,
                "description": "bench",
                "date": fields.Date.today(),
            }
            for i in range(entries)
        ]
    )
    env.invalidate_all()


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        repairs, entries = counts(env)
        if args.refill or (repairs, entries) != (args.repairs, args.entries):
            fill(env, args.repairs, args.entries)
            repairs, entries = counts(env)
        print(
            f"data: {repairs} repair orders, {entries} work entries "
            f"(ready in {time.perf_counter() - start:.1f} s)"
        )

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ids = env["repair.order"].search([("internal_notes", "=", "bench")], order="id").ids
        queries, started = [], time.perf_counter()
        for start in range(0, len(ids), BATCH):
            batch = env["repair.order"].browse(ids[start : start + BATCH])
            before = cr.sql_log_count
            decisions = batch._aftersales_decide_service_type()
            queries.append(cr.sql_log_count - before)
            env.invalidate_all()
        elapsed = time.perf_counter() - started
        kinds = {}
        for decision in decisions.values():
            kinds[decision["type"]] = kinds.get(decision["type"], 0) + 1
        print(
            f"decision               : {elapsed:8.3f} s for {len(ids)} repairs "
            f"(batches of {BATCH}: queries {queries}; last batch {kinds})  target < 20 s"
        )
        cr.rollback()

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        uenv = env(user=admin.id, su=False)
        customers = env["res.partner"].search([("name", "=like", "Bench repair customer %")])
        product = env["product.product"].search([("name", "=", "Bench purifier")], limit=1)
        part = env["product.product"].search([("name", "=", "Bench filter")], limit=1)

        def create_values(i):
            return {
                "partner_id": customers[i % len(customers)].id,
                "product_id": product.id,
                "move_ids": [
                    Command.create(
                        {"product_id": part.id, "product_uom_qty": 1, "repair_line_type": "add"}
                    )
                ],
            }

        uenv["repair.order"].create([create_values(i) for i in range(20)])  # warm-up
        cr.flush()
        before, started = cr.sql_log_count, time.perf_counter()
        for start in range(0, args.creates, CREATE_BATCH):
            stop = min(start + CREATE_BATCH, args.creates)
            uenv["repair.order"].create([create_values(i) for i in range(start, stop)])
        cr.flush()
        elapsed = time.perf_counter() - started
        per_repair = (cr.sql_log_count - before) / args.creates
        print(
            f"create                 : {elapsed:8.3f} s for {args.creates} repairs "
            f"({args.creates / elapsed:.0f} /s, {per_repair:.2f} queries per repair, batches of "
            f"{CREATE_BATCH}, rolled back)  target <= 5 queries per repair"
        )
        cr.rollback()

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        view = env.ref("aftersales_service.repair_order_view_list_to_invoice")
        specification = {
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "product_id": {"fields": {"display_name": {}}},
            "aftersales_service_type": {},
            "write_date": {},
            "aftersales_labour_hours": {},
            "aftersales_currency_id": {"fields": {}},
            "aftersales_amount": {},
            "company_id": {"fields": {"display_name": {}}},
        }
        domain = [("aftersales_to_invoice", "=", True)]
        total = env["repair.order"].search_count(domain)
        timings = []
        for _i in range(5):
            env.invalidate_all()
            started = time.perf_counter()
            result = env["repair.order"].web_search_read(
                domain, specification, limit=80, count_limit=10001
            )
            timings.append(time.perf_counter() - started)
        print(
            f"repairs to invoice     : {statistics.median(timings):8.3f} s for the first page "
            f"({len(result['records'])} of {total} rows, view {view.name}, median of 5)"
            "  target < 0.5 s"
        )


if __name__ == "__main__":
    main()
