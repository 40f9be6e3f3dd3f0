"""Issue 17: a Chinese-speaking team works the suite in zh_CN or zh_TW, and customers
get their mails and the feedback page in their own language (P8.1, P10.2).

Each language gets the same checks: a form's field label, a selection value, a
refused save (ValidationError) and a mail template rendered for a customer of that
language. The feedback page is an HTTP route: ``TestChineseFeedbackPage``.
"""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesDeskCase, ChineseCatalogues

#: The words each language must show (Simplified, then Traditional with Taiwan usage).
EXPECTED = {
    "zh_CN": {
        "subject": "主题",
        "complaint": "投诉",
        "future": "晚于当前时间",
        "mail_subject": "您对我们的服务满意吗？",
        "mail_button": "填写意见",
        "page_title": "您对我们的服务满意吗？",
        "attitude": "态度",
        "very_satisfied": "非常满意",
    },
    "zh_TW": {
        "subject": "主旨",
        "complaint": "投訴",
        "future": "晚於目前時間",
        "mail_subject": "您對我們的服務滿意嗎？",
        "mail_button": "填寫意見",
        "page_title": "您對我們的服務滿意嗎？",
        "attitude": "態度",
        "very_satisfied": "非常滿意",
    },
}


@tagged("post_install", "-at_install", "aftersales")
class TestChineseInterface(ChineseCatalogues, AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chinese()
        cls.agents = {
            lang: new_test_user(
                cls.env,
                login=f"as_agent_{lang.lower()}",
                groups="base.group_user,aftersales_service.group_aftersales_user",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
                lang=lang,
            )
            for lang in cls.LANGS
        }
        for agent in cls.agents.values():
            cls.team.member_ids = [Command.link(agent.id)]

    def as_agent(self, lang, model):
        """``model`` as the agent working in ``lang``, with the context their browser
        session gets (``res.users.context_get``: language and time zone)."""
        agent = self.agents[lang]
        return self.env[model].with_user(agent).with_context(**agent.with_user(agent).context_get())

    def assert_form_label(self, lang):
        views = self.as_agent(lang, "aftersales.ticket").get_views([(False, "form")])
        fields_ = views["models"]["aftersales.ticket"]["fields"]
        self.assertEqual(fields_["subject"]["string"], EXPECTED[lang]["subject"])

    def assert_selection_value(self, lang):
        Ticket = self.as_agent(lang, "aftersales.ticket")
        types = dict(Ticket.fields_get(["ticket_type"])["ticket_type"]["selection"])
        self.assertEqual(types["complaint"], EXPECTED[lang]["complaint"])

    def assert_validation_error(self, lang):
        """A request back-dated into the future is refused in the agent's language,
        with the time in that language's format (no ISO time)."""
        future = fields.Datetime.now() + timedelta(days=2)
        with self.assertRaises(ValidationError) as refused:
            self.as_agent(lang, "aftersales.ticket").create(
                {
                    "subject": "Purifier does not start",
                    "partner_id": self.customer.id,
                    "team_id": self.team.id,
                    "received_at": future,
                }
            )
        message = str(refused.exception)
        self.assertIn(EXPECTED[lang]["future"], message)
        self.assertNotIn(fields.Datetime.to_string(future)[:10], message)

    def assert_mail_for_customer(self, lang):
        """The feedback request is written in the customer's language, whoever
        (here an English-speaking supervisor) sends it."""
        self.customer.lang = lang
        ticket = self.ticket()
        feedback = self.env["aftersales.feedback"].create(
            {
                "ticket_id": ticket.id,
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "expires_on": fields.Date.today() + timedelta(days=14),
            }
        )
        template = self.env.ref("aftersales_service.mail_template_feedback_request")
        rendered = template.with_user(self.supervisor)._generate_template(
            feedback.ids, ["subject", "body_html"]
        )[feedback.id]
        self.assertEqual(self.supervisor.lang, "en_US")
        self.assertIn(EXPECTED[lang]["mail_subject"], rendered["subject"])
        self.assertIn(EXPECTED[lang]["mail_button"], str(rendered["body_html"]))
        self.assertNotIn("Give your feedback", str(rendered["body_html"]))

    def test_ticket_form_field_label_in_simplified_chinese(self):
        self.assert_form_label("zh_CN")

    def test_ticket_form_field_label_in_traditional_chinese(self):
        self.assert_form_label("zh_TW")

    def test_p6_1_ticket_type_selection_in_simplified_chinese(self):
        self.assert_selection_value("zh_CN")

    def test_p6_1_ticket_type_selection_in_traditional_chinese(self):
        self.assert_selection_value("zh_TW")

    def test_p2_1_future_receipt_refused_in_simplified_chinese(self):
        self.assert_validation_error("zh_CN")

    def test_p2_1_future_receipt_refused_in_traditional_chinese(self):
        self.assert_validation_error("zh_TW")

    def test_p8_1_feedback_request_mail_in_simplified_chinese_for_the_customer(self):
        self.assert_mail_for_customer("zh_CN")

    def test_p8_1_feedback_request_mail_in_traditional_chinese_for_the_customer(self):
        self.assert_mail_for_customer("zh_TW")


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestChineseFeedbackPage(ChineseCatalogues, HttpCase):
    """P8.1, P8.2: the public feedback page speaks the customer's language, as Odoo's
    rating page does, whoever opens the link (here a visitor whose browser asks
    for English)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chinese()
        customers = cls.env["res.partner"].create(
            [{"name": f"Customer {lang}", "lang": lang} for lang in cls.LANGS]
        )
        cls.feedbacks = {}
        for lang, customer in zip(cls.LANGS, customers, strict=True):
            ticket = cls.env["aftersales.ticket"].create(
                {"subject": "Heater fixed", "partner_id": customer.id, "channel": "phone"}
            )
            cls.feedbacks[lang] = cls.env["aftersales.feedback"].create(
                {
                    "ticket_id": ticket.id,
                    "partner_id": customer.id,
                    "company_id": ticket.company_id.id,
                    "access_token": f"token-{lang}",
                    "expires_on": "2099-01-01",
                }
            )

    def assert_page_in(self, lang):
        feedback = self.feedbacks[lang]
        response = self.url_open(
            f"/aftersales/feedback/{feedback.id}?access_token=token-{lang}",
            headers={"Accept-Language": "en-US,en;q=0.9"},
        )
        self.assertEqual(response.status_code, 200)
        for word in ("page_title", "attitude", "very_satisfied"):
            with self.subTest(word=word):
                self.assertIn(EXPECTED[lang][word], response.text)
        self.assertNotIn("How did we do?", response.text)
        self.assertNotIn("Very satisfied", response.text)

    def test_p8_1_feedback_page_in_the_customers_simplified_chinese(self):
        self.assert_page_in("zh_CN")

    def test_p8_1_feedback_page_in_the_customers_traditional_chinese(self):
        self.assert_page_in("zh_TW")
