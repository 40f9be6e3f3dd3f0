"""What the Odoo-free checks know of the addons: files, manifests, XML ids.

Reads the repository only; Odoo's source is used when importable to check
references into Odoo's own modules.
"""

import ast
import csv
import functools
import importlib.util
import re
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ("aftersales_service", "aftersales_service_report")
DATA_FOLDERS = ("data", "demo", "report", "security", "views", "wizard")

EVAL_REF = re.compile(r"""\bref\(\s*['"]([\w.]+)['"]\s*\)""")
ACTION_REF = re.compile(r"%\(([\w.]+)\)d")
MODEL_NAME = re.compile(r"""^\s*_name\s*=\s*['"]([\w.]+)['"]""", re.M)


def addon_path(addon):
    return ROOT / addon


@functools.cache
def manifest(addon):
    return ast.literal_eval((addon_path(addon) / "__manifest__.py").read_text())


def manifest_files(addon):
    m = manifest(addon)
    return list(m.get("data", [])) + list(m.get("demo", []))


def data_files_on_disk(addon):
    base = addon_path(addon)
    return sorted(
        str(p.relative_to(base))
        for folder in DATA_FOLDERS
        for p in (base / folder).rglob("*")
        if p.suffix in (".xml", ".csv")
    )


def xml_files(addon):
    return sorted(addon_path(addon).rglob("*.xml"))


def python_files(addon):
    return sorted(p for p in addon_path(addon).rglob("*.py") if "tests" not in p.parts)


def model_classes(addon):
    """``{model_name: kind}`` of the models the addon defines (``_name``)."""
    found = {}
    for path in python_files(addon):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            kind = next(
                (
                    b.attr
                    for b in node.bases
                    if isinstance(b, ast.Attribute)
                    and b.attr in ("Model", "TransientModel", "AbstractModel")
                ),
                None,
            )
            names, inherits = [], set()
            for stmt in node.body:
                if not (kind and isinstance(stmt, ast.Assign)):
                    continue
                targets = {getattr(t, "id", None) for t in stmt.targets}
                if "_name" in targets and isinstance(stmt.value, ast.Constant):
                    names.append(stmt.value.value)
                if "_inherit" in targets:
                    values = stmt.value.elts if isinstance(stmt.value, ast.List) else [stmt.value]
                    inherits |= {v.value for v in values if isinstance(v, ast.Constant)}
            # ``_name`` repeated in ``_inherit`` extends another addon's model.
            found.update((name, kind) for name in names if name not in inherits)
    return found


def model_xmlid(model_name):
    return "model_" + model_name.replace(".", "_")


def defined_xmlids(addon):
    """XML ids the addon defines: records, templates, menus, CSV ids, model ids."""
    ids = {model_xmlid(name) for name in model_classes(addon)}
    for path in xml_files(addon):
        root = etree.parse(str(path)).getroot()
        for el in root.iter():
            if el.tag in ("record", "template", "menuitem") and el.get("id"):
                ids.add(el.get("id").split(".")[-1])
    for path in addon_path(addon).rglob("*.csv"):
        with path.open() as fh:
            ids.update(row["id"] for row in csv.DictReader(fh))
    return ids


def referenced_xmlids(addon):
    """``[(file, xmlid)]`` for every XML id the addon's XML files refer to."""
    refs = []
    for path in xml_files(addon):
        rel = str(path.relative_to(ROOT))
        root = etree.parse(str(path)).getroot()
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            found = []
            if el.get("ref"):
                found.append(el.get("ref"))
            if el.tag == "template" and el.get("inherit_id"):
                found.append(el.get("inherit_id"))
            if el.tag == "menuitem":
                found.extend(el.get(a) for a in ("parent", "action") if el.get(a))
            found.extend(g.strip().lstrip("!") for g in (el.get("groups") or "").split(","))
            for attr in ("eval", "name", "context"):
                value = el.get(attr) or ""
                found.extend(EVAL_REF.findall(value) + ACTION_REF.findall(value))
            refs.extend((rel, x) for x in found if x)
    return refs


@functools.cache
def odoo_addons_dir():
    spec = importlib.util.find_spec("odoo")
    if not spec or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "addons"
    return path if path.is_dir() else None


@functools.cache
def odoo_module_xmlids(module):
    """XML ids defined by one of Odoo's own modules, or None without Odoo's source."""
    base = odoo_addons_dir()
    if base is None or not (base / module).is_dir():
        return None
    ids = set()
    id_attr = re.compile(r"""\bid=["']([\w.]+)["']""")
    for path in (base / module).rglob("*.xml"):
        ids.update(x.split(".")[-1] for x in id_attr.findall(path.read_text(errors="ignore")))
    for path in (base / module).rglob("*.csv"):
        first = path.read_text(errors="ignore").splitlines()[:1]
        if first and first[0].startswith("id,"):
            with path.open(errors="ignore") as fh:
                ids.update(row["id"] for row in csv.DictReader(fh) if row.get("id"))
    for path in (base / module).rglob("*.py"):
        ids.update(model_xmlid(m) for m in MODEL_NAME.findall(path.read_text(errors="ignore")))
    return ids


def view_archs(addon):
    """``[(file, arch element)]`` of every view arch and QWeb template of the addon."""
    found = []
    for path in xml_files(addon):
        rel = str(path.relative_to(ROOT))
        root = etree.parse(str(path)).getroot()
        for record in root.iter("record"):
            if record.get("model") == "ir.ui.view":
                for field in record.iter("field"):
                    if field.get("name") == "arch":
                        found.append((rel, field))
        found.extend((rel, t) for t in root.iter("template"))
    return found
