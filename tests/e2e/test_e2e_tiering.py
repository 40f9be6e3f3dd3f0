"""End-to-end: the demo database as the web client sees it (P1.1-P1.4, P10.2)."""

import pytest
import requests

from .client import URL, RPCError, connect


def tier_code(client, partner_xmlid):
    partner = client.call(
        "res.partner", "read", [client.ref(partner_xmlid)], ["aftersales_tier_id"]
    )[0]
    tier = client.call("aftersales.tier", "read", [partner["aftersales_tier_id"][0]], ["code"])
    return tier[0]["code"]


def test_server_is_healthy():
    assert requests.get(f"{URL}/web/health", timeout=10).json()["status"] == "pass"


@pytest.mark.parametrize("login", ["admin", "manager", "tech", "supervisor"])
def test_demo_roles_can_log_in(login):
    password = "admin" if login == "admin" else login
    assert connect(login, password).uid


def test_demo_customers_are_graded_by_their_invoices(manager):
    """P1.2: the demo's largest customer is in the top 10 % (Strategic)."""
    assert tier_code(manager, "aftersales_service.res_partner_huaxin_demo") == "STRAT"
    assert tier_code(manager, "aftersales_service.res_partner_tianfu_demo") == "STD"


def test_pinned_demo_customer_keeps_its_tier_after_recompute(manager):
    manager.call("aftersales.tier", "action_recompute_tiers", [])
    assert tier_code(manager, "aftersales_service.res_partner_jinling_demo") == "GOLD"


def test_manager_recompute_button_returns_a_notification(manager):
    action = manager.call("aftersales.tier", "action_recompute_tiers", [])
    assert action["tag"] == "display_notification"
    assert "customers graded" in action["params"]["message"]


def test_technician_cannot_pin_a_tier(technician):
    partner_id = technician.ref("aftersales_service.res_partner_xihu_demo")
    with pytest.raises(RPCError) as refused:
        technician.call("res.partner", "write", [partner_id], {"aftersales_tier_pinned": True})
    assert refused.value.name == "odoo.exceptions.AccessError"
    assert "Only members of “After-Sales / Manager”" in refused.value.message


def test_technician_cannot_edit_tier_definitions(technician):
    tier_id = technician.ref("aftersales_service.aftersales_tier_gold_demo")
    with pytest.raises(RPCError) as refused:
        technician.call("aftersales.tier", "write", [tier_id], {"min_invoiced_amount": 1})
    assert refused.value.name == "odoo.exceptions.AccessError"


def test_negative_threshold_is_refused_with_a_clear_message(manager):
    with pytest.raises(RPCError) as refused:
        manager.call(
            "aftersales.tier", "create", {"name": "Bad", "code": "BAD", "min_order_count": -1}
        )
    assert refused.value.name == "odoo.exceptions.ValidationError"
    assert "cannot be negative" in refused.value.message
    assert not manager.call("aftersales.tier", "search", [("code", "=", "BAD")])


@pytest.mark.parametrize(
    "model, views",
    [
        ("res.partner", [[False, "form"], [False, "list"], [False, "search"]]),
        ("aftersales.tier", [[False, "form"], [False, "list"], [False, "search"]]),
    ],
)
def test_views_load_for_the_manager(manager, model, views):
    result = manager.call(model, "get_views", views=views)
    assert set(result["views"]) == {view_type for _id, view_type in views}


def test_settings_page_has_the_after_sales_section(admin):
    arch = admin.call("res.config.settings", "get_views", views=[[False, "form"]])
    assert 'name="aftersales_service"' in arch["views"]["form"]["arch"]


def test_partner_form_shows_the_after_sales_tab(technician):
    arch = technician.call("res.partner", "get_views", views=[[False, "form"]])["views"]["form"]
    assert 'name="aftersales"' in arch["arch"]


def test_partner_search_groups_by_tier_and_lifecycle(manager):
    groups = manager.call(
        "res.partner",
        "web_read_group",
        [("aftersales_tier_id", "!=", False)],
        fields=["aftersales_tier_id"],
        groupby=["aftersales_tier_id"],
    )
    assert {g["aftersales_tier_id"][1] for g in groups["groups"]} >= {"Strategic", "Gold"}
    stages = manager.call(
        "res.partner",
        "web_read_group",
        [("aftersales_lifecycle_stage", "!=", False)],
        fields=["aftersales_lifecycle_stage"],
        groupby=["aftersales_lifecycle_stage"],
    )
    assert {g["aftersales_lifecycle_stage"] for g in stages["groups"]} >= {"new", "churn_risk"}
