"""One builder for the grouped lookups of the service-type decision (P2.4).

A lookup takes a batch of *probes* (``NamedTuple`` questions such as "when did this
product reach this customer, in this company?") and answers them all with one
query: the probes become the table ``p`` of that query. Raw SQL does not go
through record rules, so every probe names its company and every query joins
its business rows with ``same_company``: another company's deliveries, invoices,
contracts or repairs never answer a probe.
"""

from odoo.tools import SQL

# How each probe field travels to PostgreSQL: "id" is a record id (False -> NULL),
# "int" a number kept as it is (0 included), "date" and "bool" as such.
_ARRAY_TYPES = {"id": "int[]", "int": "int[]", "date": "date[]", "bool": "bool[]"}


def probe_table(probes, types=None):
    """``unnest(...) AS p(<fields>)`` for ``probes`` (a non-empty list of one kind of
    ``NamedTuple`` with a ``company_id`` field). ``types`` maps a field to one of
    ``id`` (the default), ``int``, ``date`` and ``bool``."""
    fields = probes[0]._fields
    if "company_id" not in fields:
        raise ValueError("A probe names its company: raw SQL carries the company rule.")
    types = types or {}
    arrays = []
    for name, values in zip(fields, zip(*probes, strict=True), strict=True):
        kind = types.get(name, "id")
        if kind == "id":
            values = [value or None for value in values]
        arrays.append(SQL("%s::" + _ARRAY_TYPES[kind], list(values)))
    return SQL(
        "unnest(%s) AS p(%s)",
        SQL(", ").join(arrays),
        SQL(", ").join(SQL.identifier(name) for name in fields),
    )


def same_company(alias):
    """``<alias>.company_id = p.company_id``: the rows of the probe's own company."""
    return SQL("%s.company_id = p.company_id", SQL.identifier(alias))
