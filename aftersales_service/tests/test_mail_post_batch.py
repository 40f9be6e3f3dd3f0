"""The suite's batch poster (``mail.thread._aftersales_message_post_batch``) posts
what ``message_post`` posts, record by record, in a constant number of queries."""

from freezegun import freeze_time

from odoo import sql_db
from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestMailPostBatch(AftersalesDeskCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Mail as in production (BaseCommon turns it off), e-mails queued.
        cls.env = cls.env(
            context={
                "allowed_company_ids": cls.company.ids,
                "mail_notify_force_send": False,
                "aftersales_sla_automatic": True,
            }
        )
        cls.leader.notification_type = "inbox"
        cls.technician.notification_type = "email"
        cls.template = cls.env.ref("aftersales_service.mail_template_ticket_sla_apology")
        cls.tickets = cls.env["aftersales.ticket"].browse()
        for index in range(4):
            customer = cls._create_customer(f"Customer {index}", email=f"c{index}@example.com")
            with freeze_time(cls.utc("2026-01-12 09:00")):  # the same deadlines
                ticket = cls.ticket(partner_id=customer.id, user_id=cls.technician.id)
            ticket.message_subscribe(cls.leader.partner_id.ids)
            cls.tickets |= ticket
        cls.other = cls._create_customer("Copy", email="copy@example.com")

    def shape(self, message):
        """What a post gives, independent of the record it is on."""
        ticket = self.env["aftersales.ticket"].browse(message.res_id)
        first = ticket.message_ids.sorted("id")[:1]
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        customer = ticket.partner_id
        swap = {customer.id: "customer"}

        def who(partners):
            return sorted(str(swap.get(p.id, p.id)) for p in partners)

        return {
            "author": message.author_id,
            "type": (message.message_type, message.subtype_id),
            "subject": message.subject.replace(ticket.name, "<name>"),
            "body": str(message.body).replace(ticket.name, "<name>").replace(customer.name, "<c>"),
            "parent": message.parent_id == first and bool(first),
            "record_name": message.record_name == ticket.display_name,
            "reply_to": bool(message.reply_to),
            "company": message.record_company_id,
            "notifications": sorted(
                (str(swap.get(n.res_partner_id.id, n.res_partner_id.id)), n.notification_type)
                for n in message.notification_ids
            ),
            "mails": sorted(
                (who(mail.recipient_ids), mail.state, mail.auto_delete) for mail in mails
            ),
            "references": all(
                mail.references.split()[-1] == message.message_id
                and len(mail.references.split()) >= 2
                for mail in mails
            ),
            "headers": all(f"aftersales.ticket-{ticket.id}" in mail.headers for mail in mails),
            "layout": all("Our apologies" in mail.body_html for mail in mails),
            "followers": who(ticket.message_partner_ids),
        }

    def test_batch_posts_what_message_post_posts(self):
        single, batch = self.tickets[0], self.tickets[1:]
        rendered = self.template._generate_template(single.ids, ("subject", "body_html"))
        expected = single.message_post(
            body=rendered[single.id]["body_html"],
            subject=rendered[single.id]["subject"],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        messages = batch._aftersales_message_post_batch(self.template)
        self.assertEqual(messages.mapped("res_id"), batch.ids)
        reference = self.shape(expected)
        self.assertIn(("customer", "email"), reference["notifications"])
        self.assertIn((str(self.leader.partner_id.id), "inbox"), reference["notifications"])
        for message in messages:
            self.assertEqual(self.shape(message), reference)

    def test_queries_do_not_grow_with_the_batch(self):
        small, large = self.tickets[:1], self.tickets[1:]
        small._aftersales_message_post_batch(self.template)  # warm the caches
        queries = []
        for records in (small, large):
            self.env.invalidate_all()
            before = sql_db.sql_counter
            records._aftersales_message_post_batch(self.template)
            self.env.flush_all()
            queries.append(sql_db.sql_counter - before)
        self.assertLessEqual(queries[1], queries[0] + 6, queries)

    def test_partners_and_attachments_per_record(self):
        first, second = self.tickets[:2]
        messages = (first | second)._aftersales_message_post_batch(
            bodies={first.id: "One", second.id: "Two"},
            subjects={first.id: "S1", second.id: "S2"},
            partner_ids={second.id: self.other.ids},
            attachments={first.id: [("notice.txt", b"first")]},
        )
        one, two = messages
        self.assertEqual((one.subject, two.subject), ("S1", "S2"))
        self.assertNotIn(self.other, one.notified_partner_ids)
        self.assertIn(self.other, two.notified_partner_ids)
        self.assertEqual(two.partner_ids, self.other)
        self.assertEqual(one.attachment_ids.mapped("raw"), [b"first"])
        self.assertEqual(one.attachment_ids.res_id, first.id)
        self.assertFalse(two.attachment_ids)
