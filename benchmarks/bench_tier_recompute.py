"""Benchmark of the customer tier recomputation (policy P1.2). Run by hand:

    ./benchmarks/run.sh tier_recompute [--customers 20000] [--lines 200000]

It fills a throwaway database (aftersales_bench, created without demo data by
run.sh) with N customers and M posted invoice lines inserted in bulk, then
times, on the same data:

  * baseline  one plain SQL aggregate: posted customer invoice lines summed per partner
  * first     the recomputation when every customer is graded for the first time
  * steady    the recomputation again, when nothing changed

and prints each figure and its ratio to the baseline (target: 20,000 customers
and 200,000 lines under 60 s, and under 3x the baseline).
"""

import argparse
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

LINES_PER_INVOICE = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--lines", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--refill", action="store_true", help="insert the data again even if it is there"
    )
    return parser.parse_args()


def fill(env, customers, lines):
    """Insert customers and posted invoices/credit notes in bulk (setup, not measured)."""
    company = env.company
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    account = env["account.account"].search(
        [("account_type", "=", "income"), ("company_ids", "in", company.id)], limit=1
    )
    assert journal and account, "the bench company needs a chart of accounts"
    # The demo grid (P1.2): top 10 %, two amount/order thresholds, a catch-all.
    env["aftersales.tier"].search([("code", "like", "BENCH-")]).unlink()
    env["aftersales.tier"].create(
        [
            {"name": "Strategic", "code": "BENCH-S", "sequence": 1, "top_percent": 10},
            {
                "name": "Gold",
                "code": "BENCH-G",
                "sequence": 2,
                "min_invoiced_amount": 40000,
                "min_order_count": 2,
                "match_mode": "any",
            },
            {"name": "Silver", "code": "BENCH-SI", "sequence": 3, "min_invoiced_amount": 10000},
            {"name": "Standard", "code": "BENCH-STD", "sequence": 4},
        ]
    )
    env.cr.execute("DELETE FROM account_move_line WHERE name = 'bench'")
    env.cr.execute("DELETE FROM account_move WHERE ref = 'bench'")
    env.cr.execute("DELETE FROM res_partner WHERE ref = 'bench'")
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, ref, active, is_company, type,
                                     customer_rank, autopost_bills, lang)
            SELECT 'Bench Customer ' || g, 'Bench Customer ' || g, 'bench', TRUE, TRUE,
                   'contact', 1, 'ask', 'en_US'
              FROM generate_series(1, %(customers)s) g;
            UPDATE res_partner SET commercial_partner_id = id WHERE ref = 'bench';
            """,
            customers=customers,
        )
    )
    invoices = max(lines // LINES_PER_INVOICE, 1)
    # Every 10th move is a credit note; dates spread over the last 18 months, so that
    # a quarter of the moves falls outside the default 12-month window.
    env.cr.execute(
        SQL(
            """
            WITH partners AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS rank
                  FROM res_partner WHERE ref = 'bench'
            ), moves AS (
                SELECT g,
                       partners.id AS partner_id,
                       CURRENT_DATE - mod(g, 540) AS day,
                       CASE WHEN mod(g, 10) = 0 THEN 'out_refund' ELSE 'out_invoice' END AS kind,
                       (mod(g * 7919, 5000) + 100) * %(per_invoice)s AS amount
                  FROM generate_series(1, %(invoices)s) g
                  JOIN partners ON partners.rank = mod(g, %(customers)s)
            )
            INSERT INTO account_move (journal_id, currency_id, company_id, state, move_type,
                                      auto_post, date, invoice_date, partner_id,
                                      commercial_partner_id, amount_untaxed, amount_total,
                                      amount_untaxed_signed, amount_total_signed, ref, name)
            SELECT %(journal)s, %(currency)s, %(company)s, 'posted', kind, 'no', day, day,
                   partner_id, partner_id, amount, amount,
                   CASE WHEN kind = 'out_refund' THEN -amount ELSE amount END,
                   CASE WHEN kind = 'out_refund' THEN -amount ELSE amount END,
                   'bench', 'BENCH/' || g
              FROM moves
            """,
            customers=customers,
            invoices=invoices,
            per_invoice=LINES_PER_INVOICE,
            journal=journal.id,
            currency=company.currency_id.id,
            company=company.id,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (move_id, currency_id, company_id, journal_id,
                                           account_id, partner_id, date, display_type,
                                           parent_state, name, quantity, price_unit,
                                           price_subtotal, balance, amount_currency,
                                           debit, credit)
            SELECT m.id, m.currency_id, m.company_id, m.journal_id, %(account)s,
                   m.partner_id, m.date, 'product', 'posted', 'bench', 1,
                   m.amount_untaxed / %(per_invoice)s, m.amount_untaxed / %(per_invoice)s,
                   -m.amount_untaxed_signed / %(per_invoice)s,
                   -m.amount_untaxed_signed / %(per_invoice)s,
                   GREATEST(-m.amount_untaxed_signed / %(per_invoice)s, 0),
                   GREATEST(m.amount_untaxed_signed / %(per_invoice)s, 0)
              FROM account_move m, generate_series(1, %(per_invoice)s)
             WHERE m.ref = 'bench'
            """,
            account=account.id,
            per_invoice=LINES_PER_INVOICE,
        )
    )
    env.cr.execute("ANALYZE res_partner; ANALYZE account_move; ANALYZE account_move_line")


def counts(env):
    env.cr.execute(
        "SELECT (SELECT count(*) FROM res_partner WHERE ref = 'bench'),"
        "       (SELECT count(*) FROM account_move_line WHERE name = 'bench')"
    )
    return env.cr.fetchone()


def baseline(env):
    """One plain SQL aggregate over the same invoice data."""
    env.cr.execute(
        SQL(
            """
            SELECT line.partner_id, SUM(-line.balance)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
             WHERE move.company_id = %(company)s
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date >= CURRENT_DATE - INTERVAL '12 months'
               AND line.display_type = 'product'
          GROUP BY line.partner_id
            """,
            company=env.company.id,
        )
    )
    return len(env.cr.fetchall())


def timed(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        customers, lines = counts(env)
        if args.refill or (customers, lines) != (args.customers, args.lines):
            fill(env, args.customers, args.lines)
            customers, lines = counts(env)
        # "First" grading: forget what earlier runs assigned.
        env.cr.execute(
            "UPDATE res_partner SET aftersales_tier_id = NULL, aftersales_lifecycle_stage = NULL,"
            " aftersales_invoiced_amount = NULL, aftersales_order_count = NULL,"
            " aftersales_satisfaction = NULL, aftersales_first_purchase_date = NULL"
        )
        print(
            f"data: {customers} customers, {lines} posted invoice lines "
            f"(ready in {time.perf_counter() - start:.1f} s)"
        )

    def recompute():
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["aftersales.tier"]._recompute_tiers(env.company)

    def plain_sql():
        with registry.cursor() as cr:
            return baseline(api.Environment(cr, SUPERUSER_ID, {}))

    base_s, groups = timed(plain_sql, args.repeat)
    first_s, first = timed(recompute, 1)
    steady_s, steady = timed(recompute, args.repeat)
    print(f"baseline SQL aggregate : {base_s:8.3f} s  ({groups} partners)")
    print(
        f"first recomputation    : {first_s:8.3f} s  ({first['customers']} graded, "
        f"{first['changed']} written)  ratio {first_s / base_s:5.2f}x"
    )
    print(
        f"steady recomputation   : {steady_s:8.3f} s  ({steady['customers']} graded, "
        f"{steady['changed']} written)  ratio {steady_s / base_s:5.2f}x"
    )


if __name__ == "__main__":
    main()
