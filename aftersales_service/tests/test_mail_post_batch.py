"""The suite's batch poster (``mail.thread._aftersales_message_post_batch``) posts
what ``message_post`` posts, record by record, in a constant number of queries."""

from unittest.mock import patch

from freezegun import freeze_time
from markupsafe import Markup

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

    def test_body_suffix_and_link_attachments_per_record(self):
        first, second = self.tickets[:2]
        suffix = Markup('<p>Download: <a href="/my/notice/1">notice.pdf</a></p>')
        messages = (first | second)._aftersales_message_post_batch(
            self.template,
            body_suffixes={first.id: suffix},
            attachments={
                first.id: [
                    ("notice.pdf", "/my/notice/1", {"type": "url", "mimetype": "application/pdf"})
                ]
            },
        )
        one, two = messages
        rendered = self.template._generate_template(second.ids, ("subject", "body_html"))
        self.assertEqual(str(two.body), str(rendered[second.id]["body_html"]))
        self.assertTrue(str(one.body).endswith(str(suffix)), one.body)
        self.assertNotIn("Download", str(two.body))
        link = one.attachment_ids
        self.assertEqual(
            (link.type, link.url, link.mimetype, link.name, link.res_model, link.res_id),
            ("url", "/my/notice/1", "application/pdf", "notice.pdf", "aftersales.ticket", first.id),
        )
        self.assertFalse(two.attachment_ids)
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", one.id)])
        self.assertTrue(mails)
        for mail in mails:
            self.assertIn('href="/my/notice/1"', mail.body_html)
            self.assertEqual(mail.attachment_ids, link)

    def test_given_partner_following_without_the_subtype_is_a_follower(self):
        """As message_post: a notified partner who follows the record (not its
        discussions) gets the e-mail of a follower."""
        single, batch = self.tickets[:2]
        note = self.env.ref("mail.mt_note")
        for ticket in (single, batch):
            ticket.message_subscribe(self.other.ids, subtype_ids=note.ids)
        rendered = self.template._generate_template(single.ids, ("subject", "body_html"))
        expected = single.message_post(
            body=rendered[single.id]["body_html"],
            subject=rendered[single.id]["subject"],
            partner_ids=self.other.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        message = batch._aftersales_message_post_batch(
            self.template, partner_ids={batch.id: self.other.ids}
        )

        def mail_of_other(msg):
            mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", msg.id)])
            mail = mails.filtered(lambda m: self.other in m.recipient_ids)
            self.assertEqual(len(mail), 1)
            return mail.body_html.replace(msg.record_name, "<name>")

        self.assertEqual(
            "access_token" in mail_of_other(message), "access_token" in mail_of_other(expected)
        )
        self.assertEqual(
            f"res_id={batch.id}" in mail_of_other(message),
            f"res_id={single.id}" in mail_of_other(expected),
        )

    def test_web_push_to_recipients_with_a_browser(self):
        """As message_post: recipients with a registered browser get the web push,
        looked up once for the batch."""
        self.env["mail.push.device"].sudo().create(
            {
                "partner_id": self.leader.partner_id.id,
                "endpoint": "https://push.test/1",
                "keys": "{}",
            }
        )
        Ticket = type(self.env["aftersales.ticket"])
        pushed = []

        def push(record, message, recipients_data, msg_vals=False, **kwargs):
            pushed.append((record.id, message.id, sorted(r["id"] for r in recipients_data)))

        with patch.object(Ticket, "_notify_thread_by_web_push", push):
            messages = self.tickets[:2]._aftersales_message_post_batch(self.template)
        self.assertEqual(
            [(res_id, mid) for res_id, mid, _pids in pushed],
            list(zip(messages.mapped("res_id"), messages.ids, strict=True)),
        )
        for _res_id, _mid, pids in pushed:
            self.assertIn(self.leader.partner_id.id, pids)
        pushed.clear()
        self.env["mail.push.device"].sudo().search([]).unlink()
        with patch.object(Ticket, "_notify_thread_by_web_push", push):
            self.tickets[2:]._aftersales_message_post_batch(self.template)
        self.assertEqual(pushed, [])
