"""Bring the ``noupdate`` records whose shipped definition changed up to date (issue 13).

Record rules, crons, sequences, mail templates and the seeded stages, teams and
policies are loaded from ``noupdate="1"`` files: ``-u`` creates the records a
database lacks and leaves the existing ones as they are, so a database installed
before a change keeps the old definition. In Odoo 18 that skip is decided by the
file's flag (``odoo/tools/convert.py``, ``xml_import._tag_record``), not by
``ir_model_data.noupdate``: setting that column to false in a pre-migration changes
nothing. This script therefore reloads the changed fields itself, after the module's
data is loaded (``post``), with the loader Odoo uses at install (``xml_import`` in
``init`` mode), from the module's own data files: the XML stays the only definition.

What is rewritten, and what is not
    Only the fields listed for a record in ``REFRESHED``, and only where the database
    still holds a value an earlier version shipped. A value an administrator chose
    (a customised template, a rule tightened by hand) is kept and logged as a
    warning together with the shipped value, for them to review. Fields that users
    own are never listed: a cron's schedule (``nextcall``, interval) and ``active``
    flag, a sequence's next number, a stage's name, order and folding. Nothing is
    created or deleted, and ``ir_model_data`` keeps ``noupdate = True``. Running
    the script twice changes nothing the second time.

    Translated fields (a template's subject and body, a stage's name) are compared
    and rewritten in English, the source language; other languages keep their
    translation (all of it for a char or text field, each term whose text is
    unchanged or nearly so for html), as when Odoo's loader rewrites a source text.

How to add a refreshed record
    1. Change the record in its data file as usual.
    2. Add its xmlid to ``REFRESHED`` below with, for each field you changed, the
       values that field had in the XML of earlier versions (``git log -p`` of the
       data file), and a comment saying why an existing database needs the change.
       Scalar fields (char, text, html, selection, boolean, numbers) and many2one
       fields the XML sets with ``ref`` can be listed; a many2one's previous values
       are the xmlids earlier versions referenced. Other relational fields need
       this script extended first.
    3. Once 18.0.1.1.0 is released, a later change goes in a new
       ``migrations/<version>/post-migration.py`` (with a manifest bump) whose own
       ``REFRESHED`` it passes to ``refresh_noupdate_records`` of this file, loaded
       with ``odoo.modules.migration.load_script``.
    4. ``tests/upgrade/test_noupdate_listed.py`` (Odoo-free, in ``./setup/test.sh
       --static``) fails while a noupdate field differs from the last release's
       definition (``tests/upgrade/noupdate_released.json``) without an entry here.
       The upgrade layer (``tests/upgrade/test_upgrade.py``) writes the oldest listed
       values into an installed database, upgrades it and checks every listed field
       equals the XML again.
    5. When a version is released, record its definitions:
       ``python3 tests/upgrade/noupdate_released.py <version>``.
"""

import logging

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.modules.module import get_manifest
from odoo.tools import file_open
from odoo.tools.convert import _eval_xml, xml_import
from odoo.tools.misc import str2bool

_logger = logging.getLogger("odoo.addons.aftersales_service.migrations")

MODULE = "aftersales_service"

# xmlid -> {field: [values earlier versions shipped]}.
REFRESHED = {
    # Issue 15: users read plain business wording; the requirement codes the seeded
    # SLA policies' names and the templates' descriptions carried stay in the code.
    "aftersales_service.aftersales_sla_policy_default": {
        "name": ["Default: respond within 2 h (P2.3), solve within 48 h"]
    },
    "aftersales_service.aftersales_sla_policy_urgent": {
        "name": ["Urgent: respond 2 h, resolve 24 h (P6.3)"]
    },
    "aftersales_service.aftersales_sla_policy_general": {
        "name": ["General: closed within 48 h (P6.3)"]
    },
    "aftersales_service.aftersales_sla_policy_phone": {
        "name": ["Phone: respond 2 h, solution 24 h (P6.3)"]
    },
    "aftersales_service.aftersales_sla_policy_web": {
        "name": ["Website / portal: respond 1 h, solution 48 h (P6.3)"]
    },
    "aftersales_service.aftersales_sla_policy_social": {
        "name": ["Social media: respond 1 h, solution 48 h (P6.3)"]
    },
    "aftersales_service.aftersales_sla_policy_email": {
        "name": ["E-mail: respond 1 h, solution 48 h (P6.3)"]
    },
    "aftersales_service.aftersales_sla_policy_store": {
        "name": ["Store: reported to the desk within 2 h, solution 24 h (P6.3)"]
    },
    "aftersales_service.aftersales_sla_policy_urgent_phone": {
        "name": ["Urgent phone call: respond 2 h, resolve 24 h (P6.3)"]
    },
    "aftersales_service.mail_template_ticket_progress": {
        "description": ["Sent to the customer when the request changes stage (P2.8)"]
    },
    "aftersales_service.mail_template_ticket_sla_apology": {
        "description": ["Sent once when the resolution target of a request is missed (P6.4)"]
    },
    "aftersales_service.mail_template_ticket_sla_extension": {
        "description": ["Sent when a supervisor extends the resolution deadline (P6.3)"]
    },
    "aftersales_service.mail_template_contract_expiry": {
        "description": ["Sent to the customer one month before the contract ends (P7.2)"]
    },
    # Issue 17: the subject and the button were bilingual for everyone; they are
    # English now and reach Chinese customers translated (the template's lang).
    "aftersales_service.mail_template_feedback_request": {
        "description": [
            "Sent to the customer after a ticket, repair or return is completed (P8.1)"
        ],
        "subject": ["{{ object.company_id.name }}: how did we do? / 您对我们的服务满意吗？"],
        "body_html": [
            "<div>\n"
            "    <p>Dear <t t-out=\"object.partner_id.name or 'customer'\"/>,</p>\n"
            '    <p>We have completed <strong t-out="object.name"/>'
            '<t t-if="object.technician_id">, handled by\n'
            '       <t t-out="object.technician_id.name"/></t>. Please tell us how it went: '
            "it takes one minute.</p>\n"
            '    <p><a t-att-href="object.get_base_url() + object.get_portal_url()" '
            'style="background-color: #875A7B; padding: 8px 16px; color: #fff; '
            'border-radius: 5px; text-decoration: none;">\n'
            "        Give your feedback / 填写意见</a></p>\n"
            "    <p>The link works once, until "
            '<t t-out="format_date(object.expires_on)"/>.</p>\n'
            "</div>"
        ],
    },
    # Issue 19: the tier engine moved from res.partner to aftersales.tier, which
    # the cron calls now; an existing cron would call a method that is gone.
    "aftersales_service.ir_cron_aftersales_recompute_tiers": {
        "model_id": ["base.model_res_partner"],
        "code": ["model._cron_aftersales_recompute_tiers()"],
    },
    # c95c5bf: draft contracts are internal until sent, yet portal customers saw them
    # in "My contracts"; the portal pages read contracts through this rule.
    "aftersales_service.aftersales_contract_rule_portal": {
        "name": ["Maintenance contract: portal customers see their own"],
        "domain_force": ["[('commercial_partner_id', '=', user.commercial_partner_id.id)]"],
    },
    # 1de9d91: the flag came after the stage. Without it on the seeded "Cancelled"
    # stage, cancelled requests get feedback requests and satisfaction callbacks and
    # count in the KPIs and technician scores.
    "aftersales_service.aftersales_stage_cancelled": {
        "is_cancelled": [False],
    },
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    refresh_noupdate_records(env, MODULE, REFRESHED)
    backfill_repair_completion(env)


def backfill_repair_completion(env):
    """Repairs done before 18.0.1.1.0 have no stored completion, and their repair
    warranty ran from their last edit (issue 13). Their completion is the SLA
    clock's solution time (set when the repair was marked done), else the last
    edit, and the repair warranty end is computed again from it."""
    env.cr.execute(
        """
        UPDATE repair_order
           SET aftersales_done_at = COALESCE(sla_solved_at, write_date)
         WHERE state = 'done' AND aftersales_done_at IS NULL
     RETURNING id
        """
    )
    repairs = env["repair.order"].browse([row[0] for row in env.cr.fetchall()])
    if not repairs:
        return
    repairs.invalidate_recordset(["aftersales_done_at"])
    env.add_to_compute(repairs._fields["aftersales_repair_warranty_end"], repairs)
    repairs.flush_recordset(["aftersales_repair_warranty_end"])
    _logger.info("Stored the completion of %s done repairs from their history", len(repairs))


def refresh_noupdate_records(env, module, refreshed):
    """Rewrite the listed fields of the listed records from ``module``'s data files
    where they still hold a previously shipped value.

    Returns ``{xmlid: {"refreshed": [fields], "kept": [fields]}}`` ("kept": the
    database holds a value no version shipped, left as it is).
    """
    definitions = _shipped_records(module, refreshed)
    importer = xml_import(env, module, idref={}, mode="init", noupdate=True)
    summary = {}
    for xmlid, previous in refreshed.items():
        record = env.ref(xmlid, raise_if_not_found=False)
        if not record:
            # The data file recreates a missing noupdate record on -u, so this is
            # an entry left in the list after its record was removed from the XML.
            _logger.warning("%s is listed for refresh but does not exist; skipped", xmlid)
            continue
        node = definitions[xmlid]
        stale, kept = [], []
        for fname, old_values in previous.items():
            shipped = _shipped_value(importer, record, node, fname)
            current = record[fname]
            if _holds(record, fname, shipped):
                continue
            if any(_holds(record, fname, old) for old in old_values):
                stale.append(fname)
            else:
                kept.append(fname)
                _logger.warning(
                    "%s: %s was changed in this database, so the upgrade kept it: %r. "
                    "This version ships %r; review whether to apply it.",
                    xmlid,
                    fname,
                    current,
                    shipped,
                )
        if stale:
            reduced = etree.Element("record", node.attrib)
            reduced.extend(
                etree.fromstring(etree.tostring(child))
                for child in node.iterchildren("field")
                if child.get("name") in stale
            )
            root = etree.Element("odoo", noupdate="1")
            root.append(reduced)
            importer.parse(root)
            _logger.info("%s: refreshed %s from the data file", xmlid, ", ".join(stale))
        summary[xmlid] = {"refreshed": stale, "kept": kept}
    return summary


def _shipped_records(module, refreshed):
    """``{xmlid: <record> element}`` from the module's data files, for the listed
    records; a listed record outside a noupdate block is a mistake in the list
    (Odoo updates such records itself)."""
    wanted = {xmlid.partition(".")[2]: xmlid for xmlid in refreshed}
    found = {}
    for path in get_manifest(module)["data"]:
        if not path.endswith(".xml"):
            continue
        with file_open(f"{module}/{path}", "rb") as f:
            tree = etree.parse(f)
        for node in tree.getroot().iter("record"):
            rec_id = node.get("id", "")
            xmlid = wanted.get(rec_id) or wanted.get(rec_id.partition(".")[2])
            if not xmlid:
                continue
            blocks = [node.getparent(), *node.getparent().iterancestors()]
            if not any(str2bool(b.get("noupdate", "0")) for b in blocks):
                raise ValueError(f"{xmlid} ({path}) is not noupdate: Odoo updates it on -u")
            found[xmlid] = node
    missing = set(refreshed) - set(found)
    if missing:
        raise ValueError(f"Not in {module}'s data files: {', '.join(sorted(missing))}")
    for xmlid, fields in refreshed.items():
        names = {child.get("name") for child in found[xmlid].iterchildren("field")}
        if set(fields) - names:
            raise ValueError(f"{xmlid} has no field {', '.join(sorted(set(fields) - names))}")
    return found


def _shipped_value(importer, record, node, fname):
    """The value the data file gives ``fname``, as ``_tag_record`` would load it."""
    field = record._fields[fname]
    child = node.find(f"field[@name='{fname}']")
    if field.type == "many2one" and child.get("ref"):
        return importer.id_get(child.get("ref"))
    if field.relational:
        raise NotImplementedError(f"{record._name}.{fname}: relational fields are not refreshed")
    value = _eval_xml(importer, child, importer.env)
    if field.type == "boolean" and isinstance(value, str):
        return str2bool(value)
    if field.type == "integer":
        return int(value)
    if field.type in ("float", "monetary"):
        return float(value)
    return value


def _holds(record, fname, value):
    """Whether ``record`` holds ``value`` in ``fname``, as written or as the ORM
    stores it: an html field holds its sanitized value, yet the data loader stores a
    template body as the XML gives it (the sanitizer would drop its outer <div>); a
    many2one holds the id of the record (an xmlid in ``REFRESHED``)."""
    field = record._fields[fname]
    current = record[fname]
    if field.type == "many2one":
        if isinstance(value, str):
            value = record.env["ir.model.data"]._xmlid_to_res_id(value, raise_if_not_found=False)
        return (current.id or False) == (value or False)
    return _same(current, value) or _same(current, field.convert_to_cache(value, record))


def _same(a, b):
    """Equal values, whitespace in texts aside (a domain re-indented is the same
    domain); empty texts and False are both 'no value'."""

    def norm(value):
        if isinstance(value, str):
            return " ".join(value.split()) or False
        return value if value is not None else False

    return norm(a) == norm(b)
