"""Benchmark of returns for refund (policy P5). Run by hand:

    ./benchmarks/run.sh rma [--rmas 10000] [--batch 500]

Setup (not measured, reused while present): 100 customers, each with one
confirmed, delivered and invoiced sale order of rmas/100 lines. Then every
delivered line is returned: in batches, create the RMAs, confirm them, create the
return transfers (one per customer and batch), validate them, inspect and create
the credit notes (one per customer and invoice and batch). Everything is rolled
back at the end, so runs repeat.

Prints the total time (target: 10,000 RMAs under 120 s) and the queries per RMA
for growing batch sizes (target: flat).
"""

import argparse
import time

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

CUSTOMERS = 100
CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_create_nosubscribe": True,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--rmas", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=500)
    return parser.parse_args()


def bench_lines(env):
    return env["sale.order.line"].search(
        [("order_id.client_order_ref", "=", "bench-rma"), ("qty_delivered", ">", 0)], order="id"
    )


def fill(env, rmas):
    env = env(context=CONTEXT)
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    products = env["product.product"].create(
        [
            {
                "name": f"Bench returnable {i}",
                "type": "consu",
                "is_storable": True,
                "list_price": 100 + i,
                "invoice_policy": "delivery",
            }
            for i in range(10)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, rmas)
    customers = env["res.partner"].create(
        [{"name": f"Bench RMA customer {i}", "customer_rank": 1} for i in range(CUSTOMERS)]
    )
    per_order = max(rmas // CUSTOMERS, 1)
    for customer in customers:
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "client_order_ref": "bench-rma",
                "order_line": [
                    Command.create(
                        {"product_id": products[i % 10].id, "product_uom_qty": 1, "discount": 5}
                    )
                    for i in range(per_order)
                ],
            }
        )
        order.action_confirm()
        moves = order.picking_ids.move_ids
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        order.picking_ids._action_done()
        invoice = order._create_invoices()
        invoice.action_post()
        env.cr.commit()


STEPS = ("create", "confirm", "return transfer", "receipt", "inspection", "credit note")


def run(env, lines, batch, phases=None):
    """All lines returned for refund in batches; returns (seconds, queries).
    ``phases``, when given, collects the seconds spent in each step."""
    env = env(context=CONTEXT)
    phases = phases if phases is not None else {}
    reason = env.ref("aftersales_service.aftersales_rma_reason_changed_mind")
    conditions = dict.fromkeys(
        ("condition_packaging", "condition_accessories", "condition_unused", "condition_proof"),
        True,
    )

    def step(name, function):
        started = time.perf_counter()
        result = function()
        env.flush_all()
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
        return result

    started, queries = time.perf_counter(), env.cr.sql_log_count
    for start in range(0, len(lines), batch):
        chunk = lines[start : start + batch]
        rmas = step(
            "create",
            lambda chunk=chunk: env["aftersales.rma"].create(
                [
                    dict(
                        conditions,
                        kind="refund",
                        partner_id=line.order_id.partner_id.id,
                        sale_line_id=line.id,
                        quantity=1,
                        reason_id=reason.id,
                    )
                    for line in chunk
                ]
            ),
        )
        step("confirm", rmas.action_confirm)
        pickings = step("return transfer", rmas.action_create_return_transfer)

        def receive(pickings=pickings):
            for move in pickings.move_ids:
                move.quantity = move.product_uom_qty
            pickings.move_ids.picked = True
            pickings._action_done()

        step("receipt", receive)
        step("inspection", lambda rmas=rmas: rmas._aftersales_inspect(True))
        step("credit note", rmas.action_create_credit_note)
        env.invalidate_all()
    return time.perf_counter() - started, env.cr.sql_log_count - queries


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        if len(bench_lines(env)) < args.rmas:
            fill(env, args.rmas)
        lines = bench_lines(env)[: args.rmas]
        print(
            f"data: {len(lines)} delivered and invoiced order lines of {CUSTOMERS} customers "
            f"(ready in {time.perf_counter() - started:.1f} s)"
        )

    for size in (50, 100, 200):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            seconds, queries = run(env, bench_lines(env)[:size], size)
            print(
                f"one batch of {size:4d}     : {queries / size:6.1f} queries per RMA, "
                f"{seconds / size * 1000:6.1f} ms per RMA"
            )
            cr.rollback()

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        phases = {}
        seconds, queries = run(env, bench_lines(env)[: args.rmas], args.batch, phases)
        print(
            f"all {args.rmas} RMAs        : {seconds:8.1f} s in batches of {args.batch} "
            f"({queries / args.rmas:.1f} queries per RMA)  target < 120 s"
        )
        for name in STEPS:
            print(f"  {name:16s}: {phases.get(name, 0.0):7.1f} s")
        cr.rollback()


if __name__ == "__main__":
    main()
