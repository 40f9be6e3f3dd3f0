"""End-to-end: a return for refund from request to posted credit note (P5), and the
exchange voucher (P4), through the web client's RPC."""

import pytest

from .client import RPCError, connect


@pytest.fixture(scope="module")
def accountant():
    return connect("accountant", "accountant")


def read(client, rma_id, *fnames):
    return client.call("aftersales.rma", "read", [rma_id], list(fnames))[0]


def through_dialog(client, rma_id, button, values):
    """As the web client does: the form's button returns the dialog's action, the
    dialog is saved with that action's context, then its button is called."""
    action = client.call("aftersales.rma", button, [rma_id])
    model, context = action["res_model"], action["context"]
    saved = client.call(model, "web_save", [], values, specification={}, context=context)
    return client.call(model, "action_confirm", [saved[0]["id"]], context=context)


def test_refund_from_request_to_posted_credit_note(technician, accountant):
    rma_id = technician.ref("aftersales_service.aftersales_rma_refund_demo")
    technician.call("aftersales.rma", "action_confirm", [rma_id])
    technician.call("aftersales.rma", "action_create_return_transfer", [rma_id])
    picking_id = read(technician, rma_id, "return_picking_id")["return_picking_id"][0]
    moves = technician.call("stock.move", "search", [("picking_id", "=", picking_id)])
    technician.call("stock.move", "write", moves, {"quantity": 1, "picked": True})
    technician.call("stock.picking", "button_validate", [picking_id])
    assert read(technician, rma_id, "state")["state"] == "received"
    through_dialog(technician, rma_id, "action_inspection_passed", {"note": "As new"})
    assert read(technician, rma_id, "inspection_result")["inspection_result"] == "passed"
    technician.call("aftersales.rma", "action_create_credit_note", [rma_id])
    credit_note = read(technician, rma_id, "refund_move_id")["refund_move_id"][0]
    with pytest.raises(RPCError) as refused:
        technician.call("account.move", "action_post", [credit_note])
    assert refused.value.name == "odoo.exceptions.AccessError"
    accountant.call("account.move", "action_post", [credit_note])
    posted = accountant.call("account.move", "read", [credit_note], ["state", "move_type"])[0]
    assert (posted["state"], posted["move_type"]) == ("posted", "out_refund")


def test_exchange_voucher_has_a_validity_date(technician):
    rma_id = technician.ref("aftersales_service.aftersales_rma_exchange_demo")
    rma = read(technician, rma_id, "state", "voucher_valid_until", "voucher_expired")
    assert rma["state"] == "voucher"
    assert rma["voucher_valid_until"] and not rma["voucher_expired"]


def test_rma_views_load(technician):
    result = technician.call(
        "aftersales.rma",
        "get_views",
        views=[[False, "list"], [False, "kanban"], [False, "form"], [False, "search"]],
    )
    assert set(result["views"]) == {"list", "kanban", "form", "search"}


def test_rma_steps_that_take_parameters_are_not_callable_over_rpc(technician):
    """Issue 15: the steps that need data go through their dialogs; the methods
    behind them are private, so a client cannot call them with made-up values."""
    rma_id = technician.ref("aftersales_service.aftersales_rma_exchange_demo")
    with pytest.raises(RPCError) as refused:
        technician.call("aftersales.rma", "_aftersales_cancel", [rma_id], "By RPC")
    assert refused.value.name == "odoo.exceptions.AccessError"
    assert read(technician, rma_id, "state")["state"] == "voucher"
