#!/usr/bin/env bash
# Refresh the translation files of both addons (maintainer command).
#
#   ./setup/i18n.sh              export from a fresh throwaway database (dropped afterwards)
#   ./setup/i18n.sh --db NAME    export from an existing database with both addons (upgraded first)
#   ./setup/i18n.sh --keep-db    keep the throwaway database aftersales_i18n afterwards
#
# For each addon it writes i18n/<addon>.pot with Odoo's own exporter
# (odoo --i18n-export --modules=<addon>) and merges it into i18n/zh_CN.po and
# i18n/zh_TW.po (gettext's msgmerge, no fuzzy matching; obsolete entries dropped),
# creating a .po from the .pot when it is missing. New messages come out with an
# empty msgstr: translate them, then run the Odoo-free layer
# (pytest tests/static/test_translations.py) to see what is still missing.
#
# The throwaway database is installed with demo data, as CI's is: Odoo's exporter
# reads translatable records from the database, and noupdate records (mail
# templates...) of an upgraded database keep what an earlier version wrote there,
# so --db is only as current as that database.
# Environment: as ./setup/run.sh (ODOO_PATH, PGHOST/PGPORT/PGUSER/PGPASSWORD).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=""
KEEP_DB=""
while [ $# -gt 0 ]; do
    case "$1" in
        --db) [ $# -ge 2 ] || die "--db needs a database name"; DB="$2"; shift ;;
        --db=*) DB="${1#--db=}" ;;
        --keep-db) KEEP_DB=1 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) die "Unknown option $1 (see --help)" ;;
    esac
    shift
done

LANGS=(zh_CN zh_TW)
CONF="$LOCAL/odoo-i18n.conf"
cd "$ROOT"

find_odoo
ensure_python_deps
ensure_postgres
command -v msgmerge >/dev/null 2>&1 || apt_install gettext
write_odoo_conf "$CONF" 8069 0

THROWAWAY=""
cleanup() {
    if [ -n "$THROWAWAY" ] && [ -z "$KEEP_DB" ]; then
        dropdb --if-exists "$THROWAWAY" 2>/dev/null || true
        rm -rf "$LOCAL/data/filestore/$THROWAWAY"
    fi
}
trap cleanup EXIT

if [ -n "$DB" ]; then
    db_exists "$DB" && addons_installed "$DB" \
        || die "Database $DB does not exist or lacks one of the addons ($ADDONS)"
    say "Upgrading the addons in database $DB"
    "$PY" -m odoo -c "$CONF" -d "$DB" -u "$ADDONS" --stop-after-init --log-level=warn \
        || die "Upgrading the addons failed (log above)"
else
    DB="aftersales_i18n"
    THROWAWAY="$DB"
    dropdb --if-exists "$DB"
    rm -rf "$LOCAL/data/filestore/$DB"
    say "Installing both addons with demo data in a throwaway database $DB (a few minutes)"
    "$PY" -m odoo -c "$CONF" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn \
        || die "Installing the addons failed (log above)"
    # Odoo installs a module without its demo data (and exits 0) when the demo
    # fails to load: the catalogues would then miss every demo-only term.
    [ "$(psql -d "$DB" -Atqc "SELECT count(*) FROM ir_module_module WHERE name IN ('aftersales_service','aftersales_service_report') AND demo")" = 2 ] \
        || die "The demo data of the addons failed to install (see the warnings above); fix it before exporting the terms"
fi

for addon in ${ADDONS//,/ }; do
    dir="$ROOT/$addon/i18n"
    pot="$dir/$addon.pot"
    mkdir -p "$dir"
    say "$addon: exporting $addon.pot"
    "$PY" -m odoo -c "$CONF" -d "$DB" --i18n-export="$pot" --modules="$addon" \
        --stop-after-init --log-level=warn \
        || die "Exporting the terms of $addon failed (log above)"
    for lang in "${LANGS[@]}"; do
        po="$dir/$lang.po"
        if [ ! -f "$po" ]; then
            say "$addon: creating $lang.po from the .pot"
            msginit --no-translator --locale="$lang.UTF-8" --input="$pot" --output-file="$po" 2>/dev/null \
                || die "msginit could not create $po"
        fi
        msgmerge --quiet --no-fuzzy-matching --backup=none --update "$po" "$pot" \
            || die "msgmerge failed on $po"
        msgattrib --no-obsolete --output-file="$po" "$po" \
            || die "msgattrib failed on $po"
        # Counted by msgfmt (stderr): translated, fuzzy and untranslated messages.
        counts="$(msgfmt --statistics --output-file=/dev/null "$po" 2>&1)"
        say "$addon/i18n/$lang.po: $counts"
    done
done
say "Done. Translate the empty msgstr, then: python3 -m pytest -p no:odoo -q tests/static/test_translations.py"
