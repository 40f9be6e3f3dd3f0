"""P10.1: fields a workflow owns change only through that workflow: the role check of
an ``action_*`` protects nothing if a plain ``write`` could set the same field
(service-type override P2.4, inspections P3.4 and P5.3, SLA engine P6.3/P6.4, tiers
P1.2, feedback P8.2, contracts P7)."""

from datetime import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.aftersales_service.models.aftersales_sla_mixin import SLA_ENGINE_FIELDS
from odoo.addons.aftersales_service.models.res_partner import ENGINE_COLUMNS

from .common import AftersalesContractCase, AftersalesRmaCase


def sample_value(record, fname):
    """A plausible value of the type of ``fname`` (what an attacker would write)."""
    field = record._fields[fname]
    if field.type == "many2one":
        return record.env[field.comodel_name].search([], limit=1).id
    if field.type == "selection":
        return field.get_values(record.env)[-1]
    return {
        "datetime": datetime(2020, 1, 1, 8, 0),
        "date": fields.Date.to_date("2030-01-01"),
        "float": 999.0,
        "monetary": 0.0,
        "integer": 9,
        "boolean": True,
        "char": "Forged",
        "text": "Forged",
        "html": "<p>Forged</p>",
    }.get(field.type, False)


@tagged("post_install", "-at_install", "aftersales")
class TestRepairWorkflowFields(AftersalesContractCase):
    def test_p2_4_technician_cannot_write_the_service_type(self):
        """P2.4: a paid repair does not become free by writing its type: only the
        supervisor's override (with a reason) or the decision set it."""
        repair = self.repair()
        self.assertEqual(repair.aftersales_service_type, "paid")
        for vals in (
            {"aftersales_service_type": "free"},
            {"aftersales_type_overridden": True},
            {"under_warranty": True},
            {"aftersales_override_reason": "Forged"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                repair.with_user(self.technician).write(vals)
        self.assertEqual(repair.aftersales_service_type, "paid")
        self.assertGreater(repair.aftersales_amount, -1)

    def test_p2_4_supervisor_override_still_works_with_its_reason(self):
        repair = self.repair()
        repair.with_user(self.supervisor)._aftersales_override_service_type(
            "free", "Goodwill after a late visit"
        )
        self.assertEqual(repair.aftersales_service_type, "free")
        self.assertTrue(repair.aftersales_type_overridden)

    def test_p3_4_inspection_cannot_be_forged_and_the_repair_not_closed_without_it(self):
        """P3.4: writing "inspected by the supervisor" or the done state directly is
        refused; the workshop repair stays waiting for the real inspection."""
        repair = self.repair(user_id=self.technician.id)
        repair.action_validate()
        repair._aftersales_accept_quote("Li Lei", "phone")
        repair.with_user(self.technician).action_repair_start()
        for vals in (
            {"aftersales_inspector_id": self.supervisor.id},
            {"aftersales_inspected_on": fields.Datetime.now()},
            {"state": "done"},
            {"aftersales_done_at": fields.Datetime.now()},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                repair.with_user(self.technician).write(vals)
        with self.assertRaises(UserError):
            repair.with_user(self.technician).action_repair_end()
        self.assertEqual(repair.state, "under_repair")

    def test_p2_7_goods_cannot_be_marked_returned_without_the_customer_signature(self):
        repair = self.repair(user_id=self.technician.id)
        receipt = repair._aftersales_receive_goods()
        for vals in ({"state": "returned"}, {"returned_on": fields.Datetime.now()}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                receipt.with_user(self.technician).write(vals)
        self.assertEqual(receipt.state, "received")

    def test_p6_3_sla_engine_fields_are_not_writable_by_technicians(self):
        """P6.3, P6.4: no deadline, escalation level, apology flag, response time or
        extension is written by hand: escalation cannot be silenced nor the
        7-working-day extension cap passed."""
        ticket = self.ticket(user_id=self.technician.id)
        for fname in SLA_ENGINE_FIELDS:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                ticket.with_user(self.technician).write({fname: sample_value(ticket, fname)})
            with self.subTest(field=fname, role="supervisor"), self.assertRaises(AccessError):
                ticket.with_user(self.supervisor).write({fname: sample_value(ticket, fname)})

    def test_p6_3_the_extension_goes_through_its_step(self):
        ticket = self.ticket(user_id=self.technician.id)
        ticket.with_user(self.supervisor)._sla_extend(4.0, "Spare part on order")
        self.assertEqual(ticket.sla_extension_hours, 4.0)

    def test_p1_2_tier_engine_values_and_the_ticket_tier_are_not_writable(self):
        """P1.2: only managers set or pin a tier; the engine's metrics and a
        ticket's tier cannot be written by anyone else."""
        tier = self._tier("GOLD", 1)
        customer = self.customer.with_user(self.supervisor)
        for fname in ENGINE_COLUMNS:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                customer.write({fname: sample_value(self.customer, fname)})
        ticket = self.ticket(user_id=self.technician.id)
        with self.assertRaises(AccessError):
            ticket.with_user(self.technician).write({"customer_tier_id": tier.id})
        self.customer.with_user(self.manager).write(
            {"aftersales_tier_id": tier.id, "aftersales_tier_pinned": True}
        )
        self.assertEqual(self.partner_in(self.customer).aftersales_tier_id, tier)

    def test_p8_2_answered_feedback_cannot_be_rewritten_by_a_supervisor(self):
        ticket = self.ticket(user_id=self.technician.id)
        feedback = self._feedback(ticket, "2026-01-10 10:00", ("2", "2", "2", "2"), (2, 2, 2))
        for vals in ({"service_attitude": 5}, {"technician_skill": "4"}, {"comment": "Great"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                feedback.with_user(self.supervisor).write(vals)
        self.assertEqual(feedback.service_attitude, 2)

    def test_p7_contract_state_and_reminder_change_only_through_their_steps(self):
        """P7.1, P7.2: a contract comes into force through Activate (which checks it
        covers something), its notice is the cron's."""
        draft = self.contract(state="draft")
        for vals in (
            {"state": "active"},
            {"reminder_date_end": draft.date_end},
            {"previous_contract_id": draft.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                draft.with_user(self.rep).write(vals)
        draft.with_user(self.rep).action_activate()
        self.assertNotEqual(draft.state, "draft")

    def test_p1_5_callback_is_done_only_with_its_answer(self):
        callback = self.env["aftersales.callback"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.technician.id,
                "planned_date": fields.Datetime.now(),
            }
        )
        with self.assertRaises(AccessError):
            callback.with_user(self.technician).write({"state": "done"})
        self.assertEqual(callback.state, "planned")


@tagged("post_install", "-at_install", "aftersales")
class TestRmaWorkflowFields(AftersalesRmaCase):
    def test_p5_3_forged_inspection_gives_no_credit_note(self):
        """P5.3: a technician writing "inspected, passed" for goods never returned
        is refused, and the credit note stays impossible."""
        rma = self.rma()
        rma.with_user(self.technician).action_confirm()
        forged = {
            "state": "inspected",
            "inspection_result": "passed",
            "inspected_by": self.supervisor.id,
            "inspected_on": fields.Datetime.now(),
        }
        for fname, value in forged.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                rma.with_user(self.technician).write({fname: value})
        with self.assertRaises(UserError):
            rma.with_user(self.technician).action_create_credit_note()
        self.assertFalse(rma.refund_move_id)

    def test_p5_1_p5_2_override_reasons_are_the_supervisors_step(self):
        rma = self.rma(condition_packaging=False)
        for fname in ("window_override_reason", "conditions_override_reason"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                rma.with_user(self.technician).write({fname: "Forged"})
        rma.with_user(self.supervisor)._aftersales_override_conditions("Box lost by the courier")
        self.assertEqual(rma.conditions_override_reason, "Box lost by the courier")

    def test_p4_2_replacement_product_needs_the_supervisors_approval(self):
        rma = self.rma(kind="exchange")
        other = self.env["product.product"].create({"name": "Other", "list_price": 9999})
        with self.assertRaises(AccessError):
            rma.with_user(self.technician).write({"replacement_product_id": other.id})

    def test_p5_rma_created_in_a_later_state_is_refused(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.rma"].with_user(self.technician).create(
                {
                    "partner_id": self.customer.id,
                    "sale_line_id": self.line.id,
                    "reason_id": self.reason.id,
                    "company_id": self.company.id,
                    "state": "refunded",
                }
            )
