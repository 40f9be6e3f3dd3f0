#!/usr/bin/env bash
# Run the whole test suite; exits non-zero on any failure.
#
#   ./setup/test.sh            static checks + Odoo tests + end-to-end tests + upgrade test
#   ./setup/test.sh --static   only the Odoo-free layer (tests/static, ruff, pylint-odoo)
#   ./setup/test.sh --keep-db  keep the throwaway database aftersales_test afterwards
#
# Layers:
#   1. Odoo-free: pytest tests/static (manifests, ACLs, Odoo 18 XML syntax, XML ids),
#      tests/upgrade/test_noupdate_listed.py (every noupdate record changed since the
#      last release is listed for refresh by a migration), ruff (lint + format) and
#      pylint-odoo's mandatory checks.
#   2. Odoo: a fresh throwaway database with both addons and demo data, installed
#      under Odoo's own test runner (--test-enable --test-tags), then the same tests
#      again with pytest-odoo.
#   3. End-to-end: an Odoo server on that database, driven as a client by tests/e2e.
#   4. Upgrade: tests/upgrade/test_upgrade.py puts that database back in the state of an 18.0.1.0.0
#      install (data in every state, user edits, the old definitions of the noupdate
#      records the migrations refresh), runs -u on both addons and checks nothing is
#      lost, duplicated or stale. It changes the database, so it runs last.
# Environment: as ./setup/run.sh (ODOO_PATH, PGHOST/PGPORT/PGUSER/PGPASSWORD).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATIC_ONLY=""
KEEP_DB=""
for arg in "$@"; do
    case "$arg" in
        --static) STATIC_ONLY=1 ;;
        --keep-db) KEEP_DB=1 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) die "Unknown option $arg (see --help)" ;;
    esac
done

DB="${AFTERSALES_TEST_DB:-aftersales_test}"
CONF="$LOCAL/odoo-test.conf"
LOGDIR="$LOCAL/test-logs"
# Each test runs once: the classes tagged aftersales_server (browser tours, HTTP
# routes, the committing concurrency class) under Odoo's runner, the others under
# pytest-odoo (conftest.py deselects the tagged ones there).
TAGS="aftersales_server/aftersales_service,aftersales_server/aftersales_service_report"
mkdir -p "$LOGDIR"
cd "$ROOT"

if [ -n "$STATIC_ONLY" ]; then
    # The static layer needs no Odoo: the python3 on PATH (a bare virtualenv will
    # do) with requirements-static.txt.
    command -v python3 >/dev/null 2>&1 || die "There is no python3 on this machine."
    PY="$(python3 -c 'import sys; print(sys.executable)')"
    say "Odoo-free layer with $PY"
    ensure_static_deps
else
    find_odoo
    ensure_python_deps -r "$ROOT/requirements-test.txt"
fi

# ---------------------------------------------------------------- 1. Odoo-free
say "1/4 Odoo-free checks: pytest tests/static, noupdate changes listed for the upgrade"
"$PY" -m pytest -p no:odoo -p no:cacheprovider -q tests/static tests/upgrade/test_noupdate_listed.py
say "1/4 ruff"
"$PY" -m ruff check .
"$PY" -m ruff format --check .
say "1/4 pylint-odoo (mandatory checks)"
"$PY" -m pylint --rcfile=.pylintrc-mandatory aftersales_service aftersales_service_report

[ -z "$STATIC_ONLY" ] || { say "Static layer passed (--static: Odoo tests skipped)"; exit 0; }

# ---------------------------------------------------------------- 2. Odoo
ensure_wkhtmltopdf
ensure_chromium
ensure_postgres
write_odoo_conf "$CONF" 8069 0

SERVER_PID=""
cleanup() {
    [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
    if [ -z "$KEEP_DB" ]; then
        dropdb --if-exists "$DB" 2>/dev/null || true
        rm -rf "$LOCAL/data/filestore/$DB"
    fi
}
trap cleanup EXIT

dropdb --if-exists "$DB"
rm -rf "$LOCAL/data/filestore/$DB"

say "2/4 Installing both addons with demo data in a fresh database '$DB' under Odoo's test runner"
INSTALL_LOG="$LOGDIR/odoo-runner.log"
rm -f "$INSTALL_LOG" "$LOGDIR/e2e-server.log"
set +e
"$PY" -m odoo -c "$CONF" -d "$DB" -i "$ADDONS" --test-enable --test-tags "$TAGS" \
    --stop-after-init --log-level=test --logfile="$INSTALL_LOG"
rc=$?
set -e
grep -E "(ERROR|CRITICAL)|tests when loading database|Ran [0-9]+ test|post-tests in" "$INSTALL_LOG" | tail -n 40 || true
if [ "$rc" != 0 ] || grep -qE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$INSTALL_LOG"; then
    die "Install or Odoo's test runner failed (rc=$rc); full log: $INSTALL_LOG"
fi
say "Odoo's test runner passed"

say "2/4 The other tests of the addons with pytest-odoo"
TEST_DIRS=()
for addon in ${ADDONS//,/ }; do
    [ -d "$addon/tests" ] && TEST_DIRS+=("$addon/tests")
done
"$PY" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" \
    --odoo-log-level=warn --odoo-http -q "${TEST_DIRS[@]}"

# ---------------------------------------------------------------- 3. End-to-end
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
say "3/4 End-to-end tests against a server on http://127.0.0.1:$PORT"
"$PY" -m odoo -c "$CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --gevent-port=0 \
    --max-cron-threads=0 --log-level=warn --logfile="$LOGDIR/e2e-server.log" &
SERVER_PID=$!
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "The Odoo server stopped; see $LOGDIR/e2e-server.log"
    sleep 0.5
done
AFTERSALES_URL="http://127.0.0.1:$PORT" AFTERSALES_DB="$DB" \
    "$PY" -m pytest -p no:odoo -p no:cacheprovider -q tests/e2e
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# ---------------------------------------------------------------- 4. Upgrade
say "4/4 Upgrade from 18.0.1.0.0: -u of both addons on '$DB' (tests/upgrade)"
AFTERSALES_DB="$DB" AFTERSALES_ODOO_CONF="$CONF" AFTERSALES_UPGRADE_LOG="$LOGDIR/upgrade.log" \
    "$PY" -m pytest -p no:odoo -p no:cacheprovider -q tests/upgrade/test_upgrade.py

say "All layers passed in $((SECONDS / 60)) min $((SECONDS % 60)) s"
