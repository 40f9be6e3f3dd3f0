"""The upgrade layer runs ``-u`` on a database that has both addons installed, like a
customer's database on the day a new version of the suite is deployed.

./setup/test.sh sets AFTERSALES_DB (the Odoo layer's database, which this layer
changes: run it last) and AFTERSALES_ODOO_CONF (the configuration the database was
installed with); AFTERSALES_UPGRADE_LOG names the upgrade's log file. Without them
only the Odoo-free checks of this folder run.
"""

import os
import tempfile

import pytest

DB = os.environ.get("AFTERSALES_DB")
CONF = os.environ.get("AFTERSALES_ODOO_CONF")
LOG = os.environ.get("AFTERSALES_UPGRADE_LOG") or os.path.join(
    tempfile.gettempdir(), "aftersales-upgrade.log"
)


def pytest_collection_modifyitems(config, items):
    if DB and CONF:
        return
    skip = pytest.mark.skip(
        reason="no database: run ./setup/test.sh (sets AFTERSALES_DB/AFTERSALES_ODOO_CONF)"
    )
    for item in items:
        if "upgrade" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)
