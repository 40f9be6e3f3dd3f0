"""Every policy ID the repository cites is defined in ``doc/POLICY.md`` (issue 19).

Docstrings, tests and the READMEs cite the business rules by ID (P2.4, P6.3 …);
a maintainer must be able to look each one up in the repository.
"""

import os
import re
from pathlib import Path

from .addons import ROOT

CATALOGUE = ROOT / "doc" / "POLICY.md"
CITED = re.compile(r"\bP(\d+)\.(\d+)\b")
# An ID is defined where its rule starts: "**P2.4 Service type.** ...".
DEFINED = re.compile(r"^\*\*P(\d+)\.(\d+) ", re.M)
SUFFIXES = {".py", ".js", ".xml", ".md", ".csv", ".po", ".pot", ".sh", ".scss", ".txt"}
SKIPPED_DIRS = {".git", ".local", ".venv", "node_modules", "__pycache__"}


def _sources():
    """The repository's text files; hidden folders (.git, .local with the database
    cluster, .venv) are not walked into."""
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if (path.suffix in SUFFIXES or name == "run") and path != CATALOGUE:
                yield path


def _defined():
    return [f"P{a}.{b}" for a, b in DEFINED.findall(CATALOGUE.read_text(encoding="utf-8"))]


def test_every_cited_policy_id_is_defined():
    defined = set(_defined())
    missing = {}
    for path in _sources():
        text = path.read_text(encoding="utf-8", errors="ignore")
        for a, b in CITED.findall(text):
            pid = f"P{a}.{b}"
            if pid not in defined:
                missing.setdefault(pid, str(path.relative_to(ROOT)))
    assert missing == {}, f"policy IDs cited but not defined in doc/POLICY.md: {missing}"


def test_catalogue_defines_each_id_once_in_order():
    ids = _defined()
    assert ids, "doc/POLICY.md defines no policy ID"
    assert len(ids) == len(set(ids)), "an ID is defined twice in doc/POLICY.md"

    def key(pid):
        return tuple(int(n) for n in pid[1:].split("."))

    assert ids == sorted(ids, key=key), "doc/POLICY.md lists the IDs out of order"


def test_the_check_sees_the_code():
    """The scan reads the addons' code, not just the documentation."""
    scanned = {str(p.relative_to(ROOT)) for p in _sources()}
    assert "aftersales_service/models/aftersales_tier.py" in scanned
    assert "README.md" in scanned
