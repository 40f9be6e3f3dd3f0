"""P10.1, P10.2, P11.1: what a user can send — over JSON-RPC, by e-mail or in a form —
cannot reach other customers' or companies' records, break a screen with a number
that is not one, or flood a request; mail to a team stays in the team's company and
our server does not relay a stranger's text."""

import math

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.aftersales_service.models.aftersales_ticket import TEXT_LIMITS

from .common import AftersalesContractCase

UNKNOWN_SENDER = """From: "Someone" <victim@example.org>
To: service@example.com
Subject: Cheap watches, click here
Message-ID: <relay-1@example.org>
Content-Type: text/plain; charset=utf-8

Visit http://spam.example.org for cheap watches.
"""


@tagged("post_install", "-at_install", "aftersales")
class TestHostileInput(AftersalesContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._create_company("After-Sales Branch B")
        cls.team_b = (
            cls.env["aftersales.team"]
            .with_company(cls.company_b)
            .create(
                {
                    "name": "Branch B Service",
                    "company_id": cls.company_b.id,
                    "resource_calendar_id": cls.company_b.resource_calendar_id.id,
                }
            )
        )
        cls.technician_b = cls._create_user(
            "as_technician_b", "group_aftersales_user", cls.company_b
        )
        cls.supervisor_b = cls._create_user(
            "as_supervisor_b", "group_aftersales_supervisor", cls.company_b
        )
        cls.team_b.member_ids = cls.technician_b | cls.supervisor_b
        cls.team2 = cls.env["aftersales.team"].create(
            {"name": "Field Service", "company_id": cls.company.id}
        )
        cls.technician2 = cls._create_user("as_technician2", "group_aftersales_user")
        cls.team2.member_ids = cls.technician2
        cls.ticket_a = cls.ticket(user_id=cls.technician.id)
        customer_contact = cls.env["res.partner"].create(
            {"name": "Li Lei", "parent_id": cls.customer.id, "email": "lilei@example.com"}
        )
        cls.portal = new_test_user(
            cls.env, login="as_portal", groups="base.group_portal", partner_id=customer_contact.id
        )

    def in_company_b(self, user):
        """The environment of a user of company B, working in company B."""
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=self.company_b.ids)
        )

    # ------------------------------------------------------------------
    # Portal and cross-team / cross-company links
    # ------------------------------------------------------------------
    def test_p10_2_portal_customer_cannot_create_a_ticket_over_rpc(self):
        """The portal's form creates requests from a whitelist; a direct create with
        any field (SLA fields, a closed stage, links to others' records) is refused."""
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket"].with_user(self.portal).create(
                {
                    "subject": "Forged",
                    "parent_ticket_id": self.ticket_a.id,
                    "sla_resolution_deadline": "2099-01-01 00:00:00",
                    "stage_id": self.stage_solved.id,
                }
            )

    def test_p10_1_technician_cannot_link_another_teams_ticket(self):
        """A link would show the linked ticket's number and subject: a technician of
        another team may not point at a ticket they cannot see."""
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket"].with_user(self.technician2).create(
                {
                    "subject": "Follow-up",
                    "team_id": self.team2.id,
                    "parent_ticket_id": self.ticket_a.id,
                }
            )

    def test_p11_1_other_companys_technician_cannot_link_our_records(self):
        solution = self.env["aftersales.solution"].create(
            {
                "name": "Clean the fan",
                "solution": "Open the back cover",
                "company_id": self.company.id,
            }
        )
        for link in ({"parent_ticket_id": self.ticket_a.id}, {"solution_id": solution.id}):
            with self.subTest(link=link), self.assertRaises(UserError):
                self.in_company_b(self.technician_b)["aftersales.ticket"].create(
                    dict({"subject": "Probe", "team_id": self.team_b.id}, **link)
                )

    def test_p10_1_link_to_an_id_beyond_any_record_is_refused_cleanly(self):
        with self.assertRaises(ValidationError):
            self.ticket_a.with_user(self.technician).write({"parent_ticket_id": 2**40})

    # ------------------------------------------------------------------
    # Numbers and text
    # ------------------------------------------------------------------
    def test_p9_1_hours_must_be_a_number(self):
        repair = self.repair(user_id=self.technician.id)
        for hours in (math.nan, math.inf, -math.inf):
            with self.subTest(hours=hours), self.assertRaises(ValidationError):
                self.env["aftersales.work.entry"].with_user(self.technician).create(
                    {
                        "repair_id": repair.id,
                        "user_id": self.technician.id,
                        "hours": hours,
                        "description": "Probe",
                    }
                )

    def test_p7_1_contract_terms_are_validated(self):
        """P7.1: a 250 % parts discount (an amount due of -1,125.00), negative prices,
        visits or quantities, or NaN are refused with the reason."""
        contract = self.contract(state="draft")
        for vals in (
            {"parts_discount": 250.0},
            {"parts_discount": -5.0},
            {"parts_discount": math.nan},
            {"price": -100.0},
            {"visits_per_year": -1},
            {"response_hours": -2.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                contract.with_user(self.rep).write(vals)
        with self.assertRaises(ValidationError):
            contract.line_ids.with_user(self.rep).write({"quantity": -1})

    def test_p7_1_contract_without_covered_items_cannot_come_into_force(self):
        contract = self.contract(state="draft", lots=self.env["stock.lot"])
        with self.assertRaises(AccessError):
            contract.with_user(self.rep).write({"state": "active"})
        with self.assertRaises(ValidationError):
            contract.write({"state": "active"})

    def test_p2_2_subject_and_description_have_a_limit(self):
        too_long = "x" * (TEXT_LIMITS["subject"] + 1)
        with self.assertRaises(ValidationError) as refused:
            self.ticket(subject=too_long)
        self.assertIn("at most", str(refused.exception))
        with self.assertRaises(ValidationError):
            self.ticket(fault_symptom="y" * (TEXT_LIMITS["fault_symptom"] + 1))

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
    def process(self, raw, team=None):
        return self.env["mail.thread"].message_process(
            "aftersales.ticket", raw, custom_values={"team_id": (team or self.team).id}
        )

    def test_p2_1_a_strangers_mail_is_not_sent_back_to_them(self):
        """Anyone can forge a sender: the first mail of an unknown sender opens a
        ticket, and nothing carrying its text is mailed back to that address. The
        only message they get is the acknowledgement (P2.1), in our words alone."""
        ticket = self.env["aftersales.ticket"].browse(self.process(UNKNOWN_SENDER))
        self.assertEqual(ticket.partner_id.email, "victim@example.org")
        self.env.flush_all()
        echoed = (
            self.env["mail.mail"]
            .search([("recipient_ids", "in", ticket.partner_id.ids)])
            .filtered(lambda mail: "spam.example.org" in (mail.body_html or ""))
        )
        self.assertFalse(echoed)
        notified = self.env["mail.notification"].search(
            [("res_partner_id", "=", ticket.partner_id.id)]
        )
        acknowledgement = self.env.ref("aftersales_service.mail_template_ticket_acknowledgement")
        self.assertEqual(len(notified), 1, "the acknowledgement only")
        message = notified.mail_message_id
        self.assertIn(ticket.name, message.subject)
        self.assertIn(ticket.name, message.body)
        self.assertEqual(message.record_name, ticket.name)
        for text in ("Cheap watches", "spam.example.org", "Someone"):
            for value in (message.subject, message.body, message.record_name):
                self.assertNotIn(text, value or "", f"{text!r} relayed by {acknowledgement.name}")

    def test_p2_1_a_huge_mail_is_clipped_to_what_a_request_holds(self):
        raw = (
            UNKNOWN_SENDER.replace("Visit http://spam.example.org for cheap watches.", "z" * 200000)
            .replace("Cheap watches, click here", "s" * 5000)
            .replace("relay-1@", "relay-2@")
        )
        ticket = self.env["aftersales.ticket"].browse(self.process(raw))
        self.assertLessEqual(len(ticket.subject), TEXT_LIMITS["subject"])
        self.assertLessEqual(len(ticket.fault_symptom), TEXT_LIMITS["fault_symptom"])
        raw = UNKNOWN_SENDER.replace(
            "Visit http://spam.example.org for cheap watches.", "w" * 5_000_000
        ).replace("relay-1@", "relay-3@")
        ticket = self.env["aftersales.ticket"].browse(self.process(raw))
        incoming = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertLess(len(incoming.body), 300_000)

    def test_p11_1_alias_defaults_cannot_send_mail_to_another_company(self):
        """A company-B supervisor may not make mail to their team open tickets in
        company A (or on another team)."""
        team_b = self.team_b.with_env(self.in_company_b(self.supervisor_b))
        for defaults in (
            f"{{'company_id': {self.company.id}}}",
            f"{{'team_id': {self.team.id}}}",
        ):
            with self.subTest(defaults=defaults), self.assertRaises(ValidationError):
                team_b.write({"alias_defaults": defaults})

    # ------------------------------------------------------------------
    # Segregation (P10.1)
    # ------------------------------------------------------------------
    def test_p10_1_technician_sees_only_their_teams_repairs_callbacks_and_work(self):
        repair = self.repair(user_id=self.technician.id)
        entry = self.env["aftersales.work.entry"].create(
            {
                "repair_id": repair.id,
                "user_id": self.technician.id,
                "hours": 1.0,
                "description": "Checked",
            }
        )
        callback = self.env["aftersales.callback"].create(
            {
                "partner_id": self.customer.id,
                "ticket_id": self.ticket_a.id,
                "planned_date": "2026-01-10 10:00:00",
            }
        )
        for record in (repair, entry, callback):
            with self.subTest(model=record._name):
                self.assertFalse(
                    record.with_user(self.technician2).search([("id", "=", record.id)])
                )
                self.assertTrue(record.with_user(self.technician).search([("id", "=", record.id)]))
                self.assertTrue(record.with_user(self.supervisor).search([("id", "=", record.id)]))

    def test_p10_1_sales_rep_reads_only_their_customers_callbacks(self):
        Callback = self.env["aftersales.callback"]
        theirs = Callback.create(
            {"partner_id": self.customer.id, "planned_date": "2026-01-10 10:00:00"}
        )
        others = Callback.create(
            {"partner_id": self.other_customer.id, "planned_date": "2026-01-10 10:00:00"}
        )
        visible = Callback.with_user(self.rep).search([("id", "in", (theirs | others).ids)])
        self.assertEqual(visible, theirs)

    def test_p10_1_technician_edits_only_their_own_work_entries(self):
        repair = self.repair(user_id=self.technician.id)
        self.team.member_ids |= self.technician2
        theirs = self.env["aftersales.work.entry"].create(
            {
                "repair_id": repair.id,
                "user_id": self.technician2.id,
                "hours": 2.0,
                "description": "Diagnosis",
            }
        )
        as_tech = theirs.with_user(self.technician)
        self.assertEqual(as_tech.hours, 2.0)
        with self.assertRaises(AccessError):
            as_tech.write({"hours": 0.5})
        with self.assertRaises(AccessError):
            as_tech.unlink()
        with self.assertRaises(AccessError):
            self.env["aftersales.work.entry"].with_user(self.technician).create(
                {
                    "repair_id": repair.id,
                    "user_id": self.technician2.id,
                    "hours": 1.0,
                    "description": "In someone else's name",
                }
            )
        theirs.with_user(self.supervisor).write({"hours": 1.5})
        self.assertEqual(theirs.hours, 1.5)

    def test_p11_1_accountant_error_does_not_name_another_companys_repair(self):
        repair_b = self.in_company_b(self.env.ref("base.user_root"))["repair.order"].create(
            {"partner_id": self.customer.id, "company_id": self.company_b.id}
        )
        with self.assertRaises(AccessError) as refused:
            repair_b.with_user(self.accountant).action_aftersales_create_invoice()
        self.assertNotIn(repair_b.name, str(refused.exception))

    def test_p7_1_contract_lines_need_positive_quantities(self):
        with self.assertRaises(ValidationError):
            self.contract(
                state="draft",
                line_ids=[Command.create({"product_id": self.purifier.id, "quantity": 0})],
            )
