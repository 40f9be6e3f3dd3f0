"""Benchmark of the KPI dashboard and the callback planner (policy P9.2, P1.5).
Run by hand:

    ./benchmarks/run.sh kpi [--tickets 100000] [--feedback 50000] [--customers 20000]

Setup (not measured, kept while present): copies of the SLA benchmark's tickets
(``./benchmarks/run.sh sla`` creates them with the ORM) spread over the last year
with solved times and first responses, answered feedback on half of them, and
customers graded in a tier with a callback cadence. Then it times:

  * pivot      the KPI analysis pivot for a year by month and team, as the web
               client asks it (``read_group`` with the pivot's measures);
  * dashboard  the dashboard's indicators for the current quarter (medians,
               standard deviations, rates);
  * planner    one callback planner pass over the graded customers (first pass
               plans a call for each, the second plans nothing).

Targets: pivot under 2 s; planner under 30 s.
"""

import argparse
import time

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL

FAST = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_create_nosubscribe": True,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--feedback", type=int, default=50000)
    parser.add_argument("--customers", type=int, default=20000)
    return parser.parse_args()


def count(env, query):
    env.cr.execute(query)
    return env.cr.fetchone()[0]


def ensure_source_tickets(env, wanted=2000):
    """Tickets made by the ORM (5 teams, 500 customers, every channel and type) that
    the bulk copies below repeat."""
    env = env(context=dict(env.context, **FAST))
    have = count(env, SQL("SELECT count(*) FROM aftersales_ticket WHERE subject = 'Bench source'"))
    if have >= wanted:
        return have
    teams = env["aftersales.team"].search([("name", "like", "Bench KPI Team %")])
    if not teams:
        teams = env["aftersales.team"].create(
            [{"name": f"Bench KPI Team {i}", "company_id": env.company.id} for i in range(5)]
        )
    customers = env["res.partner"].create(
        [{"name": f"Bench KPI Requester {i}", "is_company": True} for i in range(500)]
    )
    channels = ["phone", "web", "email", "social", "store"]
    types = ["service", "service", "consultation", "complaint", "suggestion"]
    env["aftersales.ticket"].create(
        [
            {
                "subject": "Bench source",
                "team_id": teams[i % 5].id,
                "partner_id": customers[i % 500].id,
                "channel": channels[i % 5],
                "ticket_type": types[(i // 5) % 5],
            }
            for i in range(wanted - have)
        ]
    )
    env.cr.commit()
    return wanted


def fill_tickets(env, wanted):
    """Copies of the SLA bench tickets, received over the last 365 days, solved."""
    have = count(env, SQL("SELECT count(*) FROM aftersales_ticket WHERE subject = 'Bench KPI'"))
    if have >= wanted:
        return have
    sources = ensure_source_tickets(env)
    solved = env.ref("aftersales_service.aftersales_stage_solved").id
    columns = [
        row[0]
        for row in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'aftersales_ticket' AND column_name NOT IN"
                " ('id', 'subject', 'received_at', 'stage_id', 'is_closed', 'sla_solved_at',"
                " 'sla_first_response_at', 'sla_response_time', 'sla_resolution_time',"
                " 'sla_response_ontime', 'sla_resolution_ontime')"
            )
        )
    ]
    cols = SQL(", ").join(SQL.identifier(c) for c in columns)
    while have < wanted:
        batch = min(wanted - have, sources)
        env.cr.execute(
            SQL(
                """
            INSERT INTO aftersales_ticket (%(cols)s, subject, received_at, stage_id, is_closed,
                   sla_first_response_at, sla_solved_at, sla_response_time,
                   sla_resolution_time, sla_response_ontime, sla_resolution_ontime)
            SELECT %(cols)s, 'Bench KPI', r.received, %(solved)s, TRUE,
                   r.received + interval '1 hour' * mod(s.id, 5),
                   r.received + interval '1 hour' * mod(s.id, 40),
                   mod(s.id, 5)::float, mod(s.id, 40)::float,
                   CASE WHEN mod(s.id, 5) < 2 THEN 100 ELSE 0 END,
                   CASE WHEN mod(s.id, 40) < 16 THEN 100 ELSE 0 END
              FROM (SELECT * FROM aftersales_ticket WHERE subject = 'Bench source'
                     ORDER BY id LIMIT %(batch)s) s,
                   LATERAL (SELECT now() at time zone 'UTC'
                                   - interval '1 minute' * mod(s.id * 7919 + %(have)s, 525600)
                                   AS received) r
            """,
                cols=cols,
                solved=solved,
                batch=batch,
                have=have,
            )
        )
        have += batch
    env.cr.commit()
    return have


def fill_feedback(env, wanted):
    have = count(env, SQL("SELECT count(*) FROM aftersales_feedback WHERE comment = 'bench'"))
    if have >= wanted:
        return have
    env.cr.execute(
        SQL(
            """
        INSERT INTO aftersales_feedback (company_id, state, ticket_id, partner_id,
               commercial_partner_id, technician_id, team_id, completed_at, requested_at,
               answered_at, technician_attitude, technician_skill, technician_arrival,
               technician_promise, service_attitude, response_speed, resolution_efficiency,
               comment, technician_score, score, is_satisfied, name, access_token)
        SELECT t.company_id, 'answered', t.id, t.partner_id, t.commercial_partner_id,
               t.user_id, t.team_id, t.sla_solved_at, t.sla_solved_at, t.sla_solved_at,
               (1 + mod(t.id, 4))::text, (1 + mod(t.id + 1, 4))::text, '4', '3',
               1 + mod(t.id, 5), 1 + mod(t.id + 2, 5), 5, 'bench',
               mod(t.id, 4) / 3.0 * 100, 1 + mod(t.id, 5) * 0.8, mod(t.id, 5) >= 3,
               'Feedback', md5(t.id::text)
          FROM aftersales_ticket t
     LEFT JOIN aftersales_feedback f ON f.ticket_id = t.id
         WHERE t.subject = 'Bench KPI' AND f.id IS NULL
         LIMIT %(limit)s
        """,
            limit=wanted - have,
        )
    )
    env.cr.commit()
    return count(env, SQL("SELECT count(*) FROM aftersales_feedback WHERE comment = 'bench'"))


def fill_customers(env, wanted):
    """Customers graded in a 90-day tier, stable (one periodic callback each)."""
    Partner = env["res.partner"].with_context(**FAST)
    have = Partner.search_count([("ref", "=", "bench-kpi")])
    while have < wanted:
        size = min(5000, wanted - have)
        Partner.create(
            [
                {"name": f"Bench KPI Customer {have + i}", "ref": "bench-kpi", "is_company": True}
                for i in range(size)
            ]
        )
        have += size
        env.cr.commit()
    tier = env["aftersales.tier"].search([("code", "=", "BENCHKPI")])
    if not tier:
        tier = env["aftersales.tier"].create(
            {"name": "Bench KPI", "code": "BENCHKPI", "sequence": 99, "callback_interval_days": 90}
        )
    company = str(env.company.id)
    env.cr.execute(
        SQL(
            "UPDATE res_partner SET aftersales_tier_id = jsonb_build_object(%s, %s),"
            " aftersales_lifecycle_stage = jsonb_build_object(%s, 'stable')"
            " WHERE ref = 'bench-kpi'",
            company,
            tier.id,
            company,
        )
    )
    env.cr.commit()
    env.invalidate_all()
    return have


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        tickets = fill_tickets(env, args.tickets)
        feedback = fill_feedback(env, args.feedback)
        customers = fill_customers(env, args.customers)
        env.cr.execute("ANALYZE aftersales_ticket; ANALYZE aftersales_feedback")
        total = count(env, SQL("SELECT count(*) FROM aftersales_ticket"))
        print(
            f"data: {total} tickets ({tickets} spread over the last year), {feedback} answered "
            f"feedback, {customers} graded customers "
            f"(ready in {time.perf_counter() - started:.1f} s)"
        )

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        report = env["aftersales.kpi.report"]
        today = fields.Date.today()
        domain = [("date", ">=", fields.Date.to_string(today.replace(year=today.year - 1)))]
        measures = [
            f"{name}:{spec.aggregator}"
            for name, spec in report._fields.items()
            if spec.type in ("integer", "float") and spec.aggregator and name != "id"
        ]
        timings = []
        for _run in range(3):
            started = time.perf_counter()
            groups = report.read_group(
                domain, [*measures, "__count"], ["date:month", "team_id"], lazy=False
            )
            timings.append(time.perf_counter() - started)
        print(
            f"pivot (year by month x team, {len(measures)} measures): {len(groups)} cells, "
            f"{min(timings):.3f} s best / {max(timings):.3f} s worst of 3  target < 2 s"
        )
        dashboard = env["aftersales.kpi.dashboard"]
        quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        started = time.perf_counter()
        kpis = dashboard.get_kpis(quarter_start, today, env.company)
        print(
            f"dashboard (current quarter): {time.perf_counter() - started:.3f} s, "
            f"{kpis.get('ticket_count')} tickets"
        )

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        callbacks = env["aftersales.callback"].with_context(**FAST)
        for label in ("first", "second"):
            started, queries = time.perf_counter(), env.cr.sql_log_count
            planned = callbacks._cron_plan_callbacks()
            env.flush_all()
            print(
                f"planner, {label} pass: {len(planned)} callbacks planned in "
                f"{time.perf_counter() - started:.1f} s ({env.cr.sql_log_count - queries} "
                f"queries)  target < 30 s"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
