"""End-to-end: the service desk as agents, supervisors and managers use it
(P2.1-P2.3, P6.3-P6.5)."""

import pytest

from .client import RPCError


def new_ticket(client, **vals):
    values = {
        "subject": "Washing machine does not drain",
        "partner_id": client.ref("aftersales_service.res_partner_huaxin_demo"),
        "channel": "phone",
        "ticket_type": "service",
        "fault_symptom": "Water stays in the drum after the cycle.",
    }
    values.update(vals)
    ticket_id = client.call("aftersales.ticket", "create", values)
    return client.call(
        "aftersales.ticket",
        "read",
        [ticket_id],
        [
            "name",
            "team_id",
            "user_id",
            "stage_id",
            "sla_policy_id",
            "sla_response_deadline",
            "sla_resolution_deadline",
            "customer_tier_id",
            "sla_first_response_at",
        ],
    )[0]


def test_agent_registers_a_phone_call_with_deadlines(technician):
    ticket = new_ticket(technician)
    assert ticket["name"].startswith("SR/")
    assert ticket["team_id"] and ticket["stage_id"]
    assert ticket["sla_response_deadline"] and ticket["sla_resolution_deadline"]
    assert ticket["customer_tier_id"][1] == "Strategic"


def test_reply_to_the_customer_is_the_first_response(technician):
    ticket = new_ticket(technician)
    technician.call(
        "aftersales.ticket",
        "message_post",
        [ticket["id"]],
        body="We will send a technician tomorrow morning.",
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )
    read = technician.call("aftersales.ticket", "read", [ticket["id"]], ["sla_first_response_at"])
    assert read[0]["sla_first_response_at"]


def extend(client, ticket, hours, reason):
    """Extend as the browser does: the button's wizard, then its confirmation."""
    values = {"res_model": "aftersales.ticket", "res_id": ticket["id"], "hours": hours}
    wizard = client.call("aftersales.sla.extend.wizard", "create", dict(values, reason=reason))
    return client.call("aftersales.sla.extend.wizard", "action_confirm", [wizard])


def test_technician_cannot_extend_but_supervisor_can(technician, supervisor):
    ticket = new_ticket(technician)
    for call in (
        lambda: technician.call("aftersales.ticket", "action_sla_extend", [ticket["id"]]),
        lambda: extend(technician, ticket, 4, "Parts"),
    ):
        with pytest.raises(RPCError) as refused:
            call()
        assert refused.value.name == "odoo.exceptions.AccessError"
    action = supervisor.call("aftersales.ticket", "action_sla_extend", [ticket["id"]])
    assert action["res_model"] == "aftersales.sla.extend.wizard"
    extend(supervisor, ticket, 4, "Parts")
    read = supervisor.call("aftersales.ticket", "read", [ticket["id"]], ["sla_extension_hours"])
    assert read[0]["sla_extension_hours"] == 4


def test_complaint_cannot_close_without_root_cause(technician):
    ticket = new_ticket(
        technician, ticket_type="complaint", complaint_category="service", subject="Rude agent"
    )
    solved = technician.ref("aftersales_service.aftersales_stage_solved")
    with pytest.raises(RPCError) as refused:
        technician.call("aftersales.ticket", "write", [ticket["id"]], {"stage_id": solved})
    assert refused.value.name == "odoo.exceptions.ValidationError"
    assert "cannot be closed yet" in refused.value.message


def test_suggested_solutions_follow_the_symptom(technician):
    ticket = new_ticket(technician, fault_symptom="Strange rattle noise at high speed")
    read = technician.call("aftersales.ticket", "read", [ticket["id"]], ["suggested_solution_ids"])[
        0
    ]
    assert (
        technician.ref("aftersales_service.aftersales_solution_fan_demo")
        in (read["suggested_solution_ids"])
    )


@pytest.mark.parametrize(
    "view_types", [["kanban", "list", "form", "search", "calendar", "pivot", "graph", "activity"]]
)
def test_ticket_views_load_for_the_technician(technician, view_types):
    result = technician.call(
        "aftersales.ticket", "get_views", views=[[False, v] for v in view_types]
    )
    assert set(result["views"]) == set(view_types)


def test_overdue_filter_finds_the_demo_overdue_ticket(supervisor):
    overdue = supervisor.call(
        "aftersales.ticket", "search", [("sla_resolution_overdue", "=", True)]
    )
    assert supervisor.ref("aftersales_service.aftersales_ticket_overdue_demo") in overdue


def test_escalation_cron_escalates_the_overdue_demo_ticket(admin):
    cron = admin.ref("aftersales_service.ir_cron_aftersales_sla_escalate")
    admin.call("ir.cron", "method_direct_trigger", [cron])
    ticket_id = admin.ref("aftersales_service.aftersales_ticket_overdue_demo")
    read = admin.call(
        "aftersales.ticket",
        "read",
        [ticket_id],
        ["sla_resolution_escalation", "sla_apology_sent"],
    )[0]
    assert read["sla_resolution_escalation"] == 2
    assert read["sla_apology_sent"]
