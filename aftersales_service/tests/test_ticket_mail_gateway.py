"""P2.1 e-mail intake: mails create tickets, replies thread, late replies follow up."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AftersalesDeskCase

NEW_REQUEST = """From: "Li Lei" <lilei@example.com>
To: service@example.com
Subject: Purifier makes a loud noise
Message-ID: <request-1@example.com>
Date: Mon, 12 Jan 2026 09:00:00 +0800
Content-Type: text/plain; charset=utf-8

It makes a loud noise since yesterday evening.
"""

REPLY = """From: "Li Lei" <lilei@example.com>
To: service@example.com
Subject: Re: Purifier makes a loud noise
Message-ID: <request-2@example.com>
In-Reply-To: <request-1@example.com>
References: <request-1@example.com>
Content-Type: text/plain; charset=utf-8

Any news? It is getting worse.
"""


@tagged("post_install", "-at_install", "aftersales")
class TestTicketMailGateway(AftersalesDeskCase):
    def process(self, raw):
        return self.env["mail.thread"].message_process(
            "aftersales.ticket", raw, custom_values={"team_id": self.team.id}
        )

    def test_mail_creates_a_ticket_from_a_new_sender(self):
        ticket = self.env["aftersales.ticket"].browse(self.process(NEW_REQUEST))
        self.assertEqual(ticket.subject, "Purifier makes a loud noise")
        self.assertTrue(ticket.name.startswith("SR/"))
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id.email, "lilei@example.com")
        self.assertIn("loud noise", ticket.fault_symptom)
        self.assertEqual(ticket.sla_policy_id.channel or "email", "email")

    def test_mail_from_a_known_customer_is_matched_by_email(self):
        raw = NEW_REQUEST.replace("lilei@example.com", "xihu@example.com")
        ticket = self.env["aftersales.ticket"].browse(self.process(raw))
        self.assertEqual(ticket.partner_id, self.customer)

    def test_reply_threads_onto_the_same_ticket(self):
        ticket_id = self.process(NEW_REQUEST)
        count = self.env["aftersales.ticket"].search_count([])
        self.assertEqual(self.process(REPLY), ticket_id)
        self.assertEqual(self.env["aftersales.ticket"].search_count([]), count)
        ticket = self.env["aftersales.ticket"].browse(ticket_id)
        self.assertTrue(ticket.message_ids.filtered(lambda m: "getting worse" in m.body))

    def test_reply_to_a_recently_closed_ticket_reopens_it(self):
        ticket = self.env["aftersales.ticket"].browse(self.process(NEW_REQUEST))
        ticket.stage_id = self.stage_solved
        self.process(REPLY)
        self.assertFalse(ticket.is_closed)

    def test_reply_after_the_reopen_period_opens_a_follow_up(self):
        self.team.reopen_days = 14
        ticket = self.env["aftersales.ticket"].browse(self.process(NEW_REQUEST))
        ticket.stage_id = self.stage_solved
        with freeze_time(ticket.sla_solved_at + timedelta(days=15)):
            self.process(REPLY)
        self.assertTrue(ticket.is_closed)
        follow_up = self.env["aftersales.ticket"].search([("parent_ticket_id", "=", ticket.id)])
        self.assertEqual(len(follow_up), 1)
        self.assertIn("getting worse", follow_up.fault_symptom)
        self.assertFalse(follow_up.is_closed)

    def test_undecodable_body_and_encoded_subject_make_a_complete_ticket(self):
        raw = (
            b"From: buyer@example.com\r\nTo: service@example.com\r\n"
            b"Subject: =?utf-8?b?5rSX6KGj5py6?=\r\nMessage-ID: <odd-1@example.com>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xff\xfe broken \xe6\r\n"
        )
        ticket = self.env["aftersales.ticket"].browse(self.process(raw))
        self.assertEqual(ticket.subject, "洗衣机")
        self.assertIn("broken", ticket.fault_symptom)
        self.assertTrue(ticket.partner_id)
        self.assertTrue(ticket.sla_response_deadline)

    def test_failed_ticket_creation_leaves_no_partner_behind(self):
        other_company = self._create_company("Other Co", with_accounting=False)
        foreign_team = self.env["aftersales.team"].create(
            {"name": "Foreign", "company_id": other_company.id, "resource_calendar_id": False}
        )
        Partner = self.env["res.partner"]
        before = Partner.search_count([("email", "=", "lilei@example.com")])
        with self.assertRaises(Exception):  # noqa: B017 - any refusal will do
            self.env["mail.thread"].message_process(
                "aftersales.ticket",
                NEW_REQUEST,
                custom_values={"team_id": foreign_team.id, "company_id": self.company.id},
            )
        self.assertEqual(Partner.search_count([("email", "=", "lilei@example.com")]), before)

    def test_mail_without_sender_is_refused_cleanly_and_creates_nothing(self):
        Ticket, Partner = self.env["aftersales.ticket"], self.env["res.partner"]
        before = (Ticket.search_count([]), Partner.search_count([]))
        for malformed in ("garbage without any header", "Subject: no sender\n\nhello"):
            with self.assertRaises(ValueError) as refused:
                self.process(malformed)
            self.assertIn("without a sender", str(refused.exception))
        self.assertEqual((Ticket.search_count([]), Partner.search_count([])), before)
