"""Every noupdate record changed since the last release is listed for refresh
(issue 13). Odoo-free: ./setup/test.sh runs it with the static layer.

A database installed at the released version keeps its noupdate records through
``-u``; only the migrations' ``REFRESHED`` lists bring a changed field up to date
(``aftersales_service/migrations/18.0.1.1.0/post-migration.py`` explains how to add
one).
"""

import json

from lxml import etree

from .noupdate_released import (
    RELEASED,
    field_fingerprint,
    listed_fingerprints,
    noupdate_records,
    refreshed_lists,
    value_fingerprint,
)


def _version(text):
    return tuple(int(part) for part in text.split("."))


def _released():
    return json.loads(RELEASED.read_text())


def _listed_since(released_version):
    """``{xmlid: {field: [previous values]}}`` of the migrations after the release."""
    listed = {}
    for _addon, version, refreshed in refreshed_lists():
        if _version(version) > _version(released_version):
            for xmlid, fields in refreshed.items():
                for fname, values in fields.items():
                    listed.setdefault(xmlid, {}).setdefault(fname, []).extend(values)
    return listed


def test_changed_noupdate_fields_are_listed_for_refresh():
    released = _released()
    listed = _listed_since(released["version"])
    current = noupdate_records()
    problems = []
    for xmlid, old_fields in sorted(released["records"].items()):
        if xmlid not in current:
            problems.append(
                f"{xmlid} left the noupdate data: existing databases keep it "
                "(delete or archive it in a migration, or keep it in the XML)"
            )
            continue
        for fname in sorted(set(old_fields) | set(current[xmlid])):
            if old_fields.get(fname) == current[xmlid].get(fname):
                continue
            if fname not in listed.get(xmlid, {}):
                problems.append(
                    f"{xmlid}: {fname} changed since {released['version']}; add it to "
                    "REFRESHED in the release's post-migration (see its docstring)"
                )
            elif fname in old_fields and old_fields[fname] not in {
                fp for v in listed[xmlid][fname] for fp in listed_fingerprints(v)
            }:
                problems.append(
                    f"{xmlid}: the REFRESHED values of {fname} miss the one "
                    f"{released['version']} shipped"
                )
    assert problems == []


def test_listed_records_are_noupdate_fields_of_the_data():
    current = noupdate_records()
    problems = [
        f"{xmlid}: {fname}"
        for _addon, _version, refreshed in refreshed_lists()
        for xmlid, fields in refreshed.items()
        for fname in fields
        if fname not in current.get(xmlid, {})
    ]
    assert problems == []


def test_fingerprints_of_values_and_xml_agree():
    """A listed previous value is recognised as the XML text or literal that shipped it."""

    def field(xml):
        return field_fingerprint(etree.fromstring(xml))

    assert field('<field name="a" eval="True"/>') == value_fingerprint(True)
    assert field('<field name="a" eval="5"/>') == value_fingerprint(5)
    assert field('<field name="a">[(1, "=", 1)]\n  </field>') == value_fingerprint('[(1, "=", 1)]')
    assert field('<field name="a" eval="[(4, ref(\'x\'))]"/>') != value_fingerprint("[]")
    assert field('<field name="a" ref="base.model_res_partner"/>') in listed_fingerprints(
        "base.model_res_partner"
    )
