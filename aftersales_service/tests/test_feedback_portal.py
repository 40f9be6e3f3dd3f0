"""P8.1, P8.2: the feedback link works without login, once; expired and wrong links
get a clear page; the link reaches no other record."""

from lxml import html

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestFeedbackPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create({"name": "Wuxi Lakeside Hotel"})
        tickets = cls.env["aftersales.ticket"].create(
            [
                {"subject": "Heater fixed", "partner_id": customer.id, "channel": "phone"},
                {"subject": "Fan fixed", "partner_id": customer.id, "channel": "phone"},
            ]
        )
        cls.feedback, cls.other = cls.env["aftersales.feedback"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "partner_id": customer.id,
                    "company_id": ticket.company_id.id,
                    "access_token": token,
                    "expires_on": "2099-01-01",
                }
                for ticket, token in zip(tickets, ("token-one", "token-two"), strict=True)
            ]
        )

    def url(self, feedback, token):
        return f"/aftersales/feedback/{feedback.id}?access_token={token}"

    def csrf_token_of(self, feedback, token):
        """The CSRF token of the form the link shows (the first feedback's form
        when the target has none to offer)."""
        page = self.url_open(self.url(feedback, token))
        if 'name="csrf_token"' not in page.text:
            page = self.url_open(self.url(self.feedback, "token-one"))
        return html.fromstring(page.content).xpath("//input[@name='csrf_token']/@value")[0]

    def answer(self, feedback, token, **extra):
        data = {
            "csrf_token": self.csrf_token_of(feedback, token),
            "access_token": token,
            "technician_attitude": "4",
            "technician_skill": "4",
            "technician_arrival": "4",
            "technician_promise": "4",
            "service_attitude": "5",
            "response_speed": "5",
            "resolution_efficiency": "5",
            "comment": "Great",
        }
        data.update(extra)
        return self.url_open(f"/aftersales/feedback/{feedback.id}", data=data)

    def test_link_opens_the_form_without_login(self):
        """P8.1: the e-mail's link works for a visitor."""
        response = self.url_open(self.url(self.feedback, "token-one"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Heater fixed", response.text)
        self.assertIn('name="technician_attitude"', response.text)

    def test_answer_is_stored_and_the_link_then_says_so(self):
        """P8.2: submitting stores the answers; reusing the link shows 'already
        answered', not the form."""
        response = self.answer(self.feedback, "token-one")
        self.assertIn("Thank you", response.text)
        self.assertEqual(self.feedback.state, "answered")
        self.assertEqual(self.feedback.comment, "Great")
        again = self.url_open(self.url(self.feedback, "token-one"))
        self.assertIn("Already answered", again.text)
        self.assertNotIn('name="technician_attitude"', again.text)

    def test_expired_link_gets_a_clear_page(self):
        """P8.1: past its validity the link says it expired."""
        self.feedback.expires_on = "2020-01-01"
        response = self.url_open(self.url(self.feedback, "token-one"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("expired", response.text)
        self.assertEqual(self.feedback.state, "expired")

    def test_wrong_token_is_refused(self):
        """P8.1: a wrong token shows a clear page and reads nothing."""
        response = self.url_open(self.url(self.feedback, "guess"))
        self.assertEqual(response.status_code, 404)
        self.assertIn("not valid", response.text)
        self.assertNotIn("Heater fixed", response.text)

    def test_token_of_one_feedback_cannot_answer_another(self):
        """P10.2: the link of one feedback reaches no other record."""
        response = self.answer(self.other, "token-one")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.other.state, "requested")
        self.assertFalse(self.other.comment)
