"""End-to-end: repairs as technicians, supervisors and accountants use them
(P2.4-P2.7, P3.1-P3.6)."""

import pytest

from .client import RPCError, connect


@pytest.fixture(scope="module")
def accountant():
    return connect("accountant", "accountant")


def test_demo_repair_in_warranty_is_free(technician):
    repair_id = technician.ref("aftersales_service.repair_order_onsite_demo")
    repair = technician.call(
        "repair.order",
        "read",
        [repair_id],
        ["aftersales_service_type", "aftersales_service_type_reason", "sla_response_deadline"],
    )[0]
    assert repair["aftersales_service_type"] == "free"
    assert "In warranty until" in repair["aftersales_service_type_reason"]
    assert repair["sla_response_deadline"]


def test_accountant_invoices_the_done_demo_repair_once(accountant):
    repair_id = accountant.ref("aftersales_service.repair_order_workshop_done_demo")
    to_invoice = accountant.call("repair.order", "search", [("aftersales_to_invoice", "=", True)])
    assert repair_id in to_invoice
    accountant.call("repair.order", "action_aftersales_create_invoice", [repair_id])
    invoice = accountant.call("repair.order", "read", [repair_id], ["aftersales_invoice_id"])[0][
        "aftersales_invoice_id"
    ]
    assert invoice
    with pytest.raises(RPCError) as refused:
        accountant.call("repair.order", "action_aftersales_create_invoice", [repair_id])
    assert "already invoiced" in refused.value.message


def test_technician_cannot_create_invoices(technician):
    repair_id = technician.ref("aftersales_service.repair_order_workshop_done_demo")
    with pytest.raises(RPCError) as refused:
        technician.call("repair.order", "action_aftersales_create_invoice", [repair_id])
    assert refused.value.name == "odoo.exceptions.AccessError"


def test_repair_waiting_for_quote_cannot_start(technician):
    repair_id = technician.ref("aftersales_service.repair_order_quote_demo")
    with pytest.raises(RPCError) as refused:
        technician.call("repair.order", "action_repair_start", [repair_id])
    assert "accept the quote" in refused.value.message


def test_repair_views_load(technician):
    result = technician.call(
        "repair.order",
        "get_views",
        views=[[False, "form"], [False, "list"], [False, "search"], [False, "kanban"]],
    )
    assert 'name="aftersales_work"' in result["views"]["form"]["arch"]
