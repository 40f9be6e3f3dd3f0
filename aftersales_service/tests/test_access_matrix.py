"""Issue 14, P10.1, P10.2, P11.1: one access matrix, checked cell by cell.

The expected matrix is ``access_matrix.py`` (plain data, also rendered in the
README). This class builds its roles as real users with the real groups (two
teams in company A, a company B with its own manager, portal users of two
customers, the public user) and one reference record per model, then walks every
dimension of the matrix in one parametrised test each:

* ``test_crud_matrix``: every model x role x read/create/write/unlink;
* ``test_key_actions``: the steps only some roles may take;
* ``test_protected_fields``: every field a workflow owns, written directly by every
  role;
* ``test_matrix_covers_the_suite``: the matrix knows every model of the suite and
  every protected field the models declare, and the roles have their groups.

A refusal must be Odoo's (an ``AccessError``, or the record missing from the
role's search); any other error fails the cell, and every create, write and
delete is first done as superuser, so that a broken fixture cannot pass as
"denied". Every cell that changes data runs in a savepoint that is rolled back.
"""

import base64
from contextlib import closing
from datetime import date

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.aftersales_service.models.repair_order import INSPECTION_CHECKS

from . import access_matrix as matrix
from .common import SIGNATURE, AftersalesContractCase, AftersalesRmaCase

#: The guard's refusals (``aftersales.workflow.guard``): a protected field, a link to a
#: record the user may not see.
GUARD_MESSAGE = "changes only through its own step"
GROUP_GUARD_MESSAGE = "Only members of"
GUARD_MESSAGES = (GUARD_MESSAGE, GROUP_GUARD_MESSAGE, "points to a record you may not see")

#: Deleted by nobody, whatever the rights: the refusal is the model's own rule.
UNDELETABLE = {"aftersales.goods.receipt"}


@tagged("post_install", "-at_install", "aftersales")
class TestAccessMatrix(AftersalesContractCase, AftersalesRmaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_roles()
        cls._setup_references()
        cls._setup_wizards()
        cls.env.flush_all()

    # ------------------------------------------------------------------
    # Fixtures
    # ------------------------------------------------------------------
    @classmethod
    def _setup_roles(cls):
        cls.company_a = cls.company
        cls.company_b = cls._create_company("Matrix Company B", with_accounting=False)
        companies = {"A": cls.company_a, "B": cls.company_b}
        cls.users = {}
        for role, (_heading, _description, groups, company_key) in matrix.ROLES.items():
            if role == "public":
                cls.users[role] = cls.env.ref("base.public_user")
                continue
            company = companies[company_key]
            cls.users[role] = new_test_user(
                cls.env,
                login=f"matrix_{role}",
                groups=",".join(groups),
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
        cls.customer_a = cls.customer
        cls.customer_a.write({"company_id": cls.company_a.id, "user_id": cls.users["sales_rep"].id})
        cls.customer_b = cls._create_customer("Matrix Customer B", company_id=cls.company_a.id)
        cls.users["portal_a"].partner_id.parent_id = cls.customer_a
        cls.users["portal_b"].partner_id.parent_id = cls.customer_b
        cls.team1 = cls.env["aftersales.team"].create(
            {
                "name": "Matrix Team 1",
                "company_id": cls.company_a.id,
                "resource_calendar_id": cls.calendar.id,
                "member_ids": [Command.set(cls.users["tech1"].ids)],
            }
        )
        cls.team2 = cls.env["aftersales.team"].create(
            {
                "name": "Matrix Team 2",
                "company_id": cls.company_a.id,
                "resource_calendar_id": cls.calendar.id,
                "member_ids": [Command.set(cls.users["tech2"].ids)],
            }
        )

    @classmethod
    def _setup_references(cls):
        env, company = cls.env, cls.company_a
        tech1 = cls.users["tech1"]
        refs = {}
        refs["aftersales.tier"] = cls.tier = cls._tier("matrix", 50)
        refs["aftersales.need.tag"] = env["aftersales.need.tag"].create({"name": "Matrix need"})
        refs["aftersales.team"] = cls.team1
        refs["aftersales.stage"] = env["aftersales.stage"].create(
            {"name": "Matrix stage", "sequence": 99}
        )
        refs["aftersales.ticket.tag"] = env["aftersales.ticket.tag"].create({"name": "Matrix tag"})
        refs["aftersales.category"] = env["aftersales.category"].create({"name": "Matrix fault"})
        refs["aftersales.solution"] = env["aftersales.solution"].create(
            {"name": "Matrix problem", "solution": "<p>Fix it</p>", "company_id": company.id}
        )
        refs["aftersales.sla.policy"] = env["aftersales.sla.policy"].create(
            {
                "name": "Matrix policy",
                "company_id": company.id,
                "team_id": cls.team2.id,
                "channel": "store",
            }
        )
        refs["aftersales.zone"] = env["aftersales.zone"].create(
            {"name": "Matrix zone", "company_id": company.id}
        )
        refs["aftersales.certification"] = env["aftersales.certification"].create(
            {"user_id": tech1.id, "categ_id": cls.appliances.id, "company_id": company.id}
        )
        refs["aftersales.rma.reason"] = cls.rma_reason = env["aftersales.rma.reason"].create(
            {"name": "Matrix reason"}
        )
        refs["aftersales.calendar.day"] = env["aftersales.calendar.day"].create(
            {"calendar_id": company.resource_calendar_id.id, "date": "2026-09-26"}
        )
        refs["res.partner"] = cls.customer_a

        refs["aftersales.ticket"] = cls.ticket_ref = cls.ticket(team_id=cls.team1.id)
        cls.complaint = cls.ticket(
            team_id=cls.team1.id,
            subject="Rude technician",
            ticket_type="complaint",
            complaint_category="service",
            responsibility="company",
            remedy="explanation",
            root_cause="Late visit",
            corrective_action="Planning reviewed",
        )
        refs["aftersales.callback"] = env["aftersales.callback"].create(
            {
                "partner_id": cls.customer_a.id,
                "planned_date": fields.Datetime.now(),
                "ticket_id": cls.ticket_ref.id,
                "user_id": cls.users["supervisor"].id,
                "purpose": "satisfaction",
                "company_id": company.id,
            }
        )
        refs["aftersales.feedback"] = env["aftersales.feedback"].create(
            {
                "ticket_id": cls.ticket_ref.id,
                "partner_id": cls.customer_a.id,
                "technician_id": tech1.id,
                "team_id": cls.team1.id,
                "company_id": company.id,
            }
        )

        refs["repair.order"] = cls.repair_ref = cls.repair(aftersales_team_id=cls.team1.id)
        refs["aftersales.work.entry"] = env["aftersales.work.entry"].create(
            {
                "repair_id": cls.repair_ref.id,
                "user_id": tech1.id,
                "hours": 1.5,
                "description": "Diagnosis",
            }
        )
        refs["aftersales.goods.receipt"] = env["aftersales.goods.receipt"].create(
            {"repair_id": cls.repair_ref.id}
        )
        cls.done_repair = cls.repair(aftersales_team_id=cls.team1.id)
        env["aftersales.work.entry"].create(
            {
                "repair_id": cls.done_repair.id,
                "user_id": tech1.id,
                "hours": 2.0,
                "description": "Motor replaced",
            }
        )
        cls.finish(cls.done_repair)

        refs["aftersales.rma"] = cls.rma_ref = cls.rma(team_id=cls.team1.id)
        returned_line = cls.delivered_line(quantity=2)
        cls.rma_inspected, cls.rma_refunded = (
            cls.rma(team_id=cls.team1.id, sale_line_id=returned_line.id) for _rma in range(2)
        )
        cls.bring_back(cls.rma_inspected | cls.rma_refunded)
        cls.credit_note = cls.rma_refunded.action_create_credit_note()
        cls.rma_unmet = cls.rma(
            team_id=cls.team1.id,
            sale_line_id=cls.delivered_line(quantity=1).id,
            condition_packaging=False,
        )
        cls.rma_exchange = cls.rma(
            "exchange", team_id=cls.team1.id, sale_line_id=cls.delivered_line(quantity=1).id
        )
        cls.rma_exchange.action_confirm()
        cls.same_value = env["product.product"].create(
            {"name": "Matrix replacement", "type": "consu", "list_price": cls.goods.list_price}
        )

        refs["aftersales.contract"] = cls.contract_ref = cls.contract(
            user_id=cls.users["sales_rep"].id
        )
        refs["aftersales.contract.line"] = cls.contract_ref.line_ids

        env.flush_all()
        refs["aftersales.kpi.report"] = env["aftersales.kpi.report"].browse(2 * cls.ticket_ref.id)
        refs["aftersales.technician.performance"] = env["aftersales.technician.performance"].search(
            [("user_id", "=", tech1.id), ("company_id", "=", company.id)]
        )
        cls.refs = refs

    @classmethod
    def _setup_wizards(cls):
        """Each role's own wizard on the reference records (create_uid = the role)."""
        cls.own_wizards = {
            (role, model): cls._own_wizard(role, model)
            for role in matrix.ROLE_KEYS
            for model in matrix.WIZARDS
        }

    @classmethod
    def _own_wizard(cls, role, model):
        # sudo() keeps the role as creator: the fixture is the role's, whatever its rights.
        return cls.env[model].with_user(cls.users[role]).sudo().create(cls._create_values(model))

    @classmethod
    def _create_values(cls, model):
        """Minimal valid values of a new record of ``model`` about team 1 in company A."""
        company = cls.company_a.id
        today = date.today()
        values = {
            "aftersales.tier": {"name": "New tier", "code": "new", "company_id": company},
            "aftersales.need.tag": {"name": "New need"},
            "aftersales.team": {"name": "New team", "company_id": company},
            "aftersales.stage": {"name": "New stage", "sequence": 100},
            "aftersales.ticket.tag": {"name": "New tag"},
            "aftersales.category": {"name": "New fault"},
            "aftersales.solution": {
                "name": "New problem",
                "solution": "<p>Fix</p>",
                "company_id": company,
            },
            "aftersales.sla.policy": {
                "name": "New policy",
                "company_id": company,
                "team_id": cls.team2.id,
                "channel": "social",
            },
            "aftersales.zone": {"name": "New zone", "company_id": company},
            "aftersales.certification": {
                "user_id": cls.users["tech1"].id,
                "categ_id": cls.purifiers.id,
                "company_id": company,
            },
            "aftersales.rma.reason": {"name": "New reason"},
            "aftersales.calendar.day": {
                "calendar_id": cls.company_a.resource_calendar_id.id,
                "date": "2026-10-10",
            },
            "res.partner": {"name": "New customer", "company_id": company},
            "aftersales.ticket": {
                "subject": "New request",
                "partner_id": cls.customer_a.id,
                "team_id": cls.team1.id,
                "company_id": company,
            },
            "aftersales.callback": {
                "partner_id": cls.customer_a.id,
                "planned_date": fields.Datetime.now(),
                "ticket_id": cls.ticket_ref.id,
                "company_id": company,
            },
            "aftersales.feedback": {
                "repair_id": cls.repair_ref.id,
                "partner_id": cls.customer_a.id,
                "company_id": company,
            },
            "repair.order": {
                "partner_id": cls.customer_a.id,
                "product_id": cls.purifier.id,
                "aftersales_team_id": cls.team1.id,
                "company_id": company,
            },
            "aftersales.work.entry": {
                "repair_id": cls.repair_ref.id,
                "hours": 1.0,
                "description": "Test run",
            },
            "aftersales.goods.receipt": {"repair_id": cls.repair_ref.id},
            "aftersales.rma": {
                "kind": "refund",
                "partner_id": cls.customer_a.id,
                "sale_line_id": cls.line.id,
                "reason_id": cls.rma_reason.id,
                "quantity": 1,
                "team_id": cls.team1.id,
                "company_id": company,
            },
            "aftersales.contract": {
                "partner_id": cls.customer_a.id,
                "company_id": company,
                "date_start": "2027-01-01",
                "date_end": "2027-12-31",
            },
            "aftersales.contract.line": {
                "contract_id": cls.contract_ref.id,
                "product_id": cls.serial_purifier.id,
            },
            "aftersales.kpi.report": {"ticket_id": cls.ticket_ref.id},
            "aftersales.technician.performance": {"user_id": cls.users["tech1"].id},
            "aftersales.sla.extend.wizard": {
                "res_model": "aftersales.ticket",
                "res_id": cls.ticket_ref.id,
                "hours": 4.0,
                "reason": "Parts on order",
            },
            "aftersales.repair.override.wizard": {
                "repair_id": cls.repair_ref.id,
                "service_type": "free",
                "reason": "Goodwill",
            },
            "aftersales.repair.return.wizard": {
                "repair_id": cls.repair_ref.id,
                "signature": SIGNATURE,
                "signed_by": "Li Lei",
            },
            "aftersales.repair.receipt.wizard": {
                "repair_id": cls.repair_ref.id,
                "accessories": "Remote control",
                "condition": "Scratched lid",
            },
            "aftersales.repair.quote.wizard": {
                "repair_id": cls.repair_ref.id,
                "accepted_by": "Li Lei",
                "how": "phone",
            },
            "aftersales.repair.consent.wizard": {"repair_id": cls.repair_ref.id, "how": "Phone"},
            "aftersales.repair.inspect.wizard": {"repair_id": cls.repair_ref.id},
            "aftersales.repair.completion.wizard": {
                "repair_id": cls.repair_ref.id,
                "signed_by": "Li Lei",
                "signature": SIGNATURE,
            },
            "aftersales.rma.close.wizard": {"rma_id": cls.rma_ref.id, "reason": "Too late"},
            "aftersales.rma.inspect.wizard": {"rma_id": cls.rma_ref.id, "passed": True},
            "aftersales.rma.override.wizard": {
                "rma_id": cls.rma_ref.id,
                "kind": "conditions",
                "reason": "Box lost by the courier",
            },
            "aftersales.rma.replacement.wizard": {
                "rma_id": cls.rma_ref.id,
                "product_id": cls.same_value.id,
            },
            "aftersales.contract.cancel.wizard": {
                "contract_ids": [Command.set(cls.contract_ref.ids)],
                "reason": "Customer moved",
            },
            "aftersales.export.wizard": {
                "export": "problem_tracking",
                "company_id": company,
                "team_id": cls.team1.id,
            },
            "aftersales.daily.report.wizard": {"date": today, "team_id": cls.team1.id},
            "aftersales.calendar.day.import": {
                "calendar_id": cls.company_a.resource_calendar_id.id,
                "file": base64.b64encode(b"2026-10-10,working,Make-up day\n"),
            },
        }
        return values[model]

    def _write_values(self, model):
        """A harmless change of a field no workflow owns."""
        values = {
            "aftersales.tier": {"description": "Edited"},
            "aftersales.need.tag": {"color": 3},
            "aftersales.team": {"color": 3},
            "aftersales.stage": {"description": "Edited"},
            "aftersales.ticket.tag": {"color": 3},
            "aftersales.category": {"description": "Edited"},
            "aftersales.solution": {"keywords": "edited"},
            "aftersales.sla.policy": {"description": "Edited"},
            "aftersales.zone": {"description": "Edited"},
            "aftersales.certification": {"reference": "CERT-2"},
            "aftersales.rma.reason": {"sequence": 20},
            "res.partner": {"comment": "<p>Prefers mornings</p>"},
            "aftersales.ticket": {"color": 3},
            "aftersales.callback": {"question": "Are you satisfied?"},
            "aftersales.feedback": {"team_id": self.team1.id},
            "repair.order": {"internal_notes": "<p>Edited</p>"},
            "aftersales.work.entry": {"description": "Edited"},
            "aftersales.goods.receipt": {"accessories": "Remote control"},
            "aftersales.rma": {"description": "Edited"},
            "aftersales.contract": {"note": "<p>Edited</p>"},
            "aftersales.contract.line": {"quantity": 2.0},
            "aftersales.kpi.report": {"ticket_count": 2},
            "aftersales.technician.performance": {"hours": 2.0},
            "aftersales.sla.extend.wizard": {"reason": "Edited"},
            "aftersales.repair.override.wizard": {"reason": "Edited"},
            "aftersales.repair.return.wizard": {"signed_by": "Han Meimei"},
            "aftersales.repair.receipt.wizard": {"condition": "Edited"},
            "aftersales.repair.quote.wizard": {"accepted_by": "Han Meimei"},
            "aftersales.repair.consent.wizard": {"how": "By e-mail"},
            "aftersales.repair.inspect.wizard": {"note": "Edited"},
            "aftersales.repair.completion.wizard": {"signed_by": "Han Meimei"},
            "aftersales.rma.close.wizard": {"reason": "Edited"},
            "aftersales.rma.inspect.wizard": {"note": "Edited"},
            "aftersales.rma.override.wizard": {"reason": "Edited"},
            "aftersales.rma.replacement.wizard": {"product_id": self.goods.id},
            "aftersales.contract.cancel.wizard": {"reason": "Edited"},
            "aftersales.export.wizard": {"export": "callback"},
            "aftersales.daily.report.wizard": {"kind": "technician"},
            "aftersales.calendar.day": {"name": "National Day"},
            "aftersales.calendar.day.import": {"filename": "2026.csv"},
        }
        return values[model]

    #: What a role reads besides the written field: what the wizard shows of its record.
    READ_EXTRA = {
        "aftersales.sla.extend.wizard": ["record_name", "current_deadline"],
        "aftersales.repair.override.wizard": ["repair_id", "current_type"],
        "aftersales.repair.return.wizard": ["repair_id"],
        "aftersales.repair.receipt.wizard": ["repair_id"],
        "aftersales.repair.quote.wizard": ["repair_id"],
        "aftersales.repair.consent.wizard": ["repair_id"],
        "aftersales.repair.inspect.wizard": ["repair_id"],
        "aftersales.repair.completion.wizard": ["repair_id"],
        "aftersales.rma.close.wizard": ["rma_id"],
        "aftersales.rma.inspect.wizard": ["rma_id"],
        "aftersales.rma.override.wizard": ["rma_id", "missing_conditions"],
        "aftersales.rma.replacement.wizard": ["rma_id", "returned_product_id"],
        "aftersales.contract.cancel.wizard": ["contract_ids"],
        "aftersales.export.wizard": ["team_id"],
        "aftersales.daily.report.wizard": ["team_id"],
        "aftersales.calendar.day.import": ["calendar_id"],
    }

    #: The records a wizard shows (its refusal may name them).
    SHOWS = {
        "aftersales.sla.extend.wizard": ["aftersales.ticket"],
        "aftersales.repair.override.wizard": ["repair.order"],
    }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def env_of(self, role):
        """The role's environment, in the role's own companies."""
        user = self.users[role]
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids)
        )

    def as_role(self, role, records):
        return records.with_env(self.env_of(role))

    def attempt(self, operation):
        """Run ``operation`` in a savepoint that is always rolled back: True when it
        passed, False when Odoo refused access. Any other error fails the cell."""
        self.last_error = None
        with closing(self.env.cr.savepoint()):
            try:
                operation()
                self.env.flush_all()
            except AccessError as error:
                self.last_error = error
                return False
        return True

    def reference(self, role, model):
        if model in matrix.WIZARDS:
            return self.own_wizards[(role, model)]
        return self.refs[model]

    def fresh_record(self, role, model):
        """A new record to delete, created as superuser (a wizard: the role's own)."""
        if model in matrix.WIZARDS:
            return self._own_wizard(role, model)
        values = self._create_values(model)
        if model == "aftersales.work.entry":
            values["user_id"] = self.users["tech1"].id  # team 1's technician's work
        return self.env[model].create(values)

    def can(self, role, model, operation):
        """Whether the role may do ``operation`` on the model's reference record."""
        if operation == "read":
            return self.can_read(role, model)
        if operation == "create":
            values = self._create_values(model)
            return self.attempt(lambda: self.env_of(role)[model].create(values))
        if operation == "write":
            record = self.as_role(role, self.reference(role, model))
            values = self._write_values(model)
            return self.attempt(lambda: record.write(values))
        if model in matrix.SQL_VIEWS:
            return self.attempt(lambda: self.as_role(role, self.refs[model]).unlink())

        def unlink():
            self.as_role(role, self.fresh_record(role, model)).unlink()

        return self.attempt(unlink)

    def can_read(self, role, model):
        self.last_error = None
        reference = self.reference(role, model)
        fnames = [*self._write_values(model), *self.READ_EXTRA.get(model, []), "display_name"]
        try:
            found = self.env_of(role)[model].search([("id", "=", reference.id)])
            if not found:
                # Invisible, not missing: the record is there and the role's record
                # rules (not, say, an archived fixture) hide it.
                self.assertTrue(self.env[model].search([("id", "=", reference.id)]), model)
                self.assertFalse(self.as_role(role, reference)._filtered_access("read"), model)
                return False
            found.read(fnames)
        except AccessError as error:
            self.last_error = error
            return False
        return True

    def assert_refusal_of(self, role, model, operation):
        """A refusal is Odoo's answer to this operation on this record, not a broken
        fixture: the role has no access right for it at all, or what refuses names
        the record's model (or the record a wizard shows, or a company the role is
        not in), or the guard refuses a link to a record the role may not see."""
        error = self.last_error
        if error is None:
            return  # invisible: the role's search does not find it
        access = self.env_of(role)["ir.model.access"]
        if not access.check(model, operation, raise_exception=False):
            return
        models = {model, *self.SHOWS.get(model, ())}
        if matrix.ROLES[role][3] != "A":
            models.add("res.company")
        self.assertTrue(
            any(f"({name})" in str(error) for name in models)
            or any(message in str(error) for message in GUARD_MESSAGES),
            f"refused for another reason than access to {model}: {error}",
        )

    def check_as_superuser(self, model, operation):
        """The fixture itself works: the superuser does the same without error."""
        if operation == "read" or model in matrix.SQL_VIEWS:
            return
        if operation == "unlink" and model in UNDELETABLE:
            return
        with closing(self.env.cr.savepoint()):
            if operation == "create":
                self.env[model].create(self._create_values(model))
            elif operation == "write":
                self.reference("manager", model).write(self._write_values(model))
            else:
                self.fresh_record("manager", model).unlink()
            self.env.flush_all()

    # ------------------------------------------------------------------
    # The matrix, dimension by dimension
    # ------------------------------------------------------------------
    def test_crud_matrix(self):
        for model, (_reference, _cells) in matrix.CRUD.items():
            self.assertTrue(self.reference("manager", model).exists(), model)
            for operation in matrix.OPERATIONS:
                self.check_as_superuser(model, operation)
                for role in matrix.ROLE_KEYS:
                    with self.subTest(role=role, model=model, op=operation):
                        wanted = matrix.expected(model, role, operation)
                        gap = matrix.KNOWN_GAPS.get((role, model, operation))
                        got = self.can(role, model, operation)
                        if gap:
                            self.assertEqual(
                                got,
                                not wanted,
                                f"Known gap fixed ({gap}): remove it from KNOWN_GAPS",
                            )
                        else:
                            self.assertEqual(
                                got,
                                wanted,
                                f"{role} {'may not' if got else 'should be able to'} "
                                f"{operation} {model} ({self.last_error})",
                            )
                        if not got:
                            self.assert_refusal_of(role, model, operation)

    def _actions(self):
        """action -> (records it acts on, what the role does with them)."""
        solved = self.env.ref("aftersales_service.aftersales_stage_solved")

        def inspect(repair):
            repair._aftersales_inspect(checks=dict.fromkeys(INSPECTION_CHECKS, True))

        return {
            "close_complaint": (self.complaint, lambda t: t.write({"stage_id": solved.id})),
            "override_service_type": (
                self.repair_ref,
                lambda r: r._aftersales_override_service_type("free", "Goodwill"),
            ),
            "inspect_repair": (self.repair_ref, inspect),
            "extend_deadline": (
                self.ticket_ref,
                lambda t: t._sla_extend(4.0, "Parts on order"),
            ),
            "pin_tier": (
                self.customer_a,
                lambda p: p.write(
                    {"aftersales_tier_id": self.tier.id, "aftersales_tier_pinned": True}
                ),
            ),
            "recompute_tiers": (
                self.env["aftersales.tier"],
                lambda tiers: tiers.action_recompute_tiers(),
            ),
            "accept_return_anyway": (
                self.rma_unmet,
                lambda rma: rma._aftersales_override_conditions("Box lost by the courier"),
            ),
            "approve_replacement": (
                self.rma_exchange,
                lambda rma: rma._aftersales_approve_replacement(self.same_value),
            ),
            "create_credit_note": (
                self.rma_inspected,
                lambda rma: rma.action_create_credit_note(),
            ),
            "post_credit_note": (self.credit_note, lambda move: move.action_post()),
            "invoice_repair": (
                self.done_repair,
                lambda repair: repair.action_aftersales_create_invoice(),
            ),
            "renew_contract": (self.contract_ref, lambda contract: contract.action_renew()),
            "read_dashboard": (
                self.team1,
                lambda team: team.env["aftersales.kpi.dashboard"].get_dashboard_data(
                    "quarter", team_id=team.id
                ),
            ),
        }

    def test_key_actions(self):
        actions = self._actions()
        self.assertEqual(set(actions), set(matrix.ACTIONS))
        for action, (records, do) in actions.items():
            allowed = matrix.ACTIONS[action][2]
            for role in matrix.ROLE_KEYS:
                with self.subTest(role=role, action=action):
                    got = self.attempt(
                        lambda records=records, role=role, do=do: do(self.as_role(role, records))
                    )
                    self.assertEqual(
                        got,
                        role in allowed,
                        f"{role} {'may' if got else 'may not'} {action} ({self.last_error})",
                    )

    def test_protected_fields(self):
        cases = [
            (model, fname, group)
            for model, fields_ in matrix.PROTECTED.items()
            for fname, group in fields_.items()
        ]
        for model, fname, group in cases:
            record = self.refs[model]
            value = self._protected_value(record, fname)
            for role in matrix.ROLE_KEYS:
                with self.subTest(role=role, model=model, field=fname):
                    entitled = bool(group) and self.users[role].has_group(group)
                    self.assertEqual(entitled, role in matrix.entitled_roles(group))
                    self._check_protected_write(role, record, {fname: value}, group, model)
        for model, values in matrix.PROTECTED_VALUES.items():
            for fname, states in values.items():
                for state in states:
                    for role in matrix.ROLE_KEYS:
                        with self.subTest(role=role, model=model, field=fname, value=state):
                            self._check_protected_write(
                                role, self.refs[model], {fname: state}, None, model
                            )

    def test_restricted_fields(self):
        for model, restricted in matrix.RESTRICTED_FIELDS.items():
            for fname, roles in restricted.items():
                for role in matrix.ROLE_KEYS:
                    with self.subTest(role=role, model=model, field=fname):
                        wanted = role in roles and matrix.expected(model, role, "read")
                        got = self.attempt(
                            lambda fname=fname, role=role, model=model: self.as_role(
                                role, self.refs[model]
                            ).read([fname])
                        )
                        self.assertEqual(
                            got, wanted, f"{role} {'may' if got else 'may not'} read {fname}"
                        )

    def _check_protected_write(self, role, record, values, group, model):
        fname = next(iter(values))
        wanted = (
            matrix.may_write_protected(model, fname, role)
            if fname in matrix.PROTECTED.get(model, {})
            else False
        )
        got = self.attempt(lambda: self.as_role(role, record).write(values))
        self.assertEqual(
            got, wanted, f"{role} {'may' if got else 'may not'} write {model}.{fname} directly"
        )
        if not got and matrix.expected(model, role, "write"):
            # The role may write the record: what stops it is the guard itself.
            self.assertTrue(
                any(m in str(self.last_error) for m in (GUARD_MESSAGE, GROUP_GUARD_MESSAGE)),
                self.last_error,
            )

    def _protected_value(self, record, fname):
        """A valid new value of ``fname`` on ``record``."""
        field = record._fields[fname]
        current = record[fname]
        if field.type == "many2one":
            targets = {
                "aftersales.tier": self.tier,
                "res.users": self.users["tech1"],
                "res.partner": self.customer_b,
            }
            target = targets.get(field.comodel_name) or self.env[field.comodel_name].search(
                [("id", "not in", current.ids)], limit=1
            )
            self.assertTrue(target, f"no {field.comodel_name} to set {fname} to")
            return target.id
        if field.type == "boolean":
            return not current
        if field.type == "integer":
            return (current or 0) + 1
        if field.type in ("float", "monetary"):
            return (current or 0.0) + 1.0
        if field.type in ("char", "text"):
            return "Set by hand"
        if field.type == "html":
            return "<p>Set by hand</p>"
        if field.type == "selection":
            options = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in options if key != current)
        if field.type == "date":
            return date.today()
        if field.type == "datetime":
            return fields.Datetime.now()
        if field.type == "binary":
            return SIGNATURE
        raise AssertionError(f"no test value for {field.type} field {fname}")

    # ------------------------------------------------------------------
    # The matrix knows the suite
    # ------------------------------------------------------------------
    def test_matrix_covers_the_suite(self):
        suite_models = {
            name
            for name, model in self.env.registry.items()
            if name.startswith("aftersales.") and not model._abstract
        }
        self.assertEqual(suite_models - set(matrix.CRUD), set(), "models missing in the matrix")
        self.assertEqual(
            {name for name in suite_models if self.env[name]._transient}, set(matrix.WIZARDS)
        )
        self.assertEqual(
            {name for name in suite_models if not self.env[name]._auto}, set(matrix.SQL_VIEWS)
        )
        guard = self.env.registry["aftersales.workflow.guard"]
        guarded = {
            name
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, guard)
        }
        for name in sorted(guarded | set(matrix.PROTECTED)):
            with self.subTest(model=name):
                self.assertEqual(
                    self.env[name]._aftersales_workflow_fields(),
                    matrix.PROTECTED.get(name, {}),
                )
        addons = {"aftersales_service", "aftersales_service_report"}
        restricted = {
            (name, fname)
            for name, model in self.env.registry.items()
            for fname, field in model._fields.items()
            if field.groups and field._module in addons and not model._abstract
        }
        listed = {
            (name, fname) for name, fields_ in matrix.RESTRICTED_FIELDS.items() for fname in fields_
        }
        self.assertEqual(restricted, listed, "fields with groups missing in the matrix")
        for role, (_heading, _description, groups, _company) in matrix.ROLES.items():
            with self.subTest(role=role):
                self.assertTrue(all(self.users[role].has_group(group) for group in groups))
