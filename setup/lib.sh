# shellcheck shell=bash
# Shared helpers of setup/run.sh and setup/test.sh. Sourced, never executed.
#
# What it provides:
#   find_odoo        sets PY to a Python that imports Odoo 18 (or dies with a clear message)
#   ensure_postgres  sets DB_HOST/DB_PORT/DB_USER/DB_PASSWORD (user's server or embedded cluster)
#   ensure_wkhtmltopdf, ensure_python_deps, ensure_static_deps, write_odoo_conf

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
PGDIR="$LOCAL/pg"
ADDONS="aftersales_service,aftersales_service_report"

say() { printf '\033[1;34m[aftersales]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[aftersales] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }

mkdir -p "$LOCAL"

# --------------------------------------------------------------------------
# Debian packages
# --------------------------------------------------------------------------
_APT_UPDATED=""
apt_install() {
    command -v apt-get >/dev/null 2>&1 \
        || die "Missing system packages: $*. Install them with your system's package manager and run again."
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            die "Missing system packages: $*. Run: sudo apt-get install -y $* and run again."
        fi
    fi
    if [ -z "$_APT_UPDATED" ]; then
        say "apt-get update"
        $sudo apt-get update -qq >/dev/null
        _APT_UPDATED=1
    fi
    say "Installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# --------------------------------------------------------------------------
# Odoo 18
# --------------------------------------------------------------------------
_no_odoo_message() {
    cat >&2 <<EOF
[aftersales] ERROR: Odoo 18.0 was not found.

  $1

  This suite is an add-on set for Odoo 18.0 Community; it does not ship or
  download Odoo. Either
    * install Odoo 18.0 Community so that 'python3 -c "import odoo"' works
      (see https://www.odoo.com/documentation/18.0/administration/on_premise/source.html
      — the 18.0 branch of https://github.com/odoo/odoo), or
    * point ODOO_PATH at an Odoo 18.0 source tree (the folder holding odoo-bin
      and requirements.txt); the setup then installs that tree and its
      requirements into the project's virtualenv .venv/:
          ODOO_PATH=/path/to/odoo-18.0 $0
EOF
    exit 1
}

# PY: the interpreter that runs Odoo and the tests.
find_odoo() {
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo/release.py" ] \
            || _no_odoo_message "ODOO_PATH=$ODOO_PATH is not an Odoo source tree (no odoo/release.py there)."
        grep -q "^version_info = (18," "$ODOO_PATH/odoo/release.py" \
            || _no_odoo_message "ODOO_PATH=$ODOO_PATH holds an Odoo that is not version 18.0."
        [ -f "$ODOO_PATH/odoo/addons/web/static/lib/owl/owl.js" ] \
            || _no_odoo_message "ODOO_PATH=$ODOO_PATH is incomplete (odoo/addons/web/static/lib/owl/owl.js is missing)."
        PY="$ROOT/.venv/bin/python"
        local marker="$ROOT/.venv/.odoo-path"
        if [ ! -x "$PY" ] || [ "$(cat "$marker" 2>/dev/null)" != "$ODOO_PATH" ] \
            || ! "$PY" -c "import odoo.addons.base" >/dev/null 2>&1; then
            say "Installing Odoo from ODOO_PATH=$ODOO_PATH into .venv/ (first run takes a few minutes)"
            # Build dependencies of Odoo's pinned python-ldap and psycopg2.
            if command -v dpkg >/dev/null 2>&1; then
                local missing=()
                for p in libldap2-dev libsasl2-dev libpq-dev python3-dev; do
                    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
                done
                [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
            fi
            python3 -m venv "$ROOT/.venv"
            # The pinned cbor2 does not build with setuptools>=81.
            local constraint="$LOCAL/pip-build-constraint.txt"
            echo "setuptools<81" >"$constraint"
            PIP_CONSTRAINT="$constraint" PIP_BUILD_CONSTRAINT="$constraint" \
                "$PY" -m pip install -q -r "$ODOO_PATH/requirements.txt"
            # compat mode keeps odoo.addons a working namespace package.
            PIP_CONSTRAINT="$constraint" PIP_BUILD_CONSTRAINT="$constraint" \
                "$PY" -m pip install -q -e "$ODOO_PATH" --config-settings editable_mode=compat
            echo "$ODOO_PATH" >"$marker"
        fi
    else
        command -v python3 >/dev/null 2>&1 || _no_odoo_message "There is no python3 on this machine."
        PY="$(python3 -c 'import sys; print(sys.executable)')"
        if ! "$PY" -c "import odoo.addons.base" >/dev/null 2>&1; then
            _no_odoo_message "'python3 -c \"import odoo\"' fails and ODOO_PATH is not set."
        fi
        "$PY" -c "import odoo.release as r, sys; sys.exit(r.version_info[0] != 18)" \
            || _no_odoo_message "The importable odoo is version $("$PY" -c 'import odoo.release as r; print(r.version)'), not 18.0."
    fi
    say "Odoo $("$PY" -c 'import odoo.release as r; print(r.version)') from $("$PY" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))') (python: $PY)"
}

# ensure_python_deps [more pip arguments]
ensure_python_deps() {
    _pip_install -r "$ROOT/requirements.txt" "$@"
}

# ensure_static_deps: only the Odoo-free layer's tools (requirements-static.txt).
# requirements.txt is left out on purpose: OCA's odoo-addon-report-xlsx requires
# the odoo distribution, which the static layer must not need.
ensure_static_deps() {
    _pip_install -r "$ROOT/requirements-static.txt"
}

_pip_install() {
    # pip is quick when everything is already satisfied.
    "$PY" -m pip install -q --disable-pip-version-check --root-user-action=ignore "$@" \
        || die "Could not install the Python dependencies of requirements*.txt"
}

# --------------------------------------------------------------------------
# PostgreSQL: the user's server (PG* variables) or the embedded cluster
# --------------------------------------------------------------------------
_pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && echo "$d"
    done | sort -V | tail -n 1
}

# Run a command as the cluster's OS user: initdb refuses to run as root.
_as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_use_external_postgres() {
    DB_HOST="${PGHOST:-}"
    DB_PORT="${PGPORT:-}"
    DB_USER="${PGUSER:-$(id -un)}"
    DB_PASSWORD="${PGPASSWORD:-}"
}

ensure_postgres() {
    command -v psql >/dev/null 2>&1 || apt_install postgresql-client
    if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGPASSWORD:-}" ]; then
        _use_external_postgres
        psql -d postgres -Atqc "select 1" >/dev/null 2>&1 \
            || die "Cannot connect to your PostgreSQL server (PGHOST='${PGHOST:-}' PGPORT='${PGPORT:-}' PGUSER='${PGUSER:-}'). Check the PG* variables, or unset them all to use the project's embedded PostgreSQL."
        say "Using your PostgreSQL server (PGHOST='${PGHOST:-<default>}', user $DB_USER)"
        return
    fi
    _ensure_embedded_postgres
}

_ensure_embedded_postgres() {
    local bindir data="$PGDIR/data" run="$PGDIR/run" log="$PGDIR/postgresql.log"
    bindir="$(_pg_bindir)"
    if [ -z "$bindir" ]; then
        apt_install postgresql
        bindir="$(_pg_bindir)"
        [ -n "$bindir" ] || die "PostgreSQL's server binaries were not found after installing Debian's postgresql."
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        die "Running as root needs the 'postgres' OS user to own the embedded cluster (Debian's postgresql package creates it)."
    fi
    mkdir -p "$data" "$run"
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres: "$PGDIR"
        runuser -u postgres -- test -x "$run" \
            || die "The 'postgres' OS user cannot reach $PGDIR (a parent folder is closed to it). Move the project, or set PGHOST/PGUSER to use your own server."
    fi
    chmod 700 "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "Creating the embedded PostgreSQL cluster in .local/pg/"
        _as_pg_owner "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale >"$PGDIR/initdb.log" 2>&1 \
            || die "initdb failed; see $PGDIR/initdb.log"
        cat >>"$data/postgresql.conf" <<EOF

# --- aftersales embedded cluster: unix socket only, tuned for a throwaway dev/test server
listen_addresses = ''
unix_socket_directories = '$run'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
EOF
    fi
    if ! _as_pg_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        say "Starting the embedded PostgreSQL (socket in .local/pg/run)"
        _as_pg_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
            || die "PostgreSQL did not start; see $log"
    fi
    # Odoo refuses to run as the 'postgres' role, so it gets its own.
    psql -h "$run" -U postgres -d postgres -Atqc \
        "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='odoo') THEN CREATE ROLE odoo LOGIN SUPERUSER; END IF; END\$\$;" \
        >/dev/null || die "Could not create the 'odoo' role in the embedded cluster"
    DB_HOST="$run"
    DB_PORT="5432"
    DB_USER="odoo"
    DB_PASSWORD=""
    export PGHOST="$DB_HOST" PGPORT="$DB_PORT" PGUSER="$DB_USER"
}

db_exists() {
    [ "$(psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

addons_installed() {
    [ "$(psql -d "$1" -Atqc "SELECT count(*) FROM ir_module_module WHERE name IN ('aftersales_service','aftersales_service_report') AND state = 'installed'" 2>/dev/null)" = 2 ]
}

# --------------------------------------------------------------------------
# wkhtmltopdf and CJK fonts for the PDF reports
# --------------------------------------------------------------------------
ensure_wkhtmltopdf() {
    local missing=()
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    # pdftotext: the tests read the printed documents' text.
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    # Chinese documents (服务凭证...) need a CJK font; counted, not grep -q, under pipefail.
    if command -v fc-list >/dev/null 2>&1 && [ "$(fc-list :lang=zh 2>/dev/null | wc -l)" = 0 ]; then
        missing+=(fonts-noto-cjk)
    fi
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# Chromium for the browser tests (Odoo's HttpCase tours and click-everywhere bot).
ensure_chromium() {
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
        || command -v google-chrome >/dev/null 2>&1 || apt_install chromium
}

# --------------------------------------------------------------------------
# Odoo configuration file
# --------------------------------------------------------------------------
# write_odoo_conf FILE HTTP_PORT [CRON_THREADS]
write_odoo_conf() {
    local conf="$1" port="$2" crons="${3:-1}"
    # Computed here, after ensure_python_deps: addons installed from PyPI
    # (OCA's report_xlsx) live under site-packages/odoo/addons.
    local ODOO_ADDONS_PATH
    ODOO_ADDONS_PATH="$("$PY" -c 'import odoo.addons, os; print(",".join(os.path.abspath(p) for p in odoo.addons.__path__))')"
    cat >"$conf" <<EOF
[options]
addons_path = $ODOO_ADDONS_PATH,$ROOT
data_dir = $LOCAL/data
db_host = ${DB_HOST:-False}
db_port = ${DB_PORT:-False}
db_user = $DB_USER
db_password = ${DB_PASSWORD:-False}
http_interface = 127.0.0.1
http_port = $port
gevent_port = $((port + 3))
max_cron_threads = $crons
EOF
}
