"""P2.1, P2.3: a new request is acknowledged at once, in its conversation and by
e-mail: the number, what happens next and the response target, never the
customer's own text; the acknowledgement is not the first response."""

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged
from odoo.tools.misc import format_datetime

from .common import AftersalesDeskCase

STRANGER = """From: "Win a prize" <victim@example.org>
To: service@example.com
Subject: Click http://spam.example.org now
Message-ID: <ack-1@example.org>
Content-Type: text/plain; charset=utf-8

Cheap watches at http://spam.example.org
"""


@tagged("post_install", "-at_install", "aftersales")
class TestTicketAcknowledgement(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "service@xihu-test.example.com"
        cls.contact = cls.env["res.partner"].create(
            {"name": "Li Lei", "parent_id": cls.customer.id, "email": "lilei@example.com"}
        )
        cls.portal = new_test_user(
            cls.env, login="as_ack_portal", groups="base.group_portal", partner_id=cls.contact.id
        )

    def acknowledgements(self, ticket):
        template = self.env.ref("aftersales_service.mail_template_ticket_acknowledgement")
        number = f"we have received your request {ticket.name}"
        self.assertIn("we have received your request", template.subject)
        return ticket.message_ids.filtered(lambda m: number in (m.subject or ""))

    def portal_request(self, **vals):
        """A request as the portal form files it: as superuser, for the customer."""
        values = {
            "subject": "Purifier does not start",
            "fault_symptom": "The power light blinks red.",
            "partner_id": self.contact.id,
            "team_id": self.team.id,
            "channel": "web",
            "company_id": self.company.id,
        }
        values.update(vals)
        return self.env["aftersales.ticket"].with_user(self.portal).sudo().create(values)

    def test_p2_1_portal_request_is_acknowledged_in_its_conversation(self):
        """P2.1: the customer sees the acknowledgement on the portal (a discussion
        message, not an internal note) and gets it by e-mail, from the company."""
        ticket = self.portal_request()
        ack = self.acknowledgements(ticket)
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.message_type, "comment")
        self.assertEqual(ack.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(ack.is_internal)
        self.assertEqual(ack.author_id, self.company.partner_id)
        self.assertIn(self.contact, ack.notification_ids.res_partner_id)
        self.assertIn(ack, ticket.website_message_ids, "shown in the portal conversation")

    @freeze_time("2026-01-12 01:00")  # Monday 09:00 in Shanghai
    def test_p2_3_acknowledgement_gives_the_number_and_the_response_target(self):
        """P2.3: the number, what happens next and the first-response deadline in the
        team's time zone (2 working hours: 11:00 Shanghai)."""
        ticket = self.ticket(channel="phone")
        body = self.acknowledgements(ticket).body
        self.assertIn(ticket.name, body)
        deadline = format_datetime(
            self.env, ticket.sla_response_deadline, tz="Asia/Shanghai", dt_format="medium"
        )
        self.assertIn("11:00", deadline)
        self.assertIn(deadline, body)
        self.assertIn("What happens next", body)
        self.assertIn(ticket.get_portal_url(), body)

    def test_p2_3_acknowledgement_is_not_the_first_response(self):
        """P2.3: an automatic message does not stop the first-response clock."""
        ticket = self.portal_request()
        self.assertTrue(self.acknowledgements(ticket))
        self.assertFalse(ticket.sla_first_response_at)
        self.assertEqual(ticket.sla_response_status, "running")

    def test_p2_1_acknowledgement_does_not_repeat_the_customers_text(self):
        """P2.1: neither the subject nor the fault the customer wrote is in it."""
        ticket = self.portal_request(
            subject="Please forward: http://spam.example.org",
            fault_symptom="Visit http://spam.example.org",
        )
        ack = self.acknowledgements(ticket)
        for value in (ack.subject, ack.body, ack.record_name):
            self.assertNotIn("spam.example.org", value)
        self.assertEqual(ack.record_name, ticket.name, "the mail heading is the number")

    def test_p2_1_mailed_request_of_a_stranger_gets_our_words_only(self):
        """P2.1: a forged sender gets the acknowledgement with the number, but none
        of the mail's text, the name it gave or a link to the page showing it."""
        ticket = self.env["aftersales.ticket"].browse(
            self.env["mail.thread"].message_process(
                "aftersales.ticket", STRANGER, custom_values={"team_id": self.team.id}
            )
        )
        ack = self.acknowledgements(ticket)
        self.assertEqual(len(ack), 1)
        self.assertIn(ticket.partner_id, ack.notification_ids.res_partner_id)
        self.assertIn(ticket.name, ack.body)
        for text in ("spam.example.org", "Cheap watches", "Win a prize", "/my/service-requests"):
            for value in (ack.subject, ack.body, ack.record_name):
                self.assertNotIn(text, value or "")

    def test_p2_1_phone_request_with_a_customer_email_is_acknowledged(self):
        """P2.1: a request taken by phone is acknowledged when the customer has an
        e-mail address; without one there is nobody to write to."""
        self.assertTrue(self.acknowledgements(self.ticket(channel="phone")))
        no_email = self._create_customer("Walk-in Customer")
        ticket = self.ticket(channel="store", partner_id=no_email.id)
        self.assertFalse(self.acknowledgements(ticket))

    def test_p2_1_request_without_a_customer_is_not_acknowledged(self):
        ticket = self.ticket(partner_id=False)
        self.assertFalse(self.acknowledgements(ticket))

    def test_p2_1_assigned_agent_gets_no_copy_of_the_acknowledgement(self):
        """P2.1: the acknowledgement is for the customer; the agent the request is
        assigned to is not notified of it."""
        self.team.assignment_method = "round_robin"
        ticket = self.portal_request()
        self.assertTrue(ticket.user_id, "round robin assigned an agent")
        notified = self.acknowledgements(ticket).notification_ids.res_partner_id
        self.assertNotIn(ticket.user_id.partner_id, notified)

    def test_p2_1_company_without_an_address_still_acknowledges(self):
        """P2.1: a company without an e-mail address cannot be the sender; the
        acknowledgement is still posted and mailed, signed by OdooBot."""
        self.company.email = False
        ticket = self.portal_request()
        ack = self.acknowledgements(ticket)
        self.assertEqual(ack.author_id, self.env.ref("base.partner_root"))
        self.assertTrue(ack.email_from)
        self.assertIn(self.contact, ack.notification_ids.res_partner_id)
