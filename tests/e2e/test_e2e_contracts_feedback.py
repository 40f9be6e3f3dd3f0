"""End-to-end: renewing a maintenance contract into its quotation (P7.3), a customer
answering the feedback link without login (P8.1, P8.2), and the callback planner
(P1.5), through a running server."""

import re

import requests

from .client import URL


def test_renewal_quotation_confirmed_renews_the_contract(admin):
    contract_id = admin.ref("aftersales_service.aftersales_contract_jingcheng_demo")
    action = admin.call("aftersales.contract", "action_renew", [contract_id])
    assert action["res_model"] == "sale.order"
    admin.call("sale.order", "action_confirm", [action["res_id"]])
    (old,) = admin.call("aftersales.contract", "read", [contract_id], ["state", "next_contract_id"])
    assert old["state"] == "renewed"
    successor = admin.call("aftersales.contract", "read", [old["next_contract_id"][0]], ["state"])[
        0
    ]
    assert successor["state"] == "active"


def test_customer_answers_the_feedback_link_without_login(admin):
    feedback_id = admin.ref("aftersales_service.aftersales_feedback_changjiang_demo")
    # The link of the e-mail (it creates the token of a record that has none yet).
    link = admin.call("aftersales.feedback", "get_portal_url", [feedback_id])
    token = re.search(r"access_token=([^&]+)", link).group(1)
    visitor = requests.Session()
    url = f"{URL.rstrip('/')}/aftersales/feedback/{feedback_id}"
    page = visitor.get(f"{URL.rstrip('/')}{link}", timeout=60)
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answers = dict.fromkeys(
        ("technician_attitude", "technician_skill", "technician_arrival", "technician_promise"),
        "4",
    )
    answers.update(service_attitude="5", response_speed="5", resolution_efficiency="4")
    done = visitor.post(
        url, data=dict(answers, csrf_token=csrf, access_token=token, comment="Great"), timeout=60
    )
    assert "Thank you" in done.text
    again = visitor.get(url, params={"access_token": token}, timeout=60)
    assert "Already answered" in again.text
    stored = admin.call("aftersales.feedback", "read", [feedback_id], ["state", "comment"])[0]
    assert (stored["state"], stored["comment"]) == ("answered", "Great")


def test_callback_planner_runs_from_its_scheduled_action(admin):
    cron_id = admin.ref("aftersales_service.ir_cron_aftersales_plan_callbacks")
    admin.call("ir.cron", "method_direct_trigger", [cron_id])
    first = admin.call("aftersales.callback", "search_count", [])
    admin.call("ir.cron", "method_direct_trigger", [cron_id])
    assert admin.call("aftersales.callback", "search_count", []) == first
