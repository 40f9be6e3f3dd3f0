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


SERVER_TAG = "aftersales_server"


def pytest_collection_modifyitems(config, items):
    """Each Odoo test runs once in CI. The classes tagged ``aftersales_server`` (the
    browser tours and HTTP routes, which need Odoo's own test server, and the class
    that commits real transactions) run under Odoo's test runner (setup/test.sh selects
    them by that tag); pytest-odoo runs all the others. An HttpCase without the tag
    would run under neither, so it stops the run."""
    # Imported here: the Odoo-free layer runs without Odoo.
    try:
        from odoo.tests import HttpCase  # noqa: PLC0415
    except ImportError:
        return
    kept, deselected, untagged = [], [], set()
    for item in items:
        cls = getattr(item, "cls", None)
        tags = getattr(cls, "test_tags", None) or set()
        if cls is not None and SERVER_TAG in tags:
            deselected.append(item)
            continue
        if cls is not None and issubclass(cls, HttpCase):
            untagged.add(f"{cls.__module__}.{cls.__name__}")
        kept.append(item)
    if untagged:
        raise RuntimeError(
            f"Tag these HttpCase classes {SERVER_TAG!r} so that Odoo's test runner runs "
            f"them: {', '.join(sorted(untagged))}"
        )
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
