"""Upgrading a database installed at 18.0.1.0.0 loses, duplicates or leaves stale
nothing (issue 13).

One fixture puts the Odoo layer's database in the state of an older install and
runs ``-u aftersales_service,aftersales_service_report`` once, as a subprocess; the
tests compare what the database held before and after:

- data in every state: every value of every stored ``state`` selection of the
  addons' models and of repairs, a ticket in every stage and an archived row of
  every model with ``active`` (rows the demo data lacks are cloned from demo rows);
- edits users make: a cron rescheduled, another switched off, a sequence moved on,
  a template's subject reworded, the Cancelled stage renamed, an unlisted record
  rule tightened;
- the records the migrations refresh (their ``REFRESHED`` lists) hold the oldest
  value an earlier version shipped, and the addons' version is 18.0.1.0.0 again.
"""

import ast
import configparser
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql
from psycopg2.extras import Json

from .conftest import CONF, DB, LOG

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ("aftersales_service", "aftersales_service_report")
# The version of the databases in use when the refresh mechanism arrived.
OLD_VERSION = "18.0.1.0.0"
UPGRADE_TIMEOUT = 900
# Odoo's tables that do not follow model.replace(".", "_").
TABLES = {"ir.actions.server": "ir_act_server"}
# Tables of models that ``_inherits`` another: the parent's table and the link column
# (a cron's model and code are stored on its server action).
INHERITS = {"ir_cron": ("ir_act_server", "ir_actions_server_id")}
# Columns every write touches.
VOLATILE = {"write_date", "write_uid"}
# Columns the migrations fill in on existing rows (demo repairs among them), with
# their own test.
BACKFILLED = {"aftersales_done_at", "aftersales_repair_warranty_end"}
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>\S+): ")


# ----------------------------------------------------------------------------
# The migrations' lists
# ----------------------------------------------------------------------------
def _version_key(path):
    return tuple(int(part) for part in path.parent.name.split("."))


def post_migrations():
    """``[(addon, version, module)]`` of every ``post-migration.py``, oldest first."""
    found = []
    for addon in ADDONS:
        scripts = (ROOT / addon / "migrations").glob("*/post-migration.py")
        for path in sorted(scripts, key=_version_key):
            name = f"_{addon}_post_migration_{path.parent.name.replace('.', '_')}"
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            found.append((addon, path.parent.name, module))
    return found


def refreshed_fields():
    """``{xmlid: {field: oldest shipped value}}`` over every migration."""
    merged = {}
    for _addon, _version, module in post_migrations():
        for xmlid, fields in getattr(module, "REFRESHED", {}).items():
            for fname, old_values in fields.items():
                merged.setdefault(xmlid, {}).setdefault(fname, old_values[0])
    return merged


def manifest_version(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())["version"]


# ----------------------------------------------------------------------------
# SQL helpers
# ----------------------------------------------------------------------------
def connect():
    """A connection with the settings of the Odoo configuration file, so the test
    reaches the same server whether it is the embedded cluster or the user's."""
    parser = configparser.ConfigParser()
    parser.read(CONF)
    options = parser["options"]
    params = {"dbname": DB}
    for key, option in (
        ("host", "db_host"),
        ("port", "db_port"),
        ("user", "db_user"),
        ("password", "db_password"),
    ):
        value = options.get(option, "False")
        if value not in ("False", ""):
            params[key] = value
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


def fetch(cur, query, params=None):
    cur.execute(query, params)
    return cur.fetchall()


def q(query, *identifiers):
    """``query`` with its ``{}`` filled with quoted identifiers (tables, columns)."""
    return sql.SQL(query).format(*map(sql.Identifier, identifiers))


def table_of(model):
    return TABLES.get(model, model.replace(".", "_"))


def record_of(cur, xmlid):
    module, name = xmlid.split(".")
    [(model, res_id)] = fetch(
        cur,
        "SELECT model, res_id FROM ir_model_data WHERE module = %s AND name = %s",
        [module, name],
    )
    return table_of(model), res_id


def columns(cur, table):
    return {
        name: (dtype, nullable == "YES")
        for name, dtype, nullable in fetch(
            cur,
            """SELECT column_name, data_type, is_nullable FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = %s""",
            [table],
        )
    }


def row(cur, table, res_id):
    cur.execute(sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table)), [res_id])
    names = [d.name for d in cur.description]
    values = cur.fetchone()
    return dict(zip(names, values, strict=True)) if values else None


def field_row(cur, table, res_id, fname):
    """``(table, id)`` of the row holding ``fname`` of record ``res_id`` of ``table``:
    the parent's row for a field of an ``_inherits`` parent."""
    if fname not in columns(cur, table) and table in INHERITS:
        parent, link = INHERITS[table]
        [(parent_id,)] = fetch(cur, q("SELECT {} FROM {} WHERE id = %s", link, table), [res_id])
        return parent, parent_id
    return table, res_id


def set_field(cur, table, res_id, fname, value):
    """Write a stored value as Odoo keeps it (translated fields: the en_US key; a
    many2one given by xmlid: its id)."""
    table, res_id = field_row(cur, table, res_id, fname)
    dtype = columns(cur, table)[fname][0]
    if dtype == "integer" and isinstance(value, str):
        _table, value = record_of(cur, value)
    if dtype == "jsonb":
        query = sql.SQL(
            "UPDATE {t} SET {c} = coalesce({c}, '{{}}'::jsonb) || %s WHERE id = %s"
        ).format(t=sql.Identifier(table), c=sql.Identifier(fname))
        cur.execute(query, [Json({"en_US": value}), res_id])
    else:
        query = sql.SQL("UPDATE {t} SET {c} = %s WHERE id = %s").format(
            t=sql.Identifier(table), c=sql.Identifier(fname)
        )
        cur.execute(query, [value, res_id])


# ----------------------------------------------------------------------------
# Data in every state
# ----------------------------------------------------------------------------
def business_tables(cur):
    """Tables of the addons' stored models, repairs, and their many2many links."""
    tables = [
        table_of(model)
        for (model,) in fetch(
            cur,
            """SELECT model FROM ir_model
                WHERE (model LIKE 'aftersales.%%' AND NOT transient) OR model = 'repair.order'""",
        )
    ]
    tables += [
        rel
        for (rel,) in fetch(
            cur,
            """SELECT DISTINCT f.relation_table FROM ir_model_fields f
                 JOIN ir_model m ON m.id = f.model_id
                WHERE f.ttype = 'many2many' AND f.store AND NOT m.transient
                  AND m.model LIKE 'aftersales.%%'""",
        )
    ]
    existing = {t for (t,) in fetch(cur, "SELECT tablename FROM pg_tables")}
    # SQL views (the KPI reports) have no rows of their own.
    return sorted(set(tables) & existing)


def clone(cur, table, overrides):
    """Copy the table's first row with ``overrides``; in each unique index one column
    gets a suffixed text or NULL so the copy is a row of its own, and so does the
    column naming the record (``NAMED``): a copy of a record whose name a migration
    refreshes would otherwise share the refreshed name and count as a duplicate."""
    cols = columns(cur, table)
    distinct = {}  # column -> SQL giving the copy a value of its own
    named = {table_of(model): column for model, column in NAMED.items()}.get(table)
    if named and named not in overrides:
        if cols[named][0] == "jsonb":
            distinct[named] = sql.SQL(
                "jsonb_set({c}, '{{en_US}}', to_jsonb(({c}->>'en_US') || ' (upgrade test)'))"
            ).format(c=sql.Identifier(named))
        else:
            distinct[named] = sql.SQL("{} || ' (upgrade test)'").format(sql.Identifier(named))
    for (index_columns,) in fetch(
        cur,
        """SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary
            GROUP BY i.indexrelid""",
        [table],
    ):
        if set(index_columns) & (set(overrides) | set(distinct)):
            continue
        texts = [c for c in index_columns if cols[c][0] in ("character varying", "text")]
        nullable = [c for c in index_columns if cols[c][1]]
        if texts:
            distinct[texts[0]] = sql.SQL("{} || ' (upgrade test)'").format(sql.Identifier(texts[0]))
        else:
            assert nullable, f"cannot clone a row of {table}: unique {index_columns}"
            distinct[nullable[0]] = sql.SQL("NULL")
    names, exprs, params = [], [], []
    for name in sorted(cols):
        if name == "id":
            continue
        names.append(sql.Identifier(name))
        if name in overrides:
            exprs.append(sql.Placeholder())
            params.append(overrides[name])
        else:
            exprs.append(distinct.get(name, sql.Identifier(name)))
    query = sql.SQL("INSERT INTO {t} ({n}) SELECT {e} FROM {t} ORDER BY id LIMIT 1").format(
        t=sql.Identifier(table), n=sql.SQL(", ").join(names), e=sql.SQL(", ").join(exprs)
    )
    cur.execute(query, params)
    assert cur.rowcount == 1, f"{table} has no row to clone"


def fill_every_state(cur):
    selections = fetch(
        cur,
        """SELECT m.model, f.name, array_agg(s.value ORDER BY s.sequence)
             FROM ir_model_fields f
             JOIN ir_model m ON m.id = f.model_id
             JOIN ir_model_fields_selection s ON s.field_id = f.id
            WHERE f.name = 'state' AND f.store AND NOT m.transient
              AND (m.model LIKE 'aftersales.%%' OR m.model = 'repair.order')
            GROUP BY 1, 2""",
    )
    for model, fname, values in selections:
        table = table_of(model)
        present = {v for (v,) in fetch(cur, q("SELECT DISTINCT {} FROM {}", fname, table))}
        for value in values:
            if value not in present:
                clone(cur, table, {fname: value})
    for (stage_id,) in fetch(
        cur,
        """SELECT s.id FROM aftersales_stage s
            WHERE NOT EXISTS (SELECT 1 FROM aftersales_ticket t WHERE t.stage_id = s.id)""",
    ):
        clone(cur, "aftersales_ticket", {"stage_id": stage_id})
    for table in business_tables(cur):
        if "active" in columns(cur, table) and not fetch(
            cur, q("SELECT 1 FROM {} WHERE active IS NOT TRUE LIMIT 1", table)
        ):
            clone(cur, table, {"active": False})


# ----------------------------------------------------------------------------
# What users change in a running database
# ----------------------------------------------------------------------------
RESCHEDULED_CRON = "aftersales_service.ir_cron_aftersales_recompute_tiers"
RESCHEDULED_AT = "2031-05-04 03:21:00"
STOPPED_CRON = "aftersales_service.ir_cron_aftersales_plan_callbacks"
MOVED_SEQUENCE = "aftersales_service.seq_aftersales_ticket"
MOVED_TO = 4241
REWORDED_TEMPLATE = "aftersales_service.mail_template_contract_expiry"
REWORDED_TEMPLATE_SUBJECT = "Your contract {{ object.name }} ends soon: let us renew it"
RENAMED_STAGE = "aftersales_service.aftersales_stage_cancelled"
TIGHTENED_RULE = "aftersales_service.aftersales_rma_rule_portal"
TIGHTENED_DOMAIN = (
    "[('commercial_partner_id', '=', user.commercial_partner_id.id), ('state', '!=', 'draft')]"
)


def apply_user_edits(cur):
    _table, cron_id = record_of(cur, RESCHEDULED_CRON)
    cur.execute(
        "UPDATE ir_cron SET nextcall = %s, interval_number = 2 WHERE id = %s",
        [RESCHEDULED_AT, cron_id],
    )
    _table, cron_id = record_of(cur, STOPPED_CRON)
    cur.execute("UPDATE ir_cron SET active = false WHERE id = %s", [cron_id])
    _table, seq_id = record_of(cur, MOVED_SEQUENCE)
    cur.execute("SELECT setval(%s, %s)", [f"ir_sequence_{seq_id:03d}", MOVED_TO])
    table, template_id = record_of(cur, REWORDED_TEMPLATE)
    set_field(cur, table, template_id, "subject", REWORDED_TEMPLATE_SUBJECT)
    table, stage_id = record_of(cur, RENAMED_STAGE)
    set_field(cur, table, stage_id, "name", "Annulé")
    set_field(cur, table, stage_id, "sequence", 45)
    table, rule_id = record_of(cur, TIGHTENED_RULE)
    set_field(cur, table, rule_id, "domain_force", TIGHTENED_DOMAIN)


def write_old_definitions(cur, refreshed):
    for xmlid, fields in refreshed.items():
        table, res_id = record_of(cur, xmlid)
        for fname, value in fields.items():
            set_field(cur, table, res_id, fname, value)
    cur.execute(
        "UPDATE ir_module_module SET latest_version = %s WHERE name IN %s",
        [OLD_VERSION, ADDONS],
    )


# ----------------------------------------------------------------------------
# Snapshots
# ----------------------------------------------------------------------------
def snapshot(cur):
    snap = {"counts": {}, "states": {}, "noupdate": {}, "sequences": {}}
    for table in business_tables(cur):
        [(snap["counts"][table],)] = fetch(cur, q("SELECT count(*) FROM {}", table))
        cols = columns(cur, table)
        for fname in ("state", "stage_id", "active"):
            if fname in cols:
                for value, count in fetch(
                    cur, q("SELECT {}, count(*) FROM {} GROUP BY 1", fname, table)
                ):
                    snap["states"][table, fname, value] = count
    snap["xmlids"] = fetch(
        cur,
        """SELECT module, name, model, res_id, noupdate FROM ir_model_data
            WHERE module IN %s ORDER BY module, name""",
        [ADDONS],
    )
    for module, name, model, res_id, noupdate in snap["xmlids"]:
        if noupdate:
            snap["noupdate"][f"{module}.{name}"] = row(cur, table_of(model), res_id)
    for seq_id, implementation, number_next in fetch(
        cur,
        """SELECT id, implementation, number_next FROM ir_sequence
            WHERE code LIKE 'aftersales.%%' OR id IN (
                  SELECT res_id FROM ir_model_data WHERE model = 'ir.sequence' AND module IN %s)""",
        [ADDONS],
    ):
        pg_value = None
        if implementation == "standard":
            pg_value = fetch(
                cur, q("SELECT last_value, is_called FROM {}", f"ir_sequence_{seq_id:03d}")
            )[0]
        snap["sequences"][seq_id] = (number_next, pg_value)
    snap["duplicates"] = duplicates(cur)
    snap["versions"] = dict(
        fetch(cur, "SELECT name, latest_version FROM ir_module_module WHERE name IN %s", [ADDONS])
    )
    return snap


def refreshed_values(cur, refreshed):
    values = {}
    for xmlid, fields in refreshed.items():
        table, res_id = record_of(cur, xmlid)
        values[xmlid] = {
            fname: row(cur, *field_row(cur, table, res_id, fname))[fname] for fname in fields
        }
    return values


# ----------------------------------------------------------------------------
# The upgrade, once
# ----------------------------------------------------------------------------
def forget_repair_completion(cur):
    """Done repairs of an older install have no stored completion (18.0.1.1.0 added
    it): ``{repair id: the instant the migration should take}``."""
    rows = fetch(
        cur,
        """
        UPDATE repair_order SET aftersales_done_at = NULL
         WHERE state = 'done'
     RETURNING id, COALESCE(sla_solved_at, write_date)
        """,
    )
    return dict(rows)


@pytest.fixture(scope="module")
def upgrade():
    refreshed = refreshed_fields()
    conn = connect()
    with conn.cursor() as cur:
        # The Odoo layer installed the current XML: these are the definitions to reach.
        current_xml = refreshed_values(cur, refreshed)
        fill_every_state(cur)
        apply_user_edits(cur)
        write_old_definitions(cur, refreshed)
        old_definitions = refreshed_values(cur, refreshed)
        forgotten = forget_repair_completion(cur)
        before = snapshot(cur)
        # The rows holding the refreshed fields: a cron's model and code are on its
        # server action, which has an xmlid of its own.
        refreshed_rows = {}
        for xmlid, fields in refreshed.items():
            table, res_id = record_of(cur, xmlid)
            for fname in fields:
                refreshed_rows.setdefault(field_row(cur, table, res_id, fname), set()).add(fname)
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        CONF,
        "-d",
        DB,
        "-u",
        ",".join(ADDONS),
        "--stop-after-init",
        "--log-level=info",
        f"--logfile={LOG}",
    ]
    done = subprocess.run(cmd, cwd=ROOT, timeout=UPGRADE_TIMEOUT, check=False)
    with conn.cursor() as cur:
        after = snapshot(cur)
        upgraded = refreshed_values(cur, refreshed)
    yield {
        "returncode": done.returncode,
        "log": Path(LOG).read_text(errors="replace"),
        "refreshed": refreshed,
        "refreshed_rows": refreshed_rows,
        "current_xml": current_xml,
        "old_definitions": old_definitions,
        "upgraded": upgraded,
        "before": before,
        "after": after,
        "forgotten_completions": forgotten,
        "conn": conn,
    }
    conn.close()


def test_upgrade_runs_the_migrations(upgrade):
    assert upgrade["returncode"] == 0, f"-u failed; see {LOG}"
    for addon, version, _module in post_migrations():
        assert f"module {addon}: Running migration [{version}>] post-migration" in upgrade["log"]
    assert upgrade["before"]["versions"] == dict.fromkeys(ADDONS, OLD_VERSION)
    assert upgrade["after"]["versions"] == {a: manifest_version(a) for a in ADDONS}


def test_the_old_install_is_really_old(upgrade):
    """Otherwise the refresh test below proves nothing."""
    assert upgrade["refreshed"], "no migration lists a refreshed record"
    for xmlid, fields in upgrade["current_xml"].items():
        for fname, value in fields.items():
            assert upgrade["old_definitions"][xmlid][fname] != value, (xmlid, fname)
    states = upgrade["before"]["states"]
    assert ("aftersales_contract", "state", "cancelled") in states
    assert ("repair_order", "state", "cancel") in states


def test_nothing_lost(upgrade):
    before, after = upgrade["before"], upgrade["after"]
    assert after["counts"] == before["counts"]
    assert after["states"] == before["states"]
    # Same xmlids on the same rows: nothing deleted and created again.
    assert after["xmlids"] == before["xmlids"]


# model -> column that names its records (what a duplicate would repeat).
NAMED = {
    "ir.cron": "cron_name",
    "ir.rule": "name",
    "ir.sequence": "code",
    "mail.template": "name",
    "mail.activity.type": "name",
    "aftersales.stage": "name",
    "aftersales.sla.policy": "name",
}


def duplicates(cur):
    """Records of the addons' data that share their name with another record of the
    model, and records carrying two xmlids of the addons."""
    found = {
        "xmlids on one record": fetch(
            cur,
            """SELECT model, res_id FROM ir_model_data WHERE module IN %s
                GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 1, 2""",
            [ADDONS],
        )
    }
    for model, column in NAMED.items():
        query = sql.SQL(
            """SELECT t.{c}::text, count(*) FROM {t} t
                WHERE t.{c} IN (SELECT o.{c} FROM {t} o JOIN ir_model_data d
                                  ON d.res_id = o.id AND d.model = %s AND d.module IN %s)
                GROUP BY 1 HAVING count(*) > 1 ORDER BY 1"""
        ).format(t=sql.Identifier(table_of(model)), c=sql.Identifier(column))
        found[model] = fetch(cur, query, [model, ADDONS])
    return found


def test_nothing_duplicated(upgrade):
    """The upgrade adds no second cron, rule, template, sequence... of the same name
    (the archived copies made for the test, and a model's xmlid in both addons, were
    there before)."""
    assert upgrade["after"]["duplicates"] == upgrade["before"]["duplicates"]


def test_nothing_stale(upgrade):
    assert upgrade["upgraded"] == upgrade["current_xml"]


def test_noupdate_records_keep_everything_else(upgrade):
    """Every noupdate record of the addons (rules, crons, templates, sequences, stages,
    demo data...) is the row it was, apart from the refreshed fields."""
    refreshed_rows = upgrade["refreshed_rows"]
    rows = {
        f"{module}.{name}": (table_of(model), res_id)
        for module, name, model, res_id, _noupdate in upgrade["before"]["xmlids"]
    }
    before, after = upgrade["before"]["noupdate"], upgrade["after"]["noupdate"]
    assert len(before) > 100  # data and demo records of both addons
    assert after.keys() == before.keys()
    changed = {}
    for xmlid, old in before.items():
        skip = VOLATILE | BACKFILLED | refreshed_rows.get(rows[xmlid], set())
        diff = {
            col: (value, after[xmlid][col])
            for col, value in old.items()
            if col not in skip and after[xmlid][col] != value
        }
        if diff:
            changed[xmlid] = diff
    assert changed == {}


def test_user_edits_survive(upgrade):
    after = upgrade["after"]["noupdate"]
    assert str(after[RESCHEDULED_CRON]["nextcall"]) == RESCHEDULED_AT
    assert after[RESCHEDULED_CRON]["interval_number"] == 2
    assert after[RESCHEDULED_CRON]["active"] is True
    assert after[STOPPED_CRON]["active"] is False
    assert after[RENAMED_STAGE]["name"]["en_US"] == "Annulé"
    assert after[TIGHTENED_RULE]["domain_force"] == TIGHTENED_DOMAIN
    assert after[REWORDED_TEMPLATE]["subject"]["en_US"] == REWORDED_TEMPLATE_SUBJECT


def test_sequences_not_reset(upgrade):
    before, after = upgrade["before"]["sequences"], upgrade["after"]["sequences"]
    assert after == before
    with upgrade["conn"].cursor() as cur:
        _table, seq_id = record_of(cur, MOVED_SEQUENCE)
    assert after[seq_id][1] == (MOVED_TO, True)


def test_upgrade_log_is_clean(upgrade):
    """No error at all, and no warning from the addons."""
    bad = []
    for line in upgrade["log"].splitlines():
        match = LOG_LINE.match(line)
        if not match:
            continue
        level, logger = match["level"], match["logger"]
        if level in ("ERROR", "CRITICAL") or (
            level == "WARNING" and ("aftersales" in logger or "aftersales" in line)
        ):
            bad.append(line)
    assert bad == []


GUARD_SCRIPT = """
import json
from odoo import SUPERUSER_ID, api
from odoo.modules.migration import load_script

params = json.loads(PARAMS)
migration = load_script(params["path"], "aftersales_refresh_guard")
env = api.Environment(env.cr, SUPERUSER_ID, {})
refresh = migration.refresh_noupdate_records
out = {}

# A listed rule: one field still as an old version shipped it, one an administrator chose.
rule = env.ref(params["rule"])
rule.write({"name": params["old_name"], "domain_force": params["custom_domain"]})
out["rule_first"] = refresh(env, migration.MODULE, migration.REFRESHED)[params["rule"]]
out["rule"] = {"name": rule.name, "domain_force": rule.domain_force}
out["second"] = refresh(env, migration.MODULE, migration.REFRESHED)

# A template body, as the next changes of templates will list it (html, sanitized).
template = env.ref(params["template"])
shipped = template.body_html
listed = {params["template"]: {"body_html": [params["old_body"]]}}
template.body_html = params["old_body"]
out["old_body"] = refresh(env, migration.MODULE, listed)[params["template"]]
out["old_body_refreshed"] = template.body_html == shipped
out["body_again"] = refresh(env, migration.MODULE, listed)[params["template"]]
template.body_html = params["custom_body"]
out["custom_body"] = refresh(env, migration.MODULE, listed)[params["template"]]
out["custom_body_kept"] = template.body_html == params["custom_body"]
print("RESULT " + json.dumps(out))
env.cr.rollback()
"""


def test_refresh_keeps_a_value_an_administrator_chose(upgrade):
    """The refresh itself, in a rolled-back ``odoo shell``: a listed field still
    holding an old shipped value is rewritten, one holding a value no version
    shipped is kept and reported, a second run has nothing left to do; the same for
    a template's html body."""
    rule = "aftersales_service.aftersales_contract_rule_portal"
    [(_addon, _version, module)] = [
        m for m in post_migrations() if rule in getattr(m[2], "REFRESHED", {})
    ]
    params = {
        "path": module.__file__,
        "rule": rule,
        "old_name": module.REFRESHED[rule]["name"][0],
        "custom_domain": (
            "[('commercial_partner_id', '=', user.commercial_partner_id.id),"
            " ('state', '=', 'active')]"
        ),
        "template": REWORDED_TEMPLATE,
        "old_body": "<p>Dear customer, your maintenance contract ends soon.</p>",
        "custom_body": "<p>Our own words about your contract.</p>",
    }
    done = subprocess.run(
        [sys.executable, "-m", "odoo", "shell", "-c", CONF, "-d", DB, "--no-http"],
        input=GUARD_SCRIPT.replace("PARAMS", repr(json.dumps(params))),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    results = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert results, done.stdout + done.stderr
    out = json.loads(results[0].removeprefix("RESULT "))
    assert out["rule_first"] == {"refreshed": ["name"], "kept": ["domain_force"]}
    assert out["rule"] == {
        "name": upgrade["current_xml"][rule]["name"],
        "domain_force": params["custom_domain"],
    }
    assert f"{rule}: domain_force was changed in this database" in done.stderr
    assert [x for x, v in out["second"].items() if v["refreshed"]] == []
    assert out["second"][rule]["kept"] == ["domain_force"]
    assert out["old_body"] == {"refreshed": ["body_html"], "kept": []}
    assert out["old_body_refreshed"]
    assert out["body_again"] == {"refreshed": [], "kept": []}
    assert out["custom_body"] == {"refreshed": [], "kept": ["body_html"]}
    assert out["custom_body_kept"]


def test_done_repairs_get_their_completion_and_repair_warranty(upgrade):
    """The repair warranty of repairs done before the upgrade runs from when they
    were done, not from their last edit."""
    forgotten = upgrade["forgotten_completions"]
    assert forgotten, "the demo data has no done repair"
    with upgrade["conn"].cursor() as cur:
        rows = fetch(
            cur,
            "SELECT id, aftersales_done_at, aftersales_repair_warranty_end"
            " FROM repair_order WHERE id = ANY(%s)",
            [list(forgotten)],
        )
    for repair_id, done_at, warranty_end in rows:
        assert done_at == forgotten[repair_id], repair_id
        assert warranty_end, repair_id
