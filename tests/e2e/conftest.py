"""End-to-end tests drive a running server; ./setup/test.sh starts one and sets
AFTERSALES_URL and AFTERSALES_DB."""

import pytest

from .client import DB, URL, connect


def pytest_collection_modifyitems(config, items):
    if URL and DB:
        return
    skip = pytest.mark.skip(reason="no server: run ./setup/test.sh (sets AFTERSALES_URL/DB)")
    for item in items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def admin():
    return connect("admin", "admin")


@pytest.fixture(scope="session")
def manager():
    return connect("manager", "manager")


@pytest.fixture(scope="session")
def technician():
    return connect("tech", "tech")


@pytest.fixture(scope="session")
def supervisor():
    return connect("supervisor", "supervisor")
