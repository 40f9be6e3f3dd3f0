"""Odoo-free checks: manifests, access rules, XML syntax of Odoo 18, XML ids.

These run without Odoo or PostgreSQL (``./setup/test.sh --static``) and catch
what would break an install before the Odoo layer spends minutes on it.
"""

import csv
import re

import pytest
from lxml import etree

from .addons import (
    ADDONS,
    addon_path,
    data_files_on_disk,
    defined_xmlids,
    manifest,
    manifest_files,
    model_classes,
    model_xmlid,
    odoo_module_xmlids,
    referenced_xmlids,
    view_archs,
    xml_files,
)

ODOO_DEPENDENCIES_ALLOWED = {
    "mail",
    "portal",
    "rating",
    "resource",
    "contacts",
    "account",
    "sale_management",
    "stock",
    "repair",
    "web",
    "aftersales_service",
    "report_xlsx",
}


# ---------------------------------------------------------------- manifests
@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_has_required_keys(addon):
    m = manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", m["version"]), m["version"]
    assert m["license"] == "LGPL-3"
    assert m["installable"] is True
    assert m.get("summary", "").strip()
    assert m.get("author", "").strip()


def test_main_addon_is_an_application():
    assert manifest("aftersales_service")["application"] is True
    assert manifest("aftersales_service_report")["depends"] == ["aftersales_service"] or (
        "aftersales_service" in manifest("aftersales_service_report")["depends"]
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_depends_only_on_allowed_modules(addon):
    extra = set(manifest(addon)["depends"]) - ODOO_DEPENDENCIES_ALLOWED
    assert not extra, f"{addon} depends on modules outside the allowed set: {extra}"


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_lists_existing_files(addon):
    missing = [f for f in manifest_files(addon) if not (addon_path(addon) / f).is_file()]
    assert not missing, f"{addon}/__manifest__.py lists missing files: {missing}"


@pytest.mark.parametrize("addon", ADDONS)
def test_every_data_file_is_in_the_manifest(addon):
    unlisted = set(data_files_on_disk(addon)) - set(manifest_files(addon))
    assert not unlisted, f"{addon} has data files its manifest does not load: {unlisted}"


@pytest.mark.parametrize("addon", ADDONS)
def test_demo_data_lives_in_demo_folder(addon):
    assert all(f.startswith("demo/") for f in manifest(addon).get("demo", []))
    assert not [f for f in manifest(addon).get("data", []) if f.startswith("demo/")]


# ---------------------------------------------------------------- security
@pytest.mark.parametrize("addon", ADDONS)
def test_every_model_has_access_rows(addon):
    csv_path = addon_path(addon) / "security" / "ir.model.access.csv"
    rows = list(csv.DictReader(csv_path.open())) if csv_path.exists() else []
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    needing = {
        name for name, kind in model_classes(addon).items() if kind in ("Model", "TransientModel")
    }
    missing = sorted(n for n in needing if model_xmlid(n) not in covered)
    assert not missing, f"{addon}: models without ACL rows: {missing}"


@pytest.mark.parametrize("addon", ADDONS)
def test_access_rows_name_a_group(addon):
    csv_path = addon_path(addon) / "security" / "ir.model.access.csv"
    if not csv_path.exists():
        pytest.skip("no access file")
    rows = list(csv.DictReader(csv_path.open()))
    public = [r["id"] for r in rows if not r["group_id:id"]]
    assert not public, f"ACL rows open to everybody (no group): {public}"


# ---------------------------------------------------------------- XML syntax
@pytest.mark.parametrize("addon", ADDONS)
def test_xml_files_are_well_formed(addon):
    for path in xml_files(addon):
        etree.parse(str(path))  # raises on malformed XML


FORBIDDEN_IN_VIEWS = {
    "attrs": "use invisible=/readonly=/required= expressions (Odoo 17+)",
    "states": "use invisible=\"state != '...'\" (Odoo 17+)",
}


@pytest.mark.parametrize("addon", ADDONS)
def test_views_use_odoo18_syntax(addon):
    problems = []
    for rel, arch in view_archs(addon):
        for el in arch.iter():
            if not isinstance(el.tag, str):
                continue
            for attr, hint in FORBIDDEN_IN_VIEWS.items():
                if el.get(attr) is not None:
                    problems.append(f"{rel}:{el.sourceline} <{el.tag} {attr}=...>: {hint}")
            if el.tag == "tree":
                problems.append(f"{rel}:{el.sourceline} <tree>: use <list>")
            if "oe_chatter" in (el.get("class") or ""):
                problems.append(f"{rel}:{el.sourceline} div.oe_chatter: use <chatter/>")
            if el.get("t-name") == "kanban-box":
                problems.append(f"{rel}:{el.sourceline} kanban-box: use t-name='card'")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("addon", ADDONS)
def test_crons_use_odoo18_fields(addon):
    problems = []
    for path in xml_files(addon):
        root = etree.parse(str(path)).getroot()
        for record in root.iter("record"):
            if record.get("model") != "ir.cron":
                continue
            for field in record.iter("field"):
                if field.get("name") in ("numbercall", "doall"):
                    problems.append(f"{path.name}: ir.cron field {field.get('name')} is gone in 18")
    assert not problems, problems


@pytest.mark.parametrize("addon", ADDONS)
def test_no_tree_view_mode(addon):
    for path in xml_files(addon):
        text = path.read_text()
        assert not re.search(r"view_mode[^<]*>[^<]*\btree\b", text), f"{path.name}: view_mode tree"


# ---------------------------------------------------------------- XML ids
@pytest.mark.parametrize("addon", ADDONS)
def test_every_referenced_xmlid_exists(addon):
    own = {a: defined_xmlids(a) for a in ADDONS}
    missing = []
    for rel, xmlid in referenced_xmlids(addon):
        module, _, name = xmlid.rpartition(".")
        module = module or addon
        if module in own:
            if name not in own[module]:
                missing.append(f"{rel}: {xmlid}")
            continue
        odoo_ids = odoo_module_xmlids(module)
        if odoo_ids is not None and name not in odoo_ids:
            missing.append(f"{rel}: {xmlid} (not in Odoo's {module})")
    assert not missing, "Unknown XML ids:\n" + "\n".join(missing)


@pytest.mark.parametrize("addon", ADDONS)
def test_demo_xmlids_end_with_demo(addon):
    bad = []
    for f in manifest(addon).get("demo", []):
        root = etree.parse(str(addon_path(addon) / f)).getroot()
        # A qualified id (module.name) updates an existing record: it keeps its name.
        bad.extend(
            r.get("id")
            for r in root.iter("record")
            if "." not in r.get("id") and not r.get("id").endswith("_demo")
        )
    assert not bad, f"demo records whose id does not end with _demo: {bad}"
