"""Issue 17: the Chinese catalogues of both addons are complete and usable.

For each addon and each of zh_CN, zh_TW: the ``.po`` parses; every message of the
addon's ``.pot`` (exported by Odoo, ``./setup/i18n.sh``) has a translation that is
neither empty nor fuzzy; a translation keeps the placeholders (``%s``, ``%(name)s``,
``{{ ... }}``, ``{name}``) and the HTML/QWeb tags of its message, since Odoo fills
the former in and drops a translated term whose markup does not match. Whether the
``.pot`` itself is current is checked with Odoo, which exports it
(``aftersales_service/tests/test_translations_current.py``).
"""

import ast
import collections
import re

import polib
import pytest

from .addons import ADDONS, addon_path

LANGS = ("zh_CN", "zh_TW")
CATALOGUES = [(addon, lang) for addon in ADDONS for lang in LANGS]
FIX = "run ./setup/i18n.sh and translate the empty messages of"

JINJA = re.compile(r"\{\{.*?\}\}", re.S)
PYTHON_FORMAT = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[sdifr]")
BRACE_FORMAT = re.compile(r"(?<!\{)\{[A-Za-z_][\w.]*\}(?!\})")
TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*?)?/?>", re.S)


def pot(addon):
    return polib.pofile(str(addon_path(addon) / "i18n" / f"{addon}.pot"))


def po(addon, lang):
    path = addon_path(addon) / "i18n" / f"{lang}.po"
    assert path.is_file(), f"{path.relative_to(addon_path(addon).parent)} is missing: {FIX} it"
    return polib.pofile(str(path))


# Odoo translates these attributes inside a term (odoo/tools/translate.py,
# TRANSLATED_ATTRS): their values may differ, the rest of the tag may not.
TRANSLATED_ATTR = re.compile(
    r"\b((?:t-attf-)?(?:string|help|confirm|placeholder|alt|title|aria-[a-z]+|label"
    r'|data-tooltip|value_label|add-label))="[^"]*"'
)


def placeholders(text, python_format=True):
    """The placeholders and tags of ``text``, as a multiset (order may change).
    ``%`` placeholders count only in messages of Python code: elsewhere "50 %" is
    plain text."""
    found = [" ".join(m.split()) for m in JINJA.findall(text)]
    rest = JINJA.sub("", text)
    if python_format:
        found += PYTHON_FORMAT.findall(rest.replace("%%", ""))
    found += BRACE_FORMAT.findall(rest)
    found += [" ".join(TRANSLATED_ATTR.sub(r'\1="…"', m).split()) for m in TAG.findall(rest)]
    return collections.Counter(found)


def from_code(entry):
    return any(path.startswith("code:") for path, _line in entry.occurrences) or (
        "odoo-python" in (entry.comment or "")
    )


def translated(catalogue):
    return {e.msgid: e for e in catalogue if e.msgid and not e.obsolete}


@pytest.mark.parametrize("addon", ADDONS)
def test_pot_exists_and_parses(addon):
    assert len(pot(addon)) > 0


@pytest.mark.parametrize(("addon", "lang"), CATALOGUES)
def test_po_parses_and_names_its_language(addon, lang):
    catalogue = po(addon, lang)
    assert catalogue.metadata.get("Language") == lang
    assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")


@pytest.mark.parametrize(("addon", "lang"), CATALOGUES)
def test_every_message_is_translated(addon, lang):
    entries = translated(po(addon, lang))
    missing = []
    for message in pot(addon):
        entry = entries.get(message.msgid)
        if entry is None or not entry.msgstr.strip() or "fuzzy" in entry.flags:
            missing.append(message.msgid)
    assert not missing, (
        f"{addon}/i18n/{lang}.po lacks {len(missing)} of {len(pot(addon))} translations "
        f"({FIX} it), e.g.:\n" + "\n".join(repr(m[:120]) for m in missing[:20])
    )


@pytest.mark.parametrize(("addon", "lang"), CATALOGUES)
def test_translations_keep_placeholders_and_tags(addon, lang):
    wrong = []
    for entry in translated(po(addon, lang)).values():
        python_format = from_code(entry)
        expected = placeholders(entry.msgid, python_format)
        found = placeholders(entry.msgstr, python_format)
        if entry.msgstr and expected != found:
            wrong.append(
                f"{entry.msgid[:80]!r}: {sorted(expected.elements())} != {sorted(found.elements())}"
            )
    assert not wrong, f"{addon}/i18n/{lang}.po:\n" + "\n".join(wrong)


@pytest.mark.parametrize(("addon", "lang"), CATALOGUES)
def test_translated_report_file_names_stay_python(addon, lang):
    """A report's file name (``print_report_name``) is a Python expression that Odoo
    evaluates: its translation translates the quoted words only."""

    def names(expression):
        return sorted(
            n.id for n in ast.walk(ast.parse(expression, mode="eval")) if isinstance(n, ast.Name)
        )

    wrong = []
    for entry in translated(po(addon, lang)).values():
        if entry.msgstr and any("print_report_name" in o for o, _line in entry.occurrences):
            try:
                if names(entry.msgstr) != names(entry.msgid):
                    wrong.append(f"{entry.msgstr!r}: other names than {entry.msgid!r}")
            except SyntaxError as exc:
                wrong.append(f"{entry.msgstr!r}: {exc}")
    assert not wrong, f"{addon}/i18n/{lang}.po:\n" + "\n".join(wrong)


# Common characters that exist in Simplified script only (their Traditional forms:
# 們這說務單戶費質報間維換貨發證檢驗設備時開關對應過還個請聯絡號碼無條處點擊).
SIMPLIFIED_ONLY = re.compile(
    "[们这说务单户费质报间维换货发证检验设备时开关对应过还个请联络号码无条处点击]"
)


@pytest.mark.parametrize("addon", ADDONS)
def test_traditional_catalogue_has_no_simplified_characters(addon):
    """zh_TW is written in Traditional characters, not the zh_CN text."""
    wrong = [
        f"{e.msgid[:60]!r}: {e.msgstr[:60]!r}"
        for e in translated(po(addon, "zh_TW")).values()
        if SIMPLIFIED_ONLY.search(e.msgstr)
    ]
    assert not wrong, f"{addon}/i18n/zh_TW.po has Simplified characters:\n" + "\n".join(wrong[:20])
