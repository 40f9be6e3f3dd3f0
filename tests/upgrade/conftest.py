"""The upgrade layer runs ``-u`` on a database that has both addons installed, like a
customer's database on the day a new version of the suite is deployed.

./setup/test.sh sets AFTERSALES_DB (the Odoo layer's database, which this layer
changes: run it last) and AFTERSALES_ODOO_CONF (the configuration the database was
installed with); AFTERSALES_UPGRADE_LOG names the upgrade's log file.
"""

import configparser
import os
import tempfile

import psycopg2
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
        item.add_marker(skip)


def connect():
    """A connection with the settings of the Odoo configuration file, so the test
    reaches the same server whether it is the embedded cluster or the user's."""
    parser = configparser.ConfigParser()
    parser.read(CONF)
    options = parser["options"]
    params = {"dbname": DB}
    for key, option in (
        ("host", "db_host"),
        ("port", "db_port"),
        ("user", "db_user"),
        ("password", "db_password"),
    ):
        value = options.get(option, "False")
        if value not in ("False", ""):
            params[key] = value
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn
