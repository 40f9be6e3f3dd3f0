#!/usr/bin/env bash
# Serve the after-sales suite at http://127.0.0.1:8069 with a demo database.
#
#   ./setup/run.sh            create the demo database (first run) or upgrade it
#   ./setup/run.sh --reset    drop the demo database and create it again
#
# Environment: ODOO_PATH (an Odoo 18.0 source tree when odoo is not importable),
# PGHOST/PGPORT/PGUSER/PGPASSWORD (your PostgreSQL server instead of the embedded
# one), AFTERSALES_DB (database name, default aftersales_demo), AFTERSALES_PORT.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RESET=""
for arg in "$@"; do
    case "$arg" in
        --reset) RESET=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) die "Unknown option $arg (see --help)" ;;
    esac
done

DB="${AFTERSALES_DB:-aftersales_demo}"
PORT="${AFTERSALES_PORT:-8069}"
CONF="$LOCAL/odoo-run.conf"

find_odoo
ensure_python_deps
ensure_wkhtmltopdf
ensure_postgres
write_odoo_conf "$CONF" "$PORT"

if [ -n "$RESET" ] && db_exists "$DB"; then
    say "Dropping database $DB (--reset)"
    dropdb "$DB"
    rm -rf "$LOCAL/data/filestore/$DB"
fi

if db_exists "$DB" && addons_installed "$DB"; then
    say "Upgrading the addons in database $DB"
    "$PY" -m odoo -c "$CONF" -d "$DB" -u "$ADDONS" --stop-after-init --log-level=warn \
        || die "Upgrading the addons failed (log above)"
else
    say "Creating database $DB with demo data (a few minutes the first time)"
    "$PY" -m odoo -c "$CONF" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn \
        || die "Installing the addons failed (log above)"
fi

cat <<MSG

  After-sales suite is starting at  http://127.0.0.1:$PORT
  Database: $DB    Login: admin    Password: admin
  (demo users: see README.md, "Roles")   Stop with Ctrl+C.

MSG
exec "$PY" -m odoo -c "$CONF" -d "$DB" --db-filter="^$DB\$"
