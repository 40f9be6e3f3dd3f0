"""Fingerprints of the addons' ``noupdate`` records as the last released version
ships them, so that a changed record nobody listed for refresh is caught before it
reaches a database that keeps the old definition (issue 13).

``noupdate_released.json`` holds one hash per field of every record of the noupdate
blocks of the addons' data files (demo data aside). When a version is released,
record its definitions::

    python3 tests/upgrade/noupdate_released.py 18.0.1.1.0

Odoo-free: reads the repository with lxml only.
"""

import ast
import hashlib
import json
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ("aftersales_service", "aftersales_service_report")
RELEASED = Path(__file__).with_name("noupdate_released.json")


def _digest(text):
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:16]


def field_fingerprint(node):
    """One hash for what a ``<field>`` loads, equal to ``value_fingerprint`` of the
    Python value when the field is a plain text or a literal ``eval``."""
    if node.get("eval") is not None:
        try:
            return value_fingerprint(ast.literal_eval(node.get("eval")))
        except (ValueError, SyntaxError):
            return _digest("eval:" + node.get("eval"))
    if node.get("ref") is not None:
        return _digest("ref:" + node.get("ref"))
    if node.get("search") is not None:
        return _digest("search:" + node.get("search"))
    if len(node):
        return _digest("".join(etree.tostring(child, encoding="unicode") for child in node))
    return _digest(node.text or "")


def value_fingerprint(value):
    return _digest(value if isinstance(value, str) else repr(value))


def listed_fingerprints(value):
    """What a value listed in ``REFRESHED`` may have shipped as: the text or literal,
    or, for a many2one, a ``ref`` to the xmlid it names."""
    found = {value_fingerprint(value)}
    if isinstance(value, str):
        found.add(_digest("ref:" + value))
    return found


def noupdate_records():
    """``{xmlid: {field: fingerprint}}`` of the records in noupdate blocks of the
    addons' manifest ``data`` files."""
    records = {}
    for addon in ADDONS:
        manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
        for path in manifest.get("data", []):
            if not path.endswith(".xml"):
                continue
            tree = etree.parse(str(ROOT / addon / path))
            for node in tree.getroot().iter("record"):
                rec_id = node.get("id")
                blocks = [node.getparent(), *node.getparent().iterancestors()]
                if not rec_id or not any(
                    b.get("noupdate", "0") in ("1", "True", "true") for b in blocks
                ):
                    continue
                xmlid = rec_id if "." in rec_id else f"{addon}.{rec_id}"
                records[xmlid] = {
                    child.get("name"): field_fingerprint(child)
                    for child in node.iterchildren("field")
                }
    return records


def refreshed_lists():
    """``[(addon, version, REFRESHED)]`` of every post-migration, read without
    importing it (the scripts import Odoo)."""
    found = []
    for addon in ADDONS:
        for path in (ROOT / addon / "migrations").glob("*/post-migration.py"):
            for stmt in ast.parse(path.read_text()).body:
                if isinstance(stmt, ast.Assign) and any(
                    getattr(t, "id", None) == "REFRESHED" for t in stmt.targets
                ):
                    found.append((addon, path.parent.name, ast.literal_eval(stmt.value)))
    return found


def main(version):
    RELEASED.write_text(
        json.dumps({"version": version, "records": noupdate_records()}, indent=1, sort_keys=True)
        + "\n"
    )


if __name__ == "__main__":
    main(sys.argv[1])
