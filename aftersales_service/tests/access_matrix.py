"""The suite's access matrix (issue 14; P10.1, P10.2, P11.1), as plain data.

Who may read, create, write and delete what, which key steps each role may take,
and which fields only a workflow (or an entitled group) may set. It is what the
roles *should* be able to do (README "Roles", the policy), not a copy of the code:
``test_access_matrix.py`` checks every cell against a real database, and the
README's table for administrators is rendered from it (``render_markdown``; an
Odoo-free test keeps the two equal). No Odoo import here, so that Odoo-free tests
can read it.

Regenerate the README table after a change::

    python3 aftersales_service/tests/access_matrix.py --update README.md

Every cell is about a *reference record of team 1 in company A*: a ticket,
repair, callback, work entry... of team 1's customer A, configuration of company
A, a shared (company-less) configuration record, or, for wizards (transient
models), the role's own wizard opened on such a record. ``r c w u`` = read,
create, write, unlink (delete); ``-`` = refused the way Odoo refuses access (an
``AccessError``, or the record is invisible).
"""

import re
import sys
from pathlib import Path

# ---------------------------------------------------------------------------
# Roles: who, and the groups the test gives them (the README's Roles table)
# ---------------------------------------------------------------------------
#: role key -> (column heading, description, groups (xmlids), company)
ROLES = {
    "tech1": (
        "Tech T1",
        "Technician / agent, member of team 1",
        ("aftersales_service.group_aftersales_user",),
        "A",
    ),
    "tech2": (
        "Tech T2",
        "Technician / agent, member of team 2 (same company)",
        ("aftersales_service.group_aftersales_user",),
        "A",
    ),
    "supervisor": (
        "Supervisor",
        "Service supervisor (in no team)",
        ("aftersales_service.group_aftersales_supervisor",),
        "A",
    ),
    "manager": (
        "Manager",
        "After-Sales manager",
        ("aftersales_service.group_aftersales_manager",),
        "A",
    ),
    "accountant": (
        "Accountant",
        "Invoicing / Billing",
        ("account.group_account_invoice",),
        "A",
    ),
    "sales_rep": (
        "Sales rep",
        "Sales / User: Own Documents Only, salesperson of customer A",
        ("sales_team.group_sale_salesman",),
        "A",
    ),
    "portal_a": ("Portal A", "Portal user of customer A", ("base.group_portal",), "A"),
    "portal_b": (
        "Portal B",
        "Portal user of customer B (another customer)",
        ("base.group_portal",),
        "A",
    ),
    "company_b": (
        "Company B",
        "After-Sales manager of company B only",
        ("aftersales_service.group_aftersales_manager",),
        "B",
    ),
    "public": ("Public", "Not logged in (Odoo's public user)", ("base.group_public",), None),
}
ROLE_KEYS = tuple(ROLES)

OPERATIONS = ("read", "create", "write", "unlink")
CELL = re.compile(r"^[r-][c-][w-][u-]$")


def _row(*cells):
    """One model's cells, in the order of ``ROLE_KEYS``."""
    if len(cells) != len(ROLE_KEYS):
        raise ValueError(f"{len(cells)} cells for {len(ROLE_KEYS)} roles")
    return dict(zip(ROLE_KEYS, cells, strict=True))


# ---------------------------------------------------------------------------
# Read / create / write / unlink per model
# ---------------------------------------------------------------------------
#: model -> (reference record, {role: cell})
#: Columns: tech1, tech2, supervisor, manager, accountant, sales_rep,
#:          portal_a, portal_b, company_b, public
CRUD = {
    # -- configuration --------------------------------------------------------
    "aftersales.tier": (
        "a tier of company A",
        _row("r---", "r---", "r---", "rcwu", "r---", "r---", "----", "----", "----", "----"),
    ),
    "aftersales.need.tag": (
        "a need tag (shared by all companies)",
        _row("rcw-", "rcw-", "rcw-", "rcwu", "----", "rcw-", "----", "----", "rcwu", "----"),
    ),
    "aftersales.team": (
        "team 1 (company A)",
        _row("r---", "r---", "r-w-", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.stage": (
        "a ticket stage (shared)",
        _row("r---", "r---", "r---", "rcwu", "----", "----", "r---", "r---", "rcwu", "----"),
    ),
    "aftersales.ticket.tag": (
        "a ticket tag (shared)",
        _row("rcw-", "rcw-", "rcw-", "rcwu", "----", "----", "----", "----", "rcwu", "----"),
    ),
    "aftersales.category": (
        "a problem category (shared)",
        _row("r---", "r---", "r---", "rcwu", "----", "----", "----", "----", "rcwu", "----"),
    ),
    "aftersales.solution": (
        "a knowledge-base solution of company A",
        _row("rcw-", "rcw-", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.sla.policy": (
        "an SLA policy of company A",
        _row("r---", "r---", "r---", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.zone": (
        "a service zone of company A",
        _row("r---", "r---", "r---", "rcwu", "r---", "r---", "----", "----", "----", "----"),
    ),
    "aftersales.certification": (
        "team 1's technician's certification (company A)",
        _row("r---", "r---", "r---", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.rma.reason": (
        "a return reason (shared)",
        _row("r---", "r---", "r---", "rcwu", "----", "----", "r---", "r---", "rcwu", "----"),
    ),
    "aftersales.calendar.day": (
        "a make-up working day of company A's working hours",
        _row("r---", "r---", "r---", "rcwu", "r---", "r---", "----", "----", "----", "----"),
    ),
    # -- customers ------------------------------------------------------------
    "res.partner": (
        "customer A (a company of company A), its tier fields",
        _row("rcwu", "rcwu", "rcwu", "rcwu", "r---", "r---", "r---", "----", "----", "----"),
    ),
    # -- service desk ---------------------------------------------------------
    "aftersales.ticket": (
        "a request of customer A for team 1, unassigned",
        _row("rcw-", "----", "rcwu", "rcwu", "----", "----", "r---", "----", "----", "----"),
    ),
    "aftersales.callback": (
        "a satisfaction callback on that request (owner: the supervisor)",
        _row("rcw-", "----", "rcw-", "rcwu", "----", "r---", "----", "----", "----", "----"),
    ),
    "aftersales.feedback": (
        "feedback on that request rating team 1's technician",
        _row("r---", "----", "r-w-", "r-wu", "----", "----", "----", "----", "----", "----"),
    ),
    # -- repairs --------------------------------------------------------------
    "repair.order": (
        "a repair of customer A for team 1, unassigned",
        _row("rcwu", "----", "rcwu", "rcwu", "r---", "----", "----", "----", "----", "----"),
    ),
    "aftersales.work.entry": (
        "team 1's technician's work on that repair",
        _row("rcwu", "----", "rcwu", "rcwu", "r---", "----", "----", "----", "----", "----"),
    ),
    "aftersales.goods.receipt": (
        "the goods receipt of that repair",
        _row("rcw-", "----", "rcw-", "rcw-", "r---", "----", "----", "----", "----", "----"),
    ),
    # -- returns and contracts ------------------------------------------------
    "aftersales.rma": (
        "a return of customer A (team 1)",
        _row("rcw-", "rcw-", "rcwu", "rcwu", "r---", "----", "r---", "----", "----", "----"),
    ),
    "aftersales.contract": (
        "an active contract of customer A (sales rep: customer A's salesperson)",
        _row("r---", "r---", "r---", "rcwu", "----", "rcw-", "r---", "----", "----", "----"),
    ),
    "aftersales.contract.line": (
        "an item that contract covers",
        _row("r---", "r---", "r---", "rcwu", "----", "rcwu", "r---", "----", "----", "----"),
    ),
    # -- reports (SQL views) --------------------------------------------------
    "aftersales.kpi.report": (
        "the KPI analysis row of the request",
        _row("----", "----", "r---", "r---", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.technician.performance": (
        "team 1's technician's month",
        _row("r---", "----", "r---", "r---", "----", "----", "----", "----", "----", "----"),
    ),
    # -- wizards (the role's own, on the reference records) -------------------
    "aftersales.sla.extend.wizard": (
        "extending the request's deadline",
        _row("----", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.repair.override.wizard": (
        "overriding the repair's service type",
        _row("----", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.repair.return.wizard": (
        "handing the repaired product back",
        _row("rcwu", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.repair.receipt.wizard": (
        "taking the product of that repair in (goods receipt)",
        _row("rcwu", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.repair.quote.wizard": (
        "recording the customer's acceptance of that repair's quote",
        _row("rcwu", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.repair.consent.wizard": (
        "recording the consent to substitute parts on that repair",
        _row("rcwu", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.repair.inspect.wizard": (
        "the supervisor's inspection of that repair",
        _row("----", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.repair.completion.wizard": (
        "the customer's signature at the end of that on-site job",
        _row("rcwu", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.rma.close.wizard": (
        "refusing or cancelling the return",
        _row("rcwu", "rcwu", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.rma.inspect.wizard": (
        "inspecting the returned goods",
        _row("rcwu", "rcwu", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.rma.override.wizard": (
        "accepting the return anyway (late, or conditions not met)",
        _row("----", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.rma.replacement.wizard": (
        "approving another product as the replacement",
        _row("----", "----", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.contract.cancel.wizard": (
        "cancelling the contract",
        _row("----", "----", "----", "rcwu", "----", "rcwu", "----", "----", "----", "----"),
    ),
    "aftersales.export.wizard": (
        "a spreadsheet export of company A, team 1",
        _row("rcwu", "rcwu", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.daily.report.wizard": (
        "a daily report of team 1",
        _row("rcwu", "rcwu", "rcwu", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
    "aftersales.calendar.day.import": (
        "an import of make-up days into company A's working hours",
        _row("----", "----", "----", "rcwu", "----", "----", "----", "----", "----", "----"),
    ),
}

#: Transient models: their rows are about the role's own wizard.
WIZARDS = (
    "aftersales.sla.extend.wizard",
    "aftersales.repair.override.wizard",
    "aftersales.repair.return.wizard",
    "aftersales.repair.receipt.wizard",
    "aftersales.repair.quote.wizard",
    "aftersales.repair.consent.wizard",
    "aftersales.repair.inspect.wizard",
    "aftersales.repair.completion.wizard",
    "aftersales.rma.close.wizard",
    "aftersales.rma.inspect.wizard",
    "aftersales.rma.override.wizard",
    "aftersales.rma.replacement.wizard",
    "aftersales.contract.cancel.wizard",
    "aftersales.export.wizard",
    "aftersales.daily.report.wizard",
    "aftersales.calendar.day.import",
)
#: SQL views: nobody creates, writes or deletes their rows.
SQL_VIEWS = ("aftersales.kpi.report", "aftersales.technician.performance")

#: Why a cell is what it is, where the Roles table alone does not say it.
NOTES = {
    "aftersales.need.tag": "Need data is for the service team and sales reps (P10.1).",
    "res.partner": "Technicians and supervisors register customers (Contact Creation); "
    "tier fields: see the protected fields.",
    "aftersales.ticket": "Technicians see their teams' and their own requests; customers "
    "file requests through the portal form, never by a direct create.",
    "aftersales.feedback": "Feedback is created by the system (P8.1) and answered on its "
    "public page; staff cannot create or fill it in.",
    "repair.order": "Odoo's own repair rights (Inventory user): only draft or cancelled "
    "repairs can be deleted.",
    "aftersales.goods.receipt": "The goods register (P2.7) is never deleted.",
    "aftersales.rma": "Returns are handled by any technician of the company (the return "
    "desk), not per team.",
    "aftersales.contract": "A sales rep handles their customers' contracts; the service "
    "team reads the coverage; customers see theirs except drafts.",
}

#: Cells where the code does not do what the matrix says yet: the test expects the
#: current (wrong) behaviour there, and fails once it is fixed, so that the entry
#: is removed. (role, model, operation) -> why, and what fixes it.
_EXTEND_WIZARD_GAP = (
    "the wizard names its record by model and id, which no record rule can follow; it "
    "needs a stored company (computed from the record) for a company rule, as the other "
    "wizards have through their record (a change of "
    "`wizard/aftersales_sla_extend_wizard.py`). Confirming it is refused."
)
KNOWN_GAPS = {
    ("company_b", "aftersales.sla.extend.wizard", operation): _EXTEND_WIZARD_GAP
    for operation in ("create", "write", "unlink")
}

# ---------------------------------------------------------------------------
# Key actions: who may take them (everyone else gets an AccessError)
# ---------------------------------------------------------------------------
#: action -> (label, policy, roles allowed)
ACTIONS = {
    "close_complaint": (
        "Close a complaint (closing stage)",
        "P6.2, P6.5",
        {"tech1", "supervisor", "manager"},
    ),
    "override_service_type": (
        "Override a repair's service type",
        "P2.4",
        {"supervisor", "manager"},
    ),
    "inspect_repair": (
        "Inspect a workshop repair (主任验收)",
        "P2.7, P3.4",
        {"supervisor", "manager"},
    ),
    "extend_deadline": ("Extend a resolution deadline", "P6.3", {"supervisor", "manager"}),
    "pin_tier": ("Pin a customer's tier", "P1.2", {"manager"}),
    "recompute_tiers": (
        "Recompute the tiers (of one's own companies)",
        "P1.2",
        {"manager", "company_b"},
    ),
    "accept_return_anyway": (
        "Accept a late return, or one whose conditions are not met, with a reason",
        "P5.1, P5.2",
        {"supervisor", "manager"},
    ),
    "approve_replacement": (
        "Approve another product of the same value as an exchange's replacement",
        "P4.2",
        {"supervisor", "manager"},
    ),
    "create_credit_note": (
        "Create the credit note of an inspected return",
        "P5.3",
        {"tech1", "tech2", "supervisor", "manager"},
    ),
    "post_credit_note": ("Post that credit note", "P5.3", {"accountant"}),
    "invoice_repair": ("Invoice a done paid repair", "P2.6", {"accountant"}),
    "renew_contract": ("Renew a contract (with its quotation)", "P7.3", {"sales_rep"}),
    "read_dashboard": (
        "Read the service dashboard of team 1 (its figures and records)",
        "P9.2",
        {"supervisor", "manager"},
    ),
}

# ---------------------------------------------------------------------------
# Protected fields: only the workflow (None) or the group named may write them
# ---------------------------------------------------------------------------
MANAGER = "aftersales_service.group_aftersales_manager"

#: The SLA engine's results on every record it times (tickets, repairs, returns).
SLA_ENGINE_FIELDS = (
    "sla_policy_id",
    "sla_calendar_id",
    "sla_response_target",
    "sla_resolution_target",
    "sla_response_deadline",
    "sla_resolution_deadline",
    "sla_first_response_at",
    "sla_solved_at",
    "sla_paused_since",
    "sla_paused_hours",
    "sla_extension_hours",
    "sla_extension_reason",
    "sla_response_time",
    "sla_resolution_time",
    "sla_response_ontime",
    "sla_resolution_ontime",
    "sla_response_escalation",
    "sla_resolution_escalation",
    "sla_apology_sent",
    "sla_escalation_level",
)
_SLA = dict.fromkeys(SLA_ENGINE_FIELDS)

#: model -> {field: group xmlid entitled to write it directly, or None (nobody)}
PROTECTED = {
    "res.partner": {
        "aftersales_tier_id": MANAGER,
        "aftersales_tier_pinned": MANAGER,
        "aftersales_lifecycle_stage": None,
        "aftersales_invoiced_amount": None,
        "aftersales_order_count": None,
        "aftersales_satisfaction": None,
        "aftersales_first_purchase_date": None,
    },
    "aftersales.ticket": {"customer_tier_id": None, **_SLA},
    "aftersales.callback": dict.fromkeys(("state", "done_at", "plan_key")),
    "aftersales.feedback": dict.fromkeys(
        (
            "state",
            "requested_at",
            "expires_on",
            "answered_at",
            "technician_attitude",
            "technician_skill",
            "technician_arrival",
            "technician_promise",
            "service_attitude",
            "response_speed",
            "resolution_efficiency",
            "comment",
            "is_complaint",
            "complaint_ticket_id",
            "technician_score",
            "score",
            "is_satisfied",
            "completed_at",
            "ticket_id",
            "repair_id",
            "rma_id",
            "technician_id",
            "partner_id",
        )
    ),
    "repair.order": {
        **dict.fromkeys(
            (
                "aftersales_service_type",
                "aftersales_service_type_reason",
                "aftersales_type_overridden",
                "aftersales_override_reason",
                "aftersales_purchase_date",
                "aftersales_purchase_date_source",
                "aftersales_warranty_end",
                "aftersales_previous_repair_id",
                "aftersales_contract_id",
                "aftersales_repair_warranty_end",
                "aftersales_done_at",
                "aftersales_done_on",
                "aftersales_arrived_at",
                "aftersales_signed_on",
                "aftersales_quote_accepted_on",
                "aftersales_substitute_consent_on",
                "aftersales_inspector_id",
                "aftersales_inspected_on",
                "aftersales_returned_on",
                "aftersales_invoice_id",
                "under_warranty",
                "aftersales_check_accessories",
                "aftersales_check_appearance",
                "aftersales_check_function",
                "aftersales_inspection_note",
                "aftersales_quote_acceptance",
                "aftersales_quote_accepted_by",
                "aftersales_signature",
                "aftersales_signature_user_id",
                "aftersales_signed_by",
                "aftersales_substitute_consent_how",
            )
        ),
        **_SLA,
    },
    "aftersales.goods.receipt": dict.fromkeys(
        ("state", "returned_on", "returned_by", "return_signature", "return_signed_by")
    ),
    "aftersales.rma": {
        **dict.fromkeys(
            (
                "state",
                "inspection_result",
                "inspected_by",
                "inspected_on",
                "received_on",
                "refund_move_id",
                "window_override_reason",
                "conditions_override_reason",
                "replacement_product_id",
                "replacement_approved_by",
                "voucher_valid_until",
                "return_picking_id",
                "outgoing_picking_id",
                "close_reason",
            )
        ),
        **_SLA,
    },
    "aftersales.contract": dict.fromkeys(
        (
            "state",
            "reminder_date_end",
            "reminder_sent_at",
            "previous_contract_id",
            "cancel_reason",
            "sale_order_id",
        )
    ),
}

#: Values of an otherwise open field that only the workflow may set:
#: model -> {field: values}. A repair starts (after the quote, P3.3) and is done
#: (after the inspection, P3.4) only through its buttons.
PROTECTED_VALUES = {"repair.order": {"state": ("under_repair", "done")}}

#: Fields only some roles may read at all (the field's ``groups``), on the model's
#: reference record: model -> {field: roles}. Customer needs and preferences are
#: for the service team and sales reps (P10.1), not accounting nor the customer.
SERVICE_TEAM = frozenset({"tech1", "tech2", "supervisor", "manager", "sales_rep"})
RESTRICTED_FIELDS = {
    "res.partner": dict.fromkeys(
        (
            "aftersales_need_tag_ids",
            "aftersales_preferred_channel",
            "aftersales_contact_time",
            "aftersales_special_requirements",
        ),
        SERVICE_TEAM,
    )
}

#: Group xmlid -> how the README names it.
GROUP_LABELS = {None: "nobody (the workflow only)", MANAGER: "After-Sales managers"}


# ---------------------------------------------------------------------------
# Derived expectations
# ---------------------------------------------------------------------------
def expected(model, role, operation):
    """Whether ``role`` may do ``operation`` on ``model``'s reference record."""
    cell = CRUD[model][1][role]
    return cell[OPERATIONS.index(operation)] != "-"


def entitled_roles(group):
    """Roles whose groups give them ``group`` (None: no role)."""
    if group is None:
        return set()
    implied = {
        "aftersales_service.group_aftersales_supervisor": {
            "aftersales_service.group_aftersales_user"
        },
        MANAGER: {
            "aftersales_service.group_aftersales_supervisor",
            "aftersales_service.group_aftersales_user",
        },
    }
    roles = set()
    for role, (_heading, _description, groups, _company) in ROLES.items():
        closure = set(groups)
        for xmlid in groups:
            closure |= implied.get(xmlid, set())
        if group in closure:
            roles.add(role)
    return roles


def may_write_protected(model, fname, role):
    """A protected field is written directly only by its group's members, and only
    where they may write the record at all."""
    return role in entitled_roles(PROTECTED[model][fname]) and expected(model, role, "write")


# ---------------------------------------------------------------------------
# README rendering
# ---------------------------------------------------------------------------
README_START = (
    "<!-- access-matrix:start (generated by aftersales_service/tests/access_matrix.py) -->"
)
README_END = "<!-- access-matrix:end -->"


def _table(header, rows):
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _cell in header) + " |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown():
    """The README's table for administrators, from the data above."""
    headings = [ROLES[role][0] for role in ROLE_KEYS]
    out = [
        README_START,
        "",
        "Who may **r**ead, **c**reate, **w**rite and **u**nlink (delete) what, on a "
        "reference record of team 1 in company A (`-`: refused). Wizards: the role's own, "
        "opened on that record. `aftersales_service/tests/test_access_matrix.py` checks "
        "every cell on a real database; the data is "
        "`aftersales_service/tests/access_matrix.py`.",
        "",
    ]
    out += _table(
        ["Role", "Who", "Groups"],
        [
            [heading, description, ", ".join(f"`{g}`" for g in groups)]
            for heading, description, groups, _company in ROLES.values()
        ],
    )
    out.append("")
    rows = []
    for model, (reference, cells) in CRUD.items():
        rendered = []
        for role in ROLE_KEYS:
            cell = f"`{cells[role]}`"
            if any(key[:2] == (role, model) for key in KNOWN_GAPS):
                cell += " ¹"
            rendered.append(cell)
        rows.append([f"`{model}`", reference, *rendered])
    out += _table(["Model", "Reference record", *headings], rows)
    out.append("")
    for model, note in NOTES.items():
        out.append(f"- `{model}`: {note}")
    if KNOWN_GAPS:
        gaps = {}
        for (role, model, operation), why in KNOWN_GAPS.items():
            gaps.setdefault((role, model, why), []).append(operation)
        out.append("")
        out.append("¹ Not enforced yet (the test checks the current behaviour there):")
        out.append("")
        for (role, model, why), operations in gaps.items():
            out.append(f"- {ROLES[role][0]}, `{model}`, {', '.join(operations)} allowed: {why}")
    out.append("")
    out.append("Key actions (everyone else gets an access error):")
    out.append("")
    out += _table(
        ["Action", "Policy", *headings],
        [
            [label, policy, *("yes" if role in allowed else "-" for role in ROLE_KEYS)]
            for label, policy, allowed in ACTIONS.values()
        ],
    )
    out.append("")
    out.append(
        "Protected fields: only their workflow's buttons (and the engines, as superuser) "
        "set them; a direct write by anyone else is refused:"
    )
    out.append("")
    rows = []
    for model, protected in PROTECTED.items():
        by_group = {}
        for fname, group in protected.items():
            by_group.setdefault(group, []).append(fname)
        for group, fnames in by_group.items():
            listed = (
                "the SLA engine's results (`sla_*`)"
                if set(fnames) == set(SLA_ENGINE_FIELDS)
                else ", ".join(f"`{f}`" for f in fnames if f not in SLA_ENGINE_FIELDS)
            )
            if set(SLA_ENGINE_FIELDS) <= set(fnames) and set(fnames) != set(SLA_ENGINE_FIELDS):
                listed += ", the SLA engine's results (`sla_*`)"
            rows.append([f"`{model}`", listed, GROUP_LABELS[group]])
    for model, values in PROTECTED_VALUES.items():
        for fname, states in values.items():
            rows.append(
                [
                    f"`{model}`",
                    f"`{fname}` set to " + " or ".join(f"`{v}`" for v in states),
                    GROUP_LABELS[None],
                ]
            )
    out += _table(["Model", "Fields", "Written directly by"], rows)
    out.append("")
    out.append("Fields only some roles may read (the rest of the record as above):")
    out.append("")
    rows = []
    for model, restricted in RESTRICTED_FIELDS.items():
        by_roles = {}
        for fname, roles in restricted.items():
            by_roles.setdefault(roles, []).append(fname)
        for roles, fnames in by_roles.items():
            rows.append(
                [
                    f"`{model}`",
                    ", ".join(f"`{f}`" for f in fnames),
                    ", ".join(ROLES[role][0] for role in ROLE_KEYS if role in roles),
                ]
            )
    out += _table(["Model", "Fields", "Read by"], rows)
    out.append("")
    out.append(README_END)
    return "\n".join(out) + "\n"


def readme_block(text):
    """The generated block of ``text`` (a README), markers included, or None."""
    start = text.find(README_START)
    end = text.find(README_END)
    if start < 0 or end < 0:
        return None
    return text[start : end + len(README_END)] + "\n"


def update_readme(path):
    """Rewrite the generated block of the README at ``path``."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    current = readme_block(text)
    if current is None:
        raise SystemExit(f"{path}: no {README_START!r} ... {README_END!r} block")
    start = text.find(README_START)
    path.write_text(
        text[:start] + render_markdown() + text[start + len(current) :], encoding="utf-8"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--update"] and len(sys.argv) == 3:
        update_readme(sys.argv[2])
    else:
        sys.stdout.write(render_markdown())
