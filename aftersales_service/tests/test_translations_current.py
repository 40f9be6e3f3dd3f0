"""Issue 17: the committed ``.pot`` of each addon is what Odoo exports from the code
and data installed here, so that a new English string without a translation makes
the Odoo-free completeness check (``tests/static/test_translations.py``) fail."""

import io

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

ADDONS = ("aftersales_service", "aftersales_service_report")
COMMAND = "./setup/i18n.sh"


@tagged("post_install", "-at_install", "aftersales")
class TestTranslationTemplatesCurrent(TransactionCase):
    def exported_msgids(self, addon):
        """The messages Odoo's exporter (``--i18n-export``) finds for ``addon``."""
        with io.BytesIO() as buffer:
            trans_export(None, [addon], buffer, "po", self.env.cr)
            return {e.msgid for e in polib.pofile(buffer.getvalue().decode()) if e.msgid}

    def committed_msgids(self, addon):
        path = f"{get_module_path(addon)}/i18n/{addon}.pot"
        return {e.msgid for e in polib.pofile(path) if e.msgid}

    def assert_pot_current(self, addon):
        if not self.env["ir.module.module"]._get(addon).state == "installed":
            self.skipTest(f"{addon} is not installed")
        exported, committed = self.exported_msgids(addon), self.committed_msgids(addon)
        missing, extra = sorted(exported - committed), sorted(committed - exported)
        self.assertFalse(
            missing or extra,
            f"{addon}/i18n/{addon}.pot is out of date: run {COMMAND} and translate the new "
            f"messages in zh_CN.po and zh_TW.po.\n"
            f"Missing from the .pot ({len(missing)}):\n"
            + "\n".join(repr(m[:120]) for m in missing)
            + f"\nIn the .pot but no longer in the code ({len(extra)}):\n"
            + "\n".join(repr(m[:120]) for m in extra),
        )

    def test_aftersales_service_pot_is_current(self):
        self.assert_pot_current("aftersales_service")

    def test_aftersales_service_report_pot_is_current(self):
        self.assert_pot_current("aftersales_service_report")
