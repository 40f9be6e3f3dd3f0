"""Benchmark of the mail gateway intake (P2.1). Run by hand:

    ./benchmarks/run.sh intake [--mails 1000]
    python3 benchmarks/bench_intake.py --config <conf> --db <db with helpdesk_mgmt> [--mails 1000]

An intake storm: N e-mails (half from known customers, half from new senders)
sent to a service team's alias, each one delivered by ``mail.thread.message_process``
as the mail gateway does (superuser, one call per e-mail), the final flush
included. Measured for our team (round robin over its members, the seeded SLA
policies as configured) and, when OCA ``helpdesk_mgmt`` is installed in the same
database, for its team's alias (with ``helpdesk_mgmt_sla``: SLA on, one policy,
as the side-by-side harness sets it), in the same process, one after the other.
Every run is rolled back: nothing is committed.

Prints e-mails per second, queries per e-mail and, with the peer, the speed
ratio ours / OCA. Target: ours >= 1.5x OCA helpdesk's alias intake.
"""

import argparse
import cProfile
import logging
import os
import pstats
import time

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

ALIAS_DOMAIN = "bench-intake.example.com"
TARGET_RATIO = 1.5
WARMUP = 20

MAIL = """From: "{name}" <{email}>
To: {to}
Subject: Outage {i}: the purifier does not start
Message-ID: <{tag}-{i}@bench-intake.example.org>
Date: Mon, 12 Jan 2026 09:00:00 +0800
Content-Type: text/plain; charset=utf-8

Since this morning's power cut the purifier does not start (request {i}).
The display stays dark; serial SN-{serial}.
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--mails", type=int, default=1000, help="e-mails per system")
    parser.add_argument(
        "--only", choices=["ours", "oca"], help="measure one system only (default: both)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of each timed run (slower)"
    )
    return parser.parse_args()


def alias_domain(env):
    domain = env["mail.alias.domain"].search([("name", "=", ALIAS_DOMAIN)], limit=1)
    return domain or env["mail.alias.domain"].create({"name": ALIAS_DOMAIN})


def set_alias(team, name, domain):
    team.alias_id.sudo().write(
        {"alias_name": name, "alias_domain_id": domain.id, "alias_contact": "everyone"}
    )
    return team.alias_id.alias_full_name


def our_team(env):
    """The demo service desk when there is one, else a round-robin team of three."""
    team = env.ref("aftersales_service.aftersales_team_service_desk", raise_if_not_found=False)
    if team and team.member_ids and team.assignment_method != "manual":
        return team
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench intake agent {i}",
                    "login": f"bench_intake_agent_{i}",
                    "email": f"agent{i}@bench-intake.example.com",
                    "groups_id": [
                        Command.set(
                            [
                                env.ref("base.group_user").id,
                                env.ref("aftersales_service.group_aftersales_user").id,
                            ]
                        )
                    ],
                }
                for i in range(3)
            ]
        )
    )
    return env["aftersales.team"].create(
        {
            "name": "Bench intake desk",
            "member_ids": [Command.set(users.ids)],
            "assignment_method": "round_robin",
        }
    )


def oca_team(env):
    team = env.ref("helpdesk_mgmt.helpdesk_team_2", raise_if_not_found=False) or env[
        "helpdesk.ticket.team"
    ].search([], limit=1)
    if "helpdesk.sla" in env:
        # As sidebyside.py's set_sla(True): the team uses SLA, exactly one policy.
        slas = env["helpdesk.sla"].with_context(active_test=False).search([])
        sla = env.ref("helpdesk_mgmt_sla.sla_1", raise_if_not_found=False) or slas[:1]
        (slas - sla).write({"active": False})
        if not sla:
            sla = env["helpdesk.sla"].create({"name": "Bench SLA", "hours": 2})
        sla.write(
            {
                "active": True,
                "team_ids": [Command.set(team.ids)],
                "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
                "hours": 2,
            }
        )
        team.write({"use_sla": True})
        if not team.resource_calendar_id:
            team.resource_calendar_id = env.company.resource_calendar_id
    return team


def mails(to, tag, senders, count, start=0):
    return [
        MAIL.format(
            name=senders[i % len(senders)][0],
            email=senders[i % len(senders)][1],
            to=to,
            tag=tag,
            i=i,
            serial=100000 + i,
        )
        for i in range(start, start + count)
    ]


def senders_for(env, count):
    """Half known customers (with an e-mail address), half new senders."""
    known = env["res.partner"].search(
        [("email", "!=", False), ("user_ids", "=", False), ("is_company", "=", False)],
        limit=max(1, count // 2),
        order="id",
    )
    result = [(p.name, p.email) for p in known]
    result += [
        (f"New sender {i}", f"new.sender.{i}@bench-intake.example.org")
        for i in range(count - len(result))
    ]
    return result


def run(env, model, raws, profile=False):
    """message_process of every raw e-mail, as the gateway does; flush included."""
    MailThread = env["mail.thread"]
    cr = env.cr
    prof = cProfile.Profile() if profile else None
    q0 = odoo.sql_db.sql_counter
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    for raw in raws:
        MailThread.message_process(False, raw)
    cr.flush()
    if prof:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
    seconds = time.perf_counter() - t0
    queries = odoo.sql_db.sql_counter - q0
    created = env[model].search_count([("create_date", ">=", env.cr.now())])
    return seconds, queries, created


def measure(env, label, model, to, tag, senders, count, profile=False):
    sp = env.cr.savepoint()
    try:
        run(env, model, mails(to, f"{tag}-warm", senders, WARMUP))
    finally:
        sp.close(rollback=True)
        env.invalidate_all()
    sp = env.cr.savepoint()
    try:
        seconds, queries, created = run(env, model, mails(to, tag, senders, count), profile)
    finally:
        sp.close(rollback=True)
        env.invalidate_all()
    rate = count / seconds
    print(
        f"{label:<34}: {seconds:8.2f} s for {count} e-mails, {rate:7.1f} /s, "
        f"{queries / count:6.1f} queries/e-mail ({created} tickets)"
    )
    return rate


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    # One INFO line per routed e-mail would be timed with the intake.
    logging.getLogger("odoo.addons.mail.models.mail_thread").setLevel(logging.WARNING)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        domain = alias_domain(env)
        senders = senders_for(env, 200)
        rates = {}
        if args.only in (None, "ours"):
            team = our_team(env)
            to = set_alias(team, "bench-desk", domain)
            env.flush_all()
            rates["ours"] = measure(
                env,
                f"ours: aftersales.ticket ({team.assignment_method})",
                "aftersales.ticket",
                to,
                "ours",
                senders,
                args.mails,
                args.profile,
            )
        if args.only in (None, "oca") and "helpdesk.ticket" in env:
            team = oca_team(env)
            to = set_alias(team, "bench-oca-desk", domain)
            env.flush_all()
            sla = "SLA on" if "helpdesk.sla" in env else "no SLA module"
            rates["oca"] = measure(
                env,
                f"OCA helpdesk_mgmt ({sla})",
                "helpdesk.ticket",
                to,
                "oca",
                senders,
                args.mails,
                args.profile,
            )
        if len(rates) == 2:
            ratio = rates["ours"] / rates["oca"]
            print(
                f"ratio ours / OCA (speed)          : {ratio:8.2f}x  target >= {TARGET_RATIO}x "
                f"(load {' '.join(f'{x:.2f}' for x in os.getloadavg())})"
            )
        elif "helpdesk.ticket" not in env:
            print("OCA helpdesk_mgmt is not installed in this database: no ratio")
        cr.rollback()


if __name__ == "__main__":
    main()
