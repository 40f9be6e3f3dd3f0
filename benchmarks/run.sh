#!/usr/bin/env bash
# Run a benchmark by hand against a throwaway database (not part of the tests).
#
#   ./benchmarks/run.sh tier_recompute [--customers N] [--lines M]
#
# The database aftersales_bench holds aftersales_service without demo data (the
# report benchmark: aftersales_bench_report, with the report addon too); it is
# created on first use and kept for the next runs (--reset-db drops it first).
#
#   ./benchmarks/run.sh intake [--mails 1000] [--db perf18]
#
# The mail intake benchmark also measures OCA helpdesk_mgmt's alias intake when the
# database has it: pass the side-by-side database (--db, the last one given wins).
source "$(dirname "${BASH_SOURCE[0]}")/../setup/lib.sh"

NAME="${1:-}"
[ -n "$NAME" ] && [ -f "$ROOT/benchmarks/bench_$NAME.py" ] \
    || die "Usage: ./benchmarks/run.sh <name> [options]; names: $(cd "$ROOT/benchmarks" && ls bench_*.py | sed 's/bench_//; s/\.py//' | tr '\n' ' ')"
shift
DB="aftersales_bench"
MODULES="aftersales_service"
if [ "$NAME" = report ]; then
    # The exports need the report addon; the other benchmarks run without it (with
    # it, the contract reminders would also render their PDF notices).
    DB="aftersales_bench_report"
    MODULES="$ADDONS"
fi
if [ "${1:-}" = "--reset-db" ]; then RESET=1; shift; else RESET=""; fi
CONF="$LOCAL/odoo-bench.conf"

find_odoo
ensure_python_deps
ensure_postgres
write_odoo_conf "$CONF" 8069 0
if [ -n "$RESET" ]; then dropdb --if-exists "$DB"; fi
if ! db_exists "$DB"; then
    say "Creating $DB ($MODULES without demo data)"
    "$PY" -m odoo -c "$CONF" -d "$DB" -i "$MODULES" --without-demo=all \
        --stop-after-init --log-level=warn
fi
"$PY" "$ROOT/benchmarks/bench_$NAME.py" --config "$CONF" --db "$DB" "$@"
