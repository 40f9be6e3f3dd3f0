"""Benchmark of the maintenance-contract reminder cron (P7.2). Run by hand:

    ./benchmarks/run.sh contract [--contracts 50000] [--due 1000]

Setup (not measured, reused while present): 2,000 customers, 20 sales reps and N
contracts of two covered items each, created in batches with the ORM (chatter and
tracking off), each rep following their contracts as they would after creating
them. Before every measured run the dates and states are put in place in SQL for
a fixed bench day D, as if the daily job had run every day before it:

  * most contracts end on days spread evenly over a year (D - 90 to D + 274,
    ~135 a day), and a peak ends on D + 30 (contracts that all started on 1 Jan),
    sized so that ~``--due`` contracts enter the 30-day window on D;
  * those that ended before D - 1 are expired, those ending D - 1 .. D + 29 are
    expiring and had their notice on an earlier day, the others are active.

Then it measures, each time for day D (passed to the cron's per-company steps):

  * first pass   the states (D - 1 expire, D + 30 become expiring) and the ~due
                 expiry notices with the reps' "Win Renewal" activities: wall time,
                 queries, notices/activities/e-mails created, memory (RSS before and
                 after each batch; tracemalloc peak with --tracemalloc);
  * second pass  the same day again: nothing to send;
  * concurrency  two workers (own cursor each) starting the same pass at the same
                 moment on committed data, first the whole pass, then the reminder
                 step alone (states already synced): no contract may get two
                 notices; a worker failing to serialize is rolled back (acceptable),
                 and what it rolled back stays due for the next run.

The cron commits after each batch as in production, so every run ends by removing
the messages and activities it created and resetting the reminders and states.

Targets: first pass under 30 s with flat memory; second pass under 5 s and no
e-mail.
"""

import argparse
import cProfile
import logging
import pstats
import resource
import threading
import time
import tracemalloc
from collections import defaultdict
from datetime import date, timedelta
from unittest.mock import patch

import psycopg2

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

CUSTOMERS = 2000
REPS = 20
PRODUCTS = 5
#: The bench day: the peak ends on D + 30 = 31 Dec (one-year contracts from 1 Jan).
BENCH_DAY = date(2030, 12, 1)
WINDOW = 30
NAME_PREFIX = "BC/"
#: Setup only: no chatter logs, trackers, followers or invitation mails.
FAST = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}
TARGET_FIRST_S = 30.0
TARGET_SECOND_S = 5.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--contracts", type=int, default=50000, help="contracts (setup)")
    parser.add_argument(
        "--due", type=int, default=1000, help="contracts entering the window on the bench day"
    )
    parser.add_argument("--create-batch", type=int, default=2000, help="contracts per create()")
    parser.add_argument(
        "--batch-size", type=int, default=None, help="reminder batch (default: the cron's)"
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="trace Python memory of the first pass (slow)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile summary of one first pass"
    )
    parser.add_argument(
        "--profile-out", metavar="FILE", help="with --profile: also save the stats (pstats)"
    )
    parser.add_argument("--skip", choices=["concurrency"], action="append", default=[])
    parser.add_argument("--refill", action="store_true", help="create the contracts again")
    return parser.parse_args()


# ----------------------------------------------------------------------
# Setup (not measured)
# ----------------------------------------------------------------------
def ensure_reps(env):
    env = env(context=dict(env.context, **FAST))
    Users = env["res.users"]
    reps = Users.search([("login", "like", "bench_contract_rep_%")], order="id")
    groups = [env.ref("base.group_user").id, env.ref("sales_team.group_sale_salesman").id]
    for index in range(len(reps) + 1, REPS + 1):
        reps |= Users.create(
            {
                "name": f"Bench Contract Rep {index}",
                "login": f"bench_contract_rep_{index}",
                "email": f"bench.contract.rep.{index}@example.com",
                "company_id": env.company.id,
                "company_ids": [Command.set(env.company.ids)],
                "groups_id": [Command.set(groups)],
            }
        )
    return reps[:REPS]


def ensure_customers(env):
    env = env(context=dict(env.context, **FAST))
    Partner = env["res.partner"]
    customers = Partner.search([("ref", "=", "bench-contract")], order="id")
    if len(customers) < CUSTOMERS:
        customers |= Partner.create(
            [
                {
                    "name": f"Bench Contract Customer {index}",
                    "email": f"bench.contract.{index}@example.com",
                    "ref": "bench-contract",
                    "is_company": True,
                    "customer_rank": 1,
                }
                for index in range(len(customers) + 1, CUSTOMERS + 1)
            ]
        )
    return customers[:CUSTOMERS]


def ensure_products(env):
    env = env(context=dict(env.context, **FAST))
    Product = env["product.product"]
    products = Product.search([("default_code", "like", "BENCH-CONTRACT-%")], order="id")
    for index in range(len(products) + 1, PRODUCTS + 1):
        products |= Product.create(
            {
                "name": f"Bench Covered Unit {index}",
                "default_code": f"BENCH-CONTRACT-{index}",
                "type": "consu",
                "list_price": 1000 * index,
            }
        )
    return products[:PRODUCTS]


def bench_count(env):
    env.cr.execute(
        SQL("SELECT count(*) FROM aftersales_contract WHERE name LIKE %s", f"{NAME_PREFIX}%")
    )
    return env.cr.fetchone()[0]


def fill(registry, contracts, create_batch):
    """The contracts (drafts with two lines; dates set by ``reset``), created with
    the ORM in batches, one transaction per batch; then each rep follows theirs."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        reps, customers, products = ensure_reps(env), ensure_customers(env), ensure_products(env)
        cr.execute(
            SQL(
                """
            DELETE FROM mail_activity WHERE res_model = 'aftersales.contract'
               AND res_id IN (SELECT id FROM aftersales_contract WHERE name LIKE %(prefix)s);
            DELETE FROM mail_message WHERE model = 'aftersales.contract'
               AND res_id IN (SELECT id FROM aftersales_contract WHERE name LIKE %(prefix)s);
            DELETE FROM mail_followers WHERE res_model = 'aftersales.contract'
               AND res_id IN (SELECT id FROM aftersales_contract WHERE name LIKE %(prefix)s);
            DELETE FROM aftersales_contract WHERE name LIKE %(prefix)s
            """,
                prefix=f"{NAME_PREFIX}%",
            )
        )
        rep_ids, customer_ids, product_ids = reps.ids, customers.ids, products.ids
    start_day = BENCH_DAY - timedelta(days=365)
    for start in range(0, contracts, create_batch):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, FAST)
            env["aftersales.contract"].create(
                [
                    {
                        "name": f"{NAME_PREFIX}{index:06d}",
                        "partner_id": customer_ids[index % CUSTOMERS],
                        "user_id": rep_ids[index % REPS],
                        "date_start": start_day,
                        "date_end": BENCH_DAY,
                        "labour_free": index % 2 == 0,
                        "parts_discount": 10 * (index % 3),
                        "visits_per_year": index % 4,
                        "price": 1200 + index % 7 * 100,
                        "line_ids": [
                            Command.create({"product_id": product_ids[index % PRODUCTS]}),
                            Command.create(
                                {"product_id": product_ids[(index + 1) % PRODUCTS], "quantity": 2}
                            ),
                        ],
                    }
                    for index in range(start, min(start + create_batch, contracts))
                ]
            )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Contract = env["aftersales.contract"]
        for rep in env["res.users"].browse(rep_ids):
            Contract.search(
                [("name", "like", f"{NAME_PREFIX}%"), ("user_id", "=", rep.id)]
            )._message_subscribe(partner_ids=rep.partner_id.ids)


def reset(cr, due):
    """Remove what earlier passes created; dates, states and reminders as if the
    job had run every day up to D - 1. Returns the number of contracts whose notice
    is due on D, of those that expire on D, and of those that become expiring."""
    cr.execute(
        SQL(
            """
        DELETE FROM mail_activity WHERE res_model = 'aftersales.contract'
           AND res_id IN (SELECT id FROM aftersales_contract WHERE name LIKE %(prefix)s);
        DELETE FROM mail_message WHERE model = 'aftersales.contract'
           AND res_id IN (SELECT id FROM aftersales_contract WHERE name LIKE %(prefix)s);
        WITH ranked AS (
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS r, count(*) OVER () AS n
              FROM aftersales_contract WHERE name LIKE %(prefix)s
        ), peak AS (
            SELECT GREATEST(0, round((365 * %(due)s - max(n)) / 364.0))::int AS size FROM ranked
        ), ends AS (
            SELECT ranked.id,
                   CASE WHEN ranked.r < peak.size THEN %(day)s::date + %(window)s
                        ELSE %(day)s::date - 90 + mod(ranked.r - peak.size, 365)::int
                   END AS day_end
              FROM ranked, peak
        )
        UPDATE aftersales_contract c
           SET date_start = (ends.day_end - interval '1 year' + interval '1 day')::date,
               date_end = ends.day_end,
               state = CASE WHEN ends.day_end < %(day)s::date - 1 THEN 'expired'
                            WHEN ends.day_end < %(day)s::date + %(window)s THEN 'expiring'
                            ELSE 'active' END,
               reminder_date_end = CASE WHEN ends.day_end < %(day)s::date + %(window)s
                                        THEN ends.day_end END,
               reminder_sent_at = CASE WHEN ends.day_end < %(day)s::date + %(window)s
                                       THEN ends.day_end - %(window)s + interval '1 hour' END
          FROM ends
         WHERE c.id = ends.id
            """,
            prefix=f"{NAME_PREFIX}%",
            due=due,
            day=BENCH_DAY,
            window=WINDOW,
        )
    )
    cr.execute("ANALYZE aftersales_contract; ANALYZE mail_message; ANALYZE mail_activity")
    cr.execute(
        SQL(
            """
        SELECT count(*) FILTER (WHERE date_end BETWEEN %(day)s::date AND %(day)s::date + %(window)s
                                  AND reminder_date_end IS DISTINCT FROM date_end),
               count(*) FILTER (WHERE date_end = %(day)s::date - 1),
               count(*) FILTER (WHERE state = 'active' AND date_end <= %(day)s::date + %(window)s)
          FROM aftersales_contract WHERE name LIKE %(prefix)s
            """,
            prefix=f"{NAME_PREFIX}%",
            day=BENCH_DAY,
            window=WINDOW,
        )
    )
    return cr.fetchone()


def produced(cr):
    """What the passes left on the bench contracts: expiry notices (comments), all
    messages, activities, queued e-mails, contracts with more than one notice or
    activity, and the states."""
    cr.execute(
        SQL(
            """
        WITH bench AS (SELECT id FROM aftersales_contract WHERE name LIKE %(prefix)s),
        msg AS (SELECT m.id, m.res_id, m.message_type FROM mail_message m
                 WHERE m.model = 'aftersales.contract' AND m.res_id IN (SELECT id FROM bench)),
        act AS (SELECT a.res_id FROM mail_activity a
                 WHERE a.res_model = 'aftersales.contract' AND a.res_id IN (SELECT id FROM bench))
        SELECT (SELECT count(*) FROM msg WHERE message_type = 'comment'),
               (SELECT count(*) FROM msg),
               (SELECT count(*) FROM act),
               (SELECT count(*) FROM mail_mail mm WHERE mm.mail_message_id IN (SELECT id FROM msg)),
               (SELECT count(*) FROM (SELECT res_id FROM msg WHERE message_type = 'comment'
                                       GROUP BY res_id HAVING count(*) > 1) d),
               (SELECT count(*) FROM (SELECT res_id FROM act
                                       GROUP BY res_id HAVING count(*) > 1) d)
            """,
            prefix=f"{NAME_PREFIX}%",
        )
    )
    notices, messages, activities, mails, dup_notices, dup_activities = cr.fetchone()
    cr.execute(
        SQL(
            "SELECT state, count(*) FROM aftersales_contract WHERE name LIKE %s GROUP BY state",
            f"{NAME_PREFIX}%",
        )
    )
    return {
        "notices": notices,
        "messages": messages,
        "activities": activities,
        "mails": mails,
        "dup_notices": dup_notices,
        "dup_activities": dup_activities,
        "states": dict(cr.fetchall()),
    }


# ----------------------------------------------------------------------
# Measures
# ----------------------------------------------------------------------
def rss_mb():
    """Current resident set size of this process."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def cron_pass(env, day, batch_size=None, steps=("states", "reminders")):
    """What ``_cron_contract_reminders`` does, for ``day`` instead of today: per
    company, the states from the dates, then the reminders (committed per batch)."""
    Contract = env["aftersales.contract"]
    kwargs = {"batch_size": batch_size} if batch_size else {}
    for company in env["res.company"].search([]):
        contracts = Contract.with_company(company).with_context(allowed_company_ids=[company.id])
        if "states" in steps:
            contracts._cron_company_states(company, day)
        if "reminders" in steps:
            contracts._cron_company_reminders(company, day, **kwargs)


def timed_pass(registry, batch_size, trace=False, profile=None):
    """One cron pass in its own cursor, committed at the end as the cron runner
    does. Returns seconds, queries, seconds of the states step, per-batch
    (contracts, seconds sending, RSS after) and the tracemalloc peak."""
    Contract = registry["aftersales.contract"]
    original_send, original_states = Contract._send_reminders, Contract._cron_company_states
    batches, states = [], []

    def send(records):
        started = time.perf_counter()
        result = original_send(records)
        batches.append((len(records), time.perf_counter() - started, rss_mb()))
        return result

    def sync_states(records, company, today):
        started = time.perf_counter()
        result = original_states(records, company, today)
        states.append(time.perf_counter() - started)
        return result

    if trace:
        tracemalloc.start()
    with (
        patch.object(Contract, "_send_reminders", send),
        patch.object(Contract, "_cron_company_states", sync_states),
        registry.cursor() as cr,
    ):
        env = api.Environment(cr, SUPERUSER_ID, {})
        queries = cr.sql_log_count
        started = time.perf_counter()
        if profile:
            profile.enable()
        cron_pass(env, BENCH_DAY, batch_size)
        cr.commit()
        if profile:
            profile.disable()
        elapsed = time.perf_counter() - started
        queries = cr.sql_log_count - queries
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return elapsed, queries, sum(states), batches, peak


def delta(after, before):
    return {key: after[key] - before[key] for key in ("notices", "messages", "activities", "mails")}


def measure_passes(registry, due, batch_size, trace=False, profile=False, profile_out=None):
    if profile:
        with registry.cursor() as cr:
            reset(cr, due)
        prof = cProfile.Profile()
        timed_pass(registry, batch_size, profile=prof)
        print_profile(prof, "first pass")
        if profile_out:
            prof.dump_stats(profile_out)

    with registry.cursor() as cr:
        to_send, to_expire, to_expiring = reset(cr, due)
        cr.commit()
        before = produced(cr)
    print(
        f"bench day {BENCH_DAY}   : {to_send} contracts enter the {WINDOW}-day window (notice "
        f"due), {to_expiring} become expiring, {to_expire} expire"
    )

    rss_before = rss_mb()
    seconds, queries, states_s, batches, peak = timed_pass(registry, batch_size, trace)
    rss_after = rss_mb()
    with registry.cursor() as cr:
        first = produced(cr)
    made = delta(first, before)
    verdict = "met" if seconds < TARGET_FIRST_S else "MISSED"
    print(
        f"first pass           : {seconds:8.3f} s  ({queries} queries, "
        f"{queries / max(made['notices'], 1):.1f} per notice)  "
        f"target < {TARGET_FIRST_S:.0f} s: {verdict}"
    )
    print(
        f"  created            : {made['notices']} expiry notices, {made['activities']} "
        f"activities, {made['mails']} e-mails queued, {made['messages']} messages in all "
        f"(notices, state tracking, assignments); duplicates: {first['dup_notices']} notices, "
        f"{first['dup_activities']} activities"
    )
    print(
        f"  states             : {states_s:.3f} s for the states step; after the pass "
        f"{dict(sorted(first['states'].items()))}"
    )
    for index, (count, batch_s, rss) in enumerate(batches, 1):
        print(
            f"  batch {index:2d}           : {count:4d} contracts, {batch_s:7.3f} s, "
            f"RSS {rss:.1f} MB"
        )
    print(
        f"  memory             : RSS {rss_before:.1f} MB before, {rss_after:.1f} MB after"
        + (f", tracemalloc peak {peak:.1f} MB" if peak is not None else "")
        + f" (max RSS of the process "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB)"
    )

    seconds, queries, _states_s, _batches, _peak = timed_pass(registry, batch_size)
    with registry.cursor() as cr:
        second = produced(cr)
    made = delta(second, first)
    quiet = not any(made.values())
    verdict = "met" if seconds < TARGET_SECOND_S and quiet else "MISSED"
    print(
        f"second pass          : {seconds:8.3f} s  ({queries} queries; {made['notices']} notices, "
        f"{made['activities']} activities, {made['mails']} e-mails, {made['messages']} "
        f"messages)  target < {TARGET_SECOND_S:.0f} s and nothing sent: {verdict}"
    )
    return to_send


def concurrent_run(registry, due, batch_size, steps, label):
    """Two workers start ``steps`` of the pass for the bench day at the same moment,
    each in its own cursor, on committed data."""
    with registry.cursor() as cr:
        reset(cr, due)
        if steps == ("reminders",):
            cron_pass(api.Environment(cr, SUPERUSER_ID, {}), BENCH_DAY, steps=("states",))
        cr.commit()
        expected = reset_due(cr)
        before = produced(cr)

    Contract = registry["aftersales.contract"]
    original = Contract._claim_reminders
    claims = defaultdict(list)  # worker: contracts claimed per batch
    claiming = set()  # workers inside a claim (a failure there rolls back no batch)

    def claim(records):
        name = threading.current_thread().name
        claiming.add(name)
        result = original(records)
        claiming.discard(name)
        claims[name].append(len(result))
        return result

    barrier = threading.Barrier(2)
    outcome = {}

    def worker():
        name = threading.current_thread().name
        started = None
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait()
                started = time.perf_counter()
                cron_pass(env, BENCH_DAY, batch_size, steps)
            outcome[name] = (f"committed in {time.perf_counter() - started:.2f} s", 0)
        except psycopg2.Error as error:
            spent = time.perf_counter() - started if started else 0.0
            first_line = str(error).strip().splitlines()[0]
            failed = f"{type(error).__name__}: {first_line}"
            if failing.get(name):
                failed += f", on {failing[name]}"
            # The batch claimed last is rolled back unless the claim itself failed.
            lost = claims[name][-1] if claims[name] and name not in claiming else 0
            outcome[name] = (f"rolled back after {spent:.2f} s ({failed})", lost)
        except Exception as error:  # reported; the other worker goes on
            outcome[name] = (f"FAILED ({type(error).__name__}: {error})", 0)

    # The losing worker's failed query is logged by odoo.sql_db in full (thousands of
    # ids): keep its first words for the report instead.
    failing = {}

    def keep_failed_query(record):
        if record.getMessage().startswith("bad query"):
            query = record.args[0] if record.args else ""
            query = query.decode() if isinstance(query, bytes) else str(query)
            failing[record.threadName] = " ".join(query.split()[:3])
            return False
        return True

    sql_logger = logging.getLogger("odoo.sql_db")
    sql_logger.addFilter(keep_failed_query)
    try:
        with patch.object(Contract, "_claim_reminders", claim):
            threads = [threading.Thread(target=worker, name=f"worker {i}") for i in (1, 2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        sql_logger.removeFilter(keep_failed_query)
    with registry.cursor() as cr:
        after = produced(cr)
        left = reset_due(cr)
    made = delta(after, before)
    # Rolled back work is not lost: those terms are still unclaimed, and the next
    # run (the next day at the latest) sends them.
    ok = (
        made["notices"] == made["activities"] == expected - left
        and not after["dup_notices"]
        and not after["dup_activities"]
    )
    print(
        f"concurrency, {label:7s}: {made['notices']} notices and {made['activities']} activities "
        f"for {expected} contracts due, {left} rolled back and still due for the next run; "
        f"duplicates: {after['dup_notices']} notices, {after['dup_activities']} activities: "
        f"{'OK' if ok else 'WRONG'}"
    )
    for name in sorted(outcome):
        text, lost = outcome[name]
        batches = "+".join(map(str, claims[name])) or "0"
        print(
            f"  {name}           : {text}; claimed {batches}, "
            f"{sum(claims[name]) - lost} in committed batches"
        )


def reset_due(cr):
    """Contracts still due on the bench day (after an optional states step)."""
    cr.execute(
        SQL(
            """
        SELECT count(*) FROM aftersales_contract
         WHERE name LIKE %(prefix)s AND state IN ('active', 'expiring')
           AND date_end BETWEEN %(day)s::date AND %(day)s::date + %(window)s
           AND reminder_date_end IS DISTINCT FROM date_end
            """,
            prefix=f"{NAME_PREFIX}%",
            day=BENCH_DAY,
            window=WINDOW,
        )
    )
    return cr.fetchone()[0]


def print_profile(prof, title, limit=25):
    print(f"--- cProfile: {title} (cumulative) ---")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(limit)
    print(f"--- cProfile: {title} (own time) ---")
    stats.sort_stats("tottime").print_stats(limit)


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    if "aftersales.contract" not in registry:
        raise SystemExit(
            f"{args.db} has no maintenance contracts (aftersales_service is older): update "
            "the module or run ./benchmarks/run.sh contract --reset-db"
        )

    started = time.perf_counter()
    with registry.cursor() as cr:
        contracts = bench_count(api.Environment(cr, SUPERUSER_ID, {}))
    if args.refill or contracts != args.contracts:
        fill(registry, args.contracts, args.create_batch)
        with registry.cursor() as cr:
            contracts = bench_count(api.Environment(cr, SUPERUSER_ID, {}))
    print(
        f"data: {contracts} contracts (2 covered items each), {CUSTOMERS} customers, {REPS} "
        f"sales reps (ready in {time.perf_counter() - started:.1f} s)"
    )
    print(
        f"targets: first pass < {TARGET_FIRST_S:.0f} s with flat memory; second pass "
        f"< {TARGET_SECOND_S:.0f} s sending nothing; concurrent passes: one notice each"
    )
    try:
        measure_passes(
            registry,
            args.due,
            args.batch_size,
            trace=args.tracemalloc,
            profile=args.profile,
            profile_out=args.profile_out,
        )
        if "concurrency" not in args.skip:
            concurrent_run(registry, args.due, args.batch_size, ("states", "reminders"), "pass")
            concurrent_run(registry, args.due, args.batch_size, ("reminders",), "notices")
    finally:
        # The cron commits per batch: leave the data as a fresh run expects it.
        with registry.cursor() as cr:
            reset(cr, args.due)
            left = produced(cr)
        print(
            f"cleanup              : {left['notices']} notices, {left['activities']} activities "
            f"left on the bench contracts; reminders and states reset"
        )


if __name__ == "__main__":
    main()
