"""P2.2, P2.8, P6.2, P6.5: a request leads to its repair, return or exchange (filled
from the request, for the request's own customer) and follows it: a finished repair
or a settled return solves the request, unless another case is still open or the
request is a complaint that lacks its root cause or corrective action."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SIGNATURE, AftersalesRepairCase, AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestTicketRepair(AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.serial = cls.lot("AP900-0001")
        cls.other_customer = cls._create_customer("Nanjing Gulou Electronics")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Wang Fang", "parent_id": cls.customer.id, "type": "contact"}
        )

    def request(self, **vals):
        return self.ticket(
            **dict(
                {
                    "product_id": self.purifier.id,
                    "category_id": self.noise.id,
                    "user_id": self.technician.id,
                },
                **vals,
            )
        )

    def complaint(self, **vals):
        return self.request(
            **dict(
                {
                    "ticket_type": "complaint",
                    "complaint_category": "quality",
                    "category_id": False,
                    "responsibility": "company",
                    "remedy": "repair",
                },
                **vals,
            )
        )

    def repair_from(self, ticket, user=None, **values):
        """The repair a user saves from the ticket's Create Repair button."""
        user = user or self.technician
        action = ticket.with_user(user).action_create_repair()
        with Form(self.env["repair.order"].with_user(user).with_context(**action["context"])) as f:
            for fname, value in values.items():
                setattr(f, fname, value)
        return f.record

    def test_p2_2_create_repair_fills_customer_product_serial_team_and_fault(self):
        ticket = self.request(
            product_id=self.serial_purifier.id,
            lot_id=self.serial.id,
            fault_symptom="Loud rattle at high speed",
        )
        action = ticket.with_user(self.technician).action_create_repair()
        self.assertEqual(action["res_model"], "repair.order")
        repair_form = Form(
            self.env["repair.order"].with_user(self.technician).with_context(**action["context"])
        )
        self.assertEqual(repair_form.partner_id, self.customer)
        self.assertEqual(repair_form.product_id, self.serial_purifier)
        self.assertEqual(repair_form.lot_id, self.serial)
        self.assertEqual(repair_form.ticket_id, ticket)
        self.assertEqual(repair_form.aftersales_team_id, self.team)
        self.assertEqual(repair_form.aftersales_fault_category_id, self.noise)
        self.assertIn("Loud rattle", repair_form.internal_notes)
        repair = repair_form.save()
        self.assertEqual(ticket.repair_count, 1)
        self.assertEqual(ticket.action_view_repairs()["res_id"], repair.id)

    def test_p2_2_serial_given_as_text_finds_its_lot(self):
        ticket = self.request(product_id=self.serial_purifier.id, serial_number=" AP900-0001 ")
        repair = self.repair_from(ticket)
        self.assertEqual(repair.lot_id, self.serial)

    def test_p2_2_repair_picker_lists_only_the_customers_requests(self):
        own = self.request(partner_id=self.contact.id)
        other = self.request(partner_id=self.other_customer.id)
        repair = self.repair()
        domain = safe_eval(
            repair._fields["ticket_id"].domain,
            {
                "partner_id": repair.partner_id.id,
                "aftersales_commercial_partner_id": repair.aftersales_commercial_partner_id.id,
            },
        )
        offered = self.env["aftersales.ticket"].search(domain)
        self.assertIn(own, offered)
        self.assertNotIn(other, offered)

    def test_p2_2_repair_of_another_customers_request_is_refused(self):
        other = self.request(partner_id=self.other_customer.id)
        repair_form = Form(self.env["repair.order"].with_user(self.technician))
        repair_form.partner_id = self.customer
        repair_form.product_id = self.purifier
        repair_form.ticket_id = other
        with self.assertRaises(ValidationError) as refused:
            repair_form.save()
        message = str(refused.exception)
        self.assertIn(self.customer.name, message)
        self.assertIn(self.other_customer.name, message)

    def test_p2_8_on_site_repair_done_solves_its_request(self):
        ticket = self.request()
        repair = self.repair_from(ticket, aftersales_repair_mode="on_site")
        self.finish(repair)
        self.assertEqual(ticket.stage_id, self.stage_solved)
        self.assertTrue(ticket.is_closed)
        self.assertIn(repair.name, ticket.message_ids[0].body)

    def test_p2_8_carry_in_repair_solves_its_request_once_the_product_is_back(self):
        ticket = self.request()
        repair = self.repair_from(ticket, aftersales_repair_mode="workshop")
        self.finish(repair)
        self.assertFalse(ticket.is_closed, "the product is still in the workshop")
        with Form(
            self.env["aftersales.repair.return.wizard"]
            .with_user(self.technician)
            .with_context(default_repair_id=repair.id)
        ) as wizard:
            wizard.signature = SIGNATURE
            wizard.signed_by = "Li Lei"
        wizard.record.action_confirm()
        self.assertEqual(ticket.stage_id, self.stage_solved)

    def test_p2_8_request_waits_for_its_other_open_repair(self):
        ticket = self.request()
        first = self.repair_from(ticket, aftersales_repair_mode="on_site")
        second = self.repair_from(ticket, aftersales_repair_mode="on_site")
        self.finish(first)
        self.assertFalse(ticket.is_closed)
        self.assertIn(second.name, ticket.message_ids[0].body)
        self.finish(second)
        self.assertEqual(ticket.stage_id, self.stage_solved)

    def test_p2_8_cancelled_repair_does_not_keep_the_request_open(self):
        ticket = self.request()
        dropped = self.repair_from(ticket, aftersales_repair_mode="on_site")
        kept = self.repair_from(ticket, aftersales_repair_mode="on_site")
        dropped.action_repair_cancel()
        self.assertFalse(ticket.is_closed, "a cancelled repair solves nothing")
        self.finish(kept)
        self.assertEqual(ticket.stage_id, self.stage_solved)

    def test_p2_8_request_follows_a_repair_finished_by_another_team(self):
        """The workshop's technician may not write the request: the step is the
        system's."""
        workshop_tech = self._create_user("as_workshop_tech", "group_aftersales_user")
        workshop = self.env["aftersales.team"].create(
            {
                "name": "Workshop",
                "company_id": self.company.id,
                "member_ids": [Command.set(workshop_tech.ids)],
            }
        )
        self.env["aftersales.certification"].create(
            {
                "user_id": workshop_tech.id,
                "categ_id": self.appliances.id,
                "company_id": self.company.id,
            }
        )
        ticket = self.request()
        repair = self.repair_from(ticket, aftersales_repair_mode="on_site")
        repair.write({"aftersales_team_id": workshop.id, "user_id": workshop_tech.id})
        self.assertFalse(ticket.with_user(workshop_tech).has_access("write"))
        repair = repair.with_user(workshop_tech)
        repair.action_validate()
        repair.action_repair_start()
        repair._aftersales_sign(SIGNATURE, "Li Lei")
        repair.action_repair_end()
        self.assertEqual(ticket.stage_id, self.stage_solved)

    def test_p6_5_complaint_lacking_root_cause_stays_in_progress_with_an_activity(self):
        complaint = self.complaint()
        repair = self.repair_from(complaint, aftersales_repair_mode="on_site")
        self.finish(repair)
        self.assertFalse(complaint.is_closed)
        self.assertEqual(complaint.stage_id, self.stage_progress)
        activity = complaint.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.technician)
        self.assertIn("root cause", activity.summary.lower())
        self.assertIn("Root Cause", activity.note)
        self.assertIn("Corrective Action", activity.note)
        with self.assertRaises(ValidationError):
            complaint.stage_id = self.stage_solved

    def test_p6_5_unassigned_complaint_asks_the_agent_who_took_the_call(self):
        self.team.leader_id = False
        complaint = (
            self.env["aftersales.ticket"]
            .with_user(self.technician)
            .create(
                {
                    "subject": "Rattles since delivery",
                    "partner_id": self.customer.id,
                    "team_id": self.team.id,
                    "ticket_type": "complaint",
                    "complaint_category": "quality",
                    "responsibility": "company",
                    "remedy": "repair",
                }
            )
        )
        complaint.user_id = False
        self.finish(self.repair_from(complaint, aftersales_repair_mode="on_site"))
        self.assertEqual(complaint.activity_ids.user_id, self.technician)

    def test_p6_5_recording_root_cause_and_action_completes_the_owners_activity(self):
        complaint = self.complaint()
        self.finish(self.repair_from(complaint, aftersales_repair_mode="on_site"))
        with Form(complaint.with_user(self.technician)) as f:
            f.root_cause = "Fan blade balanced out of tolerance"
        self.assertEqual(len(complaint.activity_ids), 1, "the corrective action is missing")
        with Form(complaint.with_user(self.technician)) as f:
            f.corrective_action = "Balancing checked on every fan at assembly"
        self.assertFalse(complaint.activity_ids)
        complaint.with_user(self.technician).stage_id = self.stage_solved
        self.assertTrue(complaint.is_closed)

    def test_p6_5_complaint_with_root_cause_is_solved_with_its_repair(self):
        complaint = self.complaint(
            root_cause="Fan blade balanced out of tolerance",
            corrective_action="Balancing checked on every fan at assembly",
        )
        self.finish(self.repair_from(complaint, aftersales_repair_mode="on_site"))
        self.assertEqual(complaint.stage_id, self.stage_solved)
        self.assertFalse(complaint.activity_ids)

    def test_p10_2_accountant_opens_a_repair_to_invoice(self):
        """The accountant reads what the repair shows: its goods receipt, its work
        entries and its request's name."""
        ticket = self.request()
        repair = self.repair_from(ticket)
        repair._aftersales_receive_goods("Power cable", "Scratch on top")
        self.env["aftersales.work.entry"].create(
            {
                "repair_id": repair.id,
                "user_id": self.technician.id,
                "description": "Bearing replaced",
                "hours": 1.5,
            }
        )
        self.finish(repair)
        self.assertTrue(repair.aftersales_to_invoice)
        seen = Form(repair.with_user(self.accountant))
        self.assertEqual(seen.ticket_id, ticket)
        self.assertEqual(len(seen.aftersales_goods_receipt_ids), 1)
        self.assertEqual(len(seen.aftersales_work_entry_ids), 1)


@tagged("post_install", "-at_install", "aftersales")
class TestTicketRma(AftersalesRmaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls._create_customer("Huaxin Trading")

    def request(self, **vals):
        return self.ticket(
            **dict(
                {
                    "product_id": self.goods.id,
                    "sale_order_id": self.order.id,
                    "user_id": self.technician.id,
                },
                **vals,
            )
        )

    def rma_from(self, ticket, button="action_create_return"):
        action = getattr(ticket.with_user(self.technician), button)()
        with Form(
            self.env["aftersales.rma"].with_user(self.technician).with_context(**action["context"])
        ) as f:
            f.reason_id = self.reason
            if f.kind == "refund":
                for fname in (
                    "condition_packaging",
                    "condition_accessories",
                    "condition_unused",
                    "condition_proof",
                ):
                    setattr(f, fname, True)
            else:
                f.exchange_condition = "unrepairable"
                f.evidence = "Motor burnt, replacement part discontinued"
        return f.record

    def test_p5_create_return_fills_customer_and_the_order_line(self):
        ticket = self.request()
        rma = self.rma_from(ticket)
        self.assertEqual(rma.kind, "refund")
        self.assertEqual(rma.partner_id, self.customer)
        self.assertEqual(rma.sale_line_id, self.line)
        self.assertEqual(rma.ticket_id, ticket)
        self.assertEqual(rma.team_id, self.team)
        self.assertEqual(ticket.rma_count, 1)

    def test_p4_create_exchange_from_a_complaint_whose_remedy_is_exchange(self):
        complaint = self.request(
            ticket_type="complaint",
            complaint_category="quality",
            responsibility="company",
            remedy="exchange",
        )
        rma = self.rma_from(complaint, "action_create_exchange")
        self.assertEqual(rma.kind, "exchange")
        self.assertEqual(rma.sale_line_id, self.line)

    def test_p2_2_return_of_another_customers_request_is_refused(self):
        other = self.request(partner_id=self.other_customer.id, sale_order_id=False)
        with self.assertRaises(ValidationError):
            self.rma(ticket_id=other.id)

    def test_p5_3_refunded_return_solves_its_request(self):
        ticket = self.request()
        rma = self.rma_from(ticket)
        self.bring_back(rma)
        rma.action_create_credit_note()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(ticket.stage_id, self.stage_solved)
        self.assertIn(rma.name, ticket.message_ids[0].body)

    def test_p5_1_refused_return_leaves_its_request_open(self):
        ticket = self.request()
        rma = self.rma_from(ticket)
        rma._aftersales_refuse("Used and scratched")
        self.assertFalse(ticket.is_closed)
