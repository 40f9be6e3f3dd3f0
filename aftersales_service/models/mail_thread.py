import uuid
from collections import defaultdict

from lxml import etree
from markupsafe import escape

from odoo import Command, models
from odoo.tools import SQL, clean_context, split_every

#: ``cr.cache`` key of the QWeb functions compiled for one batch (see IrQweb).
QWEB_COMPILED = "aftersales_qweb_compiled"


class MailThread(models.AbstractModel):
    """The suite's one way to post the same kind of message on many records."""

    _inherit = "mail.thread"

    def _aftersales_render_batch(self, template, fields=("subject", "body_html")):
        """``template._generate_template`` for ``self``, its body compiled once for
        the batch instead of once per record (``IrQweb._compile`` below)."""
        try:
            return template.with_context(aftersales_qweb_compile_once=True)._generate_template(
                self.ids, fields
            )
        finally:
            self.env.cr.cache.pop(QWEB_COMPILED, None)

    def _aftersales_message_post_batch(
        self,
        template=None,
        *,
        bodies=None,
        subjects=None,
        body_suffixes=None,
        partner_ids=None,
        author_id=None,
        attachments=None,
        record_names=None,
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
        email_layout_xmlid=False,
    ):
        """Post one message on each record of ``self``, as ``message_post`` would
        post it record by record, in a constant number of queries per batch.

        ``template`` (a ``mail.template``) is rendered once for the whole batch
        (its subject and body); ``bodies`` / ``subjects`` (``{record id: text}``)
        give or override them. Per-record values are dicts keyed by record id;
        a plain value applies to every record:

        * ``body_suffixes``: HTML (``Markup``) added at the end of the record's
          body, rendered or given (e.g. a line with a link of the record's own);
        * ``partner_ids``: partners notified besides the followers (list of ids);
        * ``author_id``: the author partner id (default: the current user's);
        * ``attachments``: ``{record id: [(name, content), ...]}``, raw content,
          or ``(name, content, info)``: ``info["mimetype"]`` sets the type of the
          file; with ``info["type"] == "url"`` the attachment is a link and
          ``content`` its URL;
        * ``record_names``: the name the e-mail heading shows (default: the
          record's display name).

        What happens is what ``message_post`` + ``_notify_thread`` do, batched:
        the messages are created in one ``create`` (with their parents and
        e-mail references found in one query), the real author follows the
        records in one subscription, the recipients (followers of the subtype
        and the given partners) are read in one query, the inbox notifications
        and the notification e-mails are created in one ``create`` each. What
        stays per record: ``_message_post_after_hook`` (models rely on it, e.g.
        the first response of P2.3: pass ``aftersales_sla_automatic`` in the
        context for automatic messages) and the e-mail layout, rendered per
        record and recipient group (its access button is the record's).

        The e-mails are always queued (``mail.mail`` in state ``outgoing``, sent
        by the mail queue cron), never sent inside the transaction: a batch job
        must not wait on the SMTP server once per record.

        Limits, on purpose: no ``scheduled_date``, no ``mail_post_autofollow``,
        and model overrides of ``_notify_get_recipients`` /
        ``_notify_thread`` are not called (the suite's models have none).

        :return: the new ``mail.message`` records (sudo), in the order of ``self``.
        """
        Message = self.env["mail.message"].sudo()
        if not self:
            return Message
        self = self._fallback_lang()  # as message_post: the layouts' language
        if template:
            rendered = self._aftersales_render_batch(template)
            bodies = bodies or {rid: values["body_html"] for rid, values in rendered.items()}
            subjects = subjects or {rid: values["subject"] for rid, values in rendered.items()}
        bodies, subjects = bodies or {}, subjects or {}

        def per_record(value, record_id, default=None):
            if isinstance(value, dict):
                return value.get(record_id, default)
            return default if value is None else value

        def body_of(record_id):
            body = escape(bodies.get(record_id) or "")
            suffix = per_record(body_suffixes, record_id)
            return body + suffix if suffix else body

        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(subtype_xmlid)
        # Authors: one computation per distinct author, as message_post does it.
        authors = {}
        for record in self:
            wanted = per_record(author_id, record.id)
            if wanted not in authors:
                authors[wanted] = self._message_compute_author(wanted, None, raise_on_email=True)
        reply_tos = {
            email_from: self._notify_get_reply_to(default=email_from)
            for email_from in {email_from for _author, email_from in authors.values()}
        }
        alias_domains = self.sudo()._mail_get_alias_domains(default_company=self.env.company)
        companies = self._mail_get_companies(default=self.env.company)
        names = record_names or {record.id: record.display_name for record in self.sudo()}
        parents, history = self._aftersales_message_thread_heads()
        attachment_ids = self._aftersales_message_attachments(attachments or {})

        values_list = []
        for record in self:
            author, email_from = authors[per_record(author_id, record.id)]
            values = {
                "author_id": author,
                "author_guest_id": False,
                "email_from": email_from,
                "model": self._name,
                "res_id": record.id,
                "body": body_of(record.id),
                "message_type": message_type,
                "parent_id": parents.get(record.id, False),
                "subject": subjects.get(record.id) or False,
                "subtype_id": subtype_id,
                "partner_ids": list(per_record(partner_ids, record.id, []) or []),
                "email_add_signature": True,
                "record_name": per_record(names, record.id) or False,
                "record_alias_domain_id": alias_domains[record.id].id,
                "record_company_id": companies[record.id].id,
                "reply_to": reply_tos[email_from][record.id],
                "attachment_ids": [Command.link(aid) for aid in attachment_ids.get(record.id, [])],
            }
            if email_layout_xmlid:
                values["email_layout_xmlid"] = email_layout_xmlid
            values_list.append(values)
        messages = self._message_create(values_list).sudo()

        # As message_post: the real author follows the records (to get the answers).
        if not self.env.context.get("mail_create_nosubscribe") and message_type != "notification":
            by_author = defaultdict(list)
            for values in values_list:
                real_author = False
                if self.env.user.active:
                    real_author = self.env.user.partner_id.id
                elif values["author_id"]:
                    partner = self.env["res.partner"].browse(values["author_id"])
                    real_author = partner.active and partner.id
                if real_author:
                    by_author[real_author].append(values["res_id"])
            for partner, res_ids in by_author.items():
                self.browse(res_ids)._message_subscribe(partner_ids=[partner])

        for record, message, values in zip(self, messages, values_list, strict=True):
            record._message_post_after_hook(message, values)
        self._aftersales_notify_batch(messages, values_list, history)
        return messages

    def _aftersales_message_thread_heads(self):
        """For each record of ``self``, before posting: the first message (the
        parent of new ones in a flat thread, as ``_message_compute_parent_id``)
        and the last 32 messages e-mail references are taken from (as
        ``_notify_by_email_get_base_mail_values``), in one query."""
        rows = self.env.execute_query(
            SQL(
                """
            SELECT res_id, id, message_id, is_internal, subtype_internal, message_type,
                   has_subtype, first_id
              FROM (SELECT m.res_id, m.id, m.message_id, m.is_internal,
                           COALESCE(st.internal, FALSE) AS subtype_internal,
                           m.message_type, m.subtype_id IS NOT NULL AS has_subtype,
                           min(m.id) FILTER (WHERE m.message_type != 'user_notification')
                               OVER (PARTITION BY m.res_id) AS first_id,
                           row_number() OVER (
                               PARTITION BY m.res_id,
                                   (m.subtype_id IS NOT NULL AND m.message_id IS NOT NULL)
                               ORDER BY m.id DESC) AS rank
                      FROM mail_message m
                 LEFT JOIN mail_message_subtype st ON st.id = m.subtype_id
                     WHERE m.model = %(model)s AND m.res_id = ANY(%(ids)s)) AS ranked
             WHERE rank <= 32 OR id = first_id
            """,
                model=self._name,
                ids=self.ids,
            )
        )
        parents, history = {}, defaultdict(list)
        outgoing_types = ("comment", "auto_comment", "email", "email_outgoing")
        for res_id, mid, message_id, internal, st_internal, mtype, has_subtype, first in rows:
            if self._mail_flat_thread and first:
                parents[res_id] = first
            if has_subtype and message_id:
                history[res_id].append((mid, message_id, internal, st_internal, mtype))
        references = {}
        for res_id, ancestors in history.items():
            ancestors = sorted(ancestors, key=lambda a: a[0], reverse=True)[:32]
            # Public discussions first, as Odoo's references: the 3 best, oldest first.
            ancestors.sort(
                key=lambda a: (
                    not a[2] and not a[3],
                    a[4] in outgoing_types,
                    a[4] != "user_notification",
                ),
                reverse=True,
            )
            references[res_id] = [a[1] for a in sorted(ancestors[:3], key=lambda a: a[0])]
        return parents, references

    def _aftersales_message_attachments(self, attachments):
        """``{record id: [attachment id]}`` for ``{record id: [(name, content)]}``
        (or ``(name, content, info)``, see ``_aftersales_message_post_batch``),
        created in one go on the records (as ``_process_attachments_for_post``)."""
        values, owners = [], []
        for record in self:
            for attachment in attachments.get(record.id) or []:
                name, content = attachment[0], attachment[1]
                info = attachment[2] if len(attachment) > 2 else {}
                if info.get("type") == "url":
                    stored = {"type": "url", "url": content}
                else:
                    raw = content.encode() if isinstance(content, str) else content
                    stored = {"type": "binary", "raw": raw}
                values.append(
                    {
                        "name": name,
                        **stored,
                        "res_model": self._name,
                        "res_id": record.id,
                        **({"mimetype": info["mimetype"]} if info.get("mimetype") else {}),
                    }
                )
                owners.append(record.id)
        if not values:
            return {}
        created = self.env["ir.attachment"].sudo().create(values)
        result = defaultdict(list)
        for owner, attachment in zip(owners, created, strict=True):
            result[owner].append(attachment.id)
        return result

    def _aftersales_notify_batch(self, messages, values_list, references):
        """``_notify_thread`` for a batch of new messages (one per record of
        ``self``): inbox notifications and queued notification e-mails."""
        Followers = self.env["mail.followers"]
        message_type = values_list[0]["message_type"]
        subtype_id = values_list[0]["subtype_id"]
        followers = Followers._get_recipient_data(self, message_type, subtype_id)
        extra_ids = {pid for values in values_list for pid in values["partner_ids"]}
        extra, following = {}, set()
        if extra_ids:
            extra = Followers._get_recipient_data(
                self.browse(), message_type, subtype_id, extra_ids
            )[0]
            # As _get_recipient_data with the records: a given partner following the
            # record (not its subtype) is a follower in the e-mail's recipient groups.
            Followers.flush_model(["res_model", "res_id", "partner_id"])
            following = set(
                self.env.execute_query(
                    SQL(
                        """
            SELECT res_id, partner_id FROM mail_followers
             WHERE res_model = %s AND res_id = ANY(%s) AND partner_id = ANY(%s)
                        """,
                        self._name,
                        self.ids,
                        list(extra_ids),
                    )
                )
            )
        self._aftersales_prepare_portal_links()
        inbox_values, mail_values, notified = [], [], []  # notified: (message, author, pids)
        pushed = []  # (record, message, recipients_data, msg_vals, push partner ids)
        # As _notify_thread_by_email: at most mail.batch_size recipients per e-mail.
        batch_size = (
            int(self.env["ir.config_parameter"].sudo().get_param("mail.batch_size") or 0) or 50
        )
        # A whole new context on purpose (as Odoo's own notification code): the
        # caller's default_* keys must not reach the notifications and e-mails.
        base_env = self.env(context=clean_context(self.env.context))
        for record, message, values in zip(self, messages, values_list, strict=True):
            recipients = dict(followers.get(record.id) or {})
            for pid in values["partner_ids"]:
                if pid not in recipients and pid in extra:
                    recipients[pid] = dict(extra[pid], is_follower=(record.id, pid) in following)
            # As _notify_get_recipients: nobody is told of their own message.
            real_author = values["author_id"]
            if self.env.context.get("mail_notify_author"):
                real_author = False
            elif self.env.user.active:
                real_author = self.env.user.partner_id.id
            recipients_data = [
                data
                for pid, data in recipients.items()
                if not (pid and pid == real_author) and data["active"] is not False
            ]
            for data in recipients_data:
                if data["notif"] == "inbox":
                    inbox_values.append(
                        {
                            "author_id": values["author_id"],
                            "mail_message_id": message.id,
                            "notification_status": "sent",
                            "notification_type": "inbox",
                            "res_partner_id": data["id"],
                        }
                    )
            msg_vals = dict(values, tracking_value_ids=[])
            push_ids = record._extract_partner_ids_for_notifications(
                message, msg_vals, recipients_data
            )
            if push_ids:
                pushed.append((record, message, recipients_data, msg_vals, set(push_ids)))
            emailed = [data for data in recipients_data if data["notif"] == "email"]
            if not emailed:
                continue
            base = record._aftersales_notify_mail_base(message, references.get(record.id, []))
            for _lang, render_values, group in record._notify_get_classified_recipients_iterator(
                message, emailed, msg_vals=msg_vals
            ):
                body = record._notify_by_email_render_layout(
                    message, group, msg_vals=msg_vals, render_values=render_values
                )
                for pids in split_every(batch_size, group.pop("recipients")):
                    mail_values.append(
                        dict(
                            base,
                            body_html=body,
                            recipient_ids=[Command.link(pid) for pid in pids],
                        )
                    )
                    notified.append((message, values["author_id"], list(pids)))
        Notification = base_env["mail.notification"].sudo()
        if inbox_values:
            Notification.create(inbox_values)
        if mail_values:
            mails = base_env["mail.mail"].sudo().create(mail_values)
            Notification.create(
                [
                    {
                        "author_id": author,
                        "is_read": True,
                        "mail_mail_id": mail.id,
                        "mail_message_id": message.id,
                        "notification_status": "ready",
                        "notification_type": "email",
                        "res_partner_id": pid,
                    }
                    for mail, (message, author, pids) in zip(mails, notified, strict=True)
                    for pid in pids
                ]
            )
        self._aftersales_notify_inbox_bus(messages, inbox_values)
        self._aftersales_notify_web_push(pushed)

    def _aftersales_notify_web_push(self, pushed):
        """``_notify_thread_by_web_push`` of the messages whose recipients have a
        browser registered for push notifications, found in one query for the
        batch (most have none: Odoo would search the devices once per message)."""
        push_ids = set().union(*(pids for *_rest, pids in pushed))
        if not push_ids:
            return
        devices = self.env["mail.push.device"].sudo().search([("partner_id", "in", list(push_ids))])
        with_device = set(devices.partner_id.ids)
        for record, message, recipients_data, msg_vals, pids in pushed:
            if pids & with_device:
                record._notify_thread_by_web_push(message, recipients_data, msg_vals)

    def _aftersales_prepare_portal_links(self):
        """What the e-mails' access buttons need, done for the batch at once
        before the per-record layouts (``portal``'s ``_notify_get_recipients_groups``
        would otherwise write them record by record): the records' access tokens
        and their customers' signup state (see ``ResPartner.signup_prepare``)."""
        if not isinstance(self, self.env.registry["portal.mixin"]):
            return
        for record in self.sudo().filtered(lambda r: not r.access_token):
            record.write({"access_token": str(uuid.uuid4())})
        if self.env["res.users"].sudo()._get_signup_invitation_scope() == "b2c":
            customers = self.env["res.partner"].union(
                *self._mail_get_partners(introspect_fields=False).values()
            )
            # Untracked: the write only sets signup_type, and tracking the partner's
            # other fields would cost more than the notification.
            customers.sudo().filtered(lambda p: not p.user_ids).with_context(
                mail_notrack=True
            ).signup_prepare()

    def _aftersales_notify_mail_base(self, message, references):
        """``_notify_by_email_get_base_mail_values`` without its per-record search
        (the references come from ``_aftersales_message_thread_heads``)."""
        self.ensure_one()
        subject = message.subject
        if not subject and hasattr(self, "_message_compute_subject"):
            subject = self._message_compute_subject()
        subject = subject or message.record_name
        values = {
            "mail_message_id": message.id,
            "references": " ".join([*references, message.message_id]),
            "auto_delete": True,
        }
        if subject:
            subject = " ".join(subject.splitlines())
            if subject != message.subject:
                values["subject"] = subject
        headers = {}
        bounce = message.record_alias_domain_id.bounce_email
        if bounce:
            headers["Return-Path"] = bounce
        headers = self._notify_by_email_get_headers(headers=headers)
        if headers:
            values["headers"] = repr(headers)
        return values

    def _aftersales_notify_inbox_bus(self, messages, inbox_values):
        """The live inbox update of ``_notify_thread_by_inbox``: one bus
        notification per message and user whose inbox got it."""
        if not inbox_values:
            return
        by_message = {message.id: message for message in messages}
        users = defaultdict(list)
        partners = self.env["res.partner"].browse({v["res_partner_id"] for v in inbox_values})
        user_of = {partner.id: partner.user_ids[:1] for partner in partners.sudo()}
        for values in inbox_values:
            user = user_of.get(values["res_partner_id"])
            if user:
                users[user].append(by_message[values["mail_message_id"]])
        followers = (
            self.env["mail.followers"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("partner_id", "in", partners.ids),
                ]
            )
        )
        for user, user_messages in users.items():
            for message in user_messages:
                user._bus_send_store(
                    message.with_user(user).with_context(allowed_company_ids=[]),
                    for_current_user=True,
                    add_followers=True,
                    followers=followers.filtered(lambda f, m=message: f.res_id == m.res_id),
                    notification_type="mail.message/inbox",
                )


class ResPartner(models.Model):
    """Part of the batch poster above: its e-mails' access buttons."""

    _inherit = "res.partner"

    def signup_prepare(self, signup_type="signup"):
        """Write the signup type only where it changes. Odoo calls this for the
        customer of every notification e-mail with an access button, and the
        partner ``write`` (tracking, commercial fields) costs more than the rest of
        the notification; the token does not change when the type does not."""
        todo = self.filtered(lambda partner: partner.signup_type != signup_type)
        if todo:
            return super(ResPartner, todo).signup_prepare(signup_type=signup_type)
        return True


class IrQweb(models.AbstractModel):
    """Part of the batch poster above: a template rendered once for a batch."""

    _inherit = "ir.qweb"

    def _compile(self, template):
        """Odoo renders a mail template's body (an inline QWeb source, not a view)
        by compiling it again for every record, which costs more than rendering
        it. Under ``aftersales_qweb_compile_once`` (the batch poster's rendering)
        the compiled functions of one source are kept for the batch: they take
        the record in their values, like a view's compiled once per process."""
        if not (
            isinstance(template, etree._Element)
            and self.env.context.get("aftersales_qweb_compile_once")
        ):
            return super()._compile(template)
        key = (
            etree.tostring(template),
            tuple(
                repr(self.env.context.get(name))
                for name in (*self._get_template_cache_keys(), "raise_on_forbidden_code_for_model")
            ),
        )
        compiled = self.env.cr.cache.setdefault(QWEB_COMPILED, {})
        if key not in compiled:
            compiled[key] = super()._compile(template)
        return compiled[key]
