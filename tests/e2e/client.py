"""A minimal JSON-RPC client of a running Odoo server, as the web client talks to it."""

import functools
import itertools
import os

import requests

#: Set by ./setup/test.sh, which starts the server.
URL = os.environ.get("AFTERSALES_URL")
DB = os.environ.get("AFTERSALES_DB")


class RPCError(Exception):
    def __init__(self, error):
        data = error.get("data", {})
        self.name = data.get("name", "")
        self.message = data.get("message", error.get("message", ""))
        super().__init__(f"{self.name}: {self.message}")


class OdooClient:
    def __init__(self, url, db):
        self.url = url.rstrip("/")
        self.db = db
        self.session = requests.Session()
        self._ids = itertools.count(1)

    def _jsonrpc(self, path, params):
        response = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params},
            timeout=120,
        )
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            raise RPCError(payload["error"])
        return payload["result"]

    def login(self, login, password):
        result = self._jsonrpc(
            "/web/session/authenticate", {"db": self.db, "login": login, "password": password}
        )
        self.uid = result["uid"]
        return result

    def call(self, model, method, *args, **kwargs):
        return self._jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def ref(self, xmlid):
        """Database id of ``xmlid`` (looked up as admin: XML ids are technical data)."""
        return xmlid_to_id(xmlid)


def connect(login, password):
    """A client logged in to the test server as ``login``."""
    client = OdooClient(URL, DB)
    client.login(login, password)
    return client


@functools.cache
def xmlid_to_id(xmlid):
    module, name = xmlid.split(".")
    rows = connect("admin", "admin").call(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    assert rows, f"no XML id {xmlid}"
    return rows[0]["res_id"]
