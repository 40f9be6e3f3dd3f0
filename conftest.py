"""pytest settings shared by the Odoo layer (pytest-odoo) and the Odoo-free layer."""

import logging


class _TestFrameworkImportNotice(logging.Filter):
    """pytest-odoo imports Odoo's test framework before Odoo's test mode is on (turning
    it on would make Odoo run every module's at_install tests while loading the
    registry); Odoo logs that intended import as an error."""

    def filter(self, record):
        return not record.getMessage().startswith("Importing test framework")


# At import: pytest-odoo imports the framework in pytest_cmdline_main, before any hook
# of this file would run.
logging.getLogger("odoo.tests.common").addFilter(_TestFrameworkImportNotice())
