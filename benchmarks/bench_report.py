"""Benchmark of the problem-tracking export (表3, policy P9.3). Run by hand:

    ./benchmarks/run.sh report [--tickets 100000]

Setup (not measured, kept while present): the KPI benchmark's 100,000 solved
tickets (bulk copies of ORM-made tickets, see bench_kpi.py). Then, each in its own
child process so that each has its own peak memory, the same tickets and columns
are exported twice:

  * ours  the report addon's XLSX export (``_render_xlsx`` of
          ``action_report_xlsx_problem_tracking``, as the print menu calls it);
  * odoo  Odoo's generic list export of the same records and fields:
          ``export_data`` and the web client's ``ExportXlsxWriter``, as
          ``/web/export/xlsx`` does.

For each: wall time, the number of rows, the size of the file and the growth of
the process's peak resident memory (VmHWM) over its resident memory before the
export. Targets: ours at least 1.5x faster than Odoo's, and under 200 MB growth.
"""

import argparse
import json
import subprocess
import sys
import time
import types

import odoo
from odoo import SUPERUSER_ID, api, http
from odoo.modules.registry import Registry


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--only", choices=["ours", "odoo"], help=argparse.SUPPRESS)
    return parser.parse_args()


def memory_kb(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def export_ours(env, tickets):
    report = env.ref("aftersales_service_report.action_report_xlsx_problem_tracking")
    content, _kind = report._render_xlsx(report.report_name, tickets.ids, None)
    return content


def export_odoo(env, tickets):
    # Imported here: the web controllers need the server-wide modules loaded.
    from odoo.addons.web.controllers.export import ExportXlsxWriter  # noqa: PLC0415

    # ExportXlsxWriter reads request.env: give it one, as the HTTP layer would.
    http._request_stack.push(types.SimpleNamespace(env=env))
    try:
        # The fields our export reads (its customer confirmation is computed; the
        # resolution note it also reads stands in for it here).
        names = env["report.aftersales_service_report.xlsx_problem_tracking"]._fields_read
        fields_ = [
            {"name": name, "label": name, "type": tickets._fields[name].type} for name in names
        ]
        rows = tickets.export_data(names).get("datas", [])
        with ExportXlsxWriter(fields_, names, len(rows)) as writer:
            for row_index, row in enumerate(rows):
                for cell_index, value in enumerate(row):
                    writer.write_cell(row_index + 1, cell_index, value)
        return writer.value
    finally:
        http._request_stack.pop()


def child(args):
    """One export in this process; prints its figures as JSON."""
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tz": "Asia/Shanghai"})
        tickets = env["aftersales.ticket"].search(
            [("subject", "=", "Bench KPI")], limit=args.tickets, order="id"
        )
        ids = tickets.ids
        env.invalidate_all()
        tickets = env["aftersales.ticket"].browse(ids)
        before = memory_kb("VmRSS")
        start = time.perf_counter()
        content = (export_ours if args.only == "ours" else export_odoo)(env, tickets)
        seconds = time.perf_counter() - start
        peak = memory_kb("VmHWM")
        print(
            json.dumps(
                {
                    "rows": len(ids),
                    "seconds": seconds,
                    "bytes": len(content),
                    "rss_before_mb": before / 1024,
                    "peak_growth_mb": (peak - before) / 1024,
                }
            )
        )


def main():
    args = parse_args()
    if args.only:
        return child(args)
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        installed = env["ir.module.module"].search_count(
            [("name", "=", "aftersales_service_report"), ("state", "=", "installed")]
        )
        if not installed:
            sys.exit(
                f"The report addon is not installed in {args.db}: "
                "run ./benchmarks/run.sh --reset-db report (or install aftersales_service_report)."
            )
        sys.path.insert(0, __file__.rsplit("/", 1)[0])
        from bench_kpi import fill_tickets  # noqa: PLC0415 - the KPI benchmark's data

        have = fill_tickets(env, args.tickets)
        print(f"dataset: {have} solved tickets (subject 'Bench KPI')")
    results = {}
    for which in ("ours", "odoo"):
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--config",
                args.config,
                "--db",
                args.db,
                "--tickets",
                str(args.tickets),
                "--only",
                which,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[which] = json.loads(output.strip().splitlines()[-1])
        r = results[which]
        print(
            f"{which:5}  {r['rows']} rows  {r['seconds']:7.1f} s  {r['bytes'] / 1e6:6.1f} MB file"
            f"  RSS before {r['rss_before_mb']:6.1f} MB  peak growth {r['peak_growth_mb']:6.1f} MB"
        )
    speedup = results["odoo"]["seconds"] / results["ours"]["seconds"]
    growth = results["ours"]["peak_growth_mb"]
    verdict = {True: "met", False: "MISSED"}
    print(
        f"speed-up over Odoo's export: {speedup:.2f}x (target >= 1.5x: {verdict[speedup >= 1.5]})"
    )
    print(f"peak memory growth of ours: {growth:.1f} MB (target < 200 MB: {verdict[growth < 200]})")


if __name__ == "__main__":
    main()
