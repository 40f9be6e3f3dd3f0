"""P8.1-P8.3: every completed service gets one feedback request within 24 h; the
answers are stored, a bad result opens a complaint, the scores feed the customer's
satisfaction (P1.2)."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesDeskCase

GOOD = {
    "technician_attitude": "4",
    "technician_skill": "4",
    "technician_arrival": "3",
    "technician_promise": "4",
    "service_attitude": "5",
    "response_speed": "4",
    "resolution_efficiency": "5",
}
BAD = dict.fromkeys(GOOD, "1")


@tagged("post_install", "-at_install", "aftersales")
class TestFeedback(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_feedback_delay_hours = 2
        cls.company.aftersales_feedback_validity_days = 14
        cls.company.aftersales_feedback_complaint_threshold = 3.0
        cls.Feedback = cls.env["aftersales.feedback"]

    def solved_ticket(self, when="2026-03-02 02:00"):
        with freeze_time(when):
            ticket = self.ticket(user_id=self.technician.id)
            ticket.stage_id = self.stage_solved
        return ticket

    def request(self, when):
        with freeze_time(when):
            self.Feedback._cron_request_feedback()
        return self.Feedback.search([("company_id", "=", self.company.id)])

    def test_request_is_sent_within_24_hours_of_completion(self):
        """P8.1: solved at 02:00, delay 2 h: the 05:00 run sends the request with the
        one-time link, for the customer, technician and team."""
        ticket = self.solved_ticket()
        self.assertFalse(self.request("2026-03-02 03:00"), "not before the delay")
        feedback = self.request("2026-03-02 05:00")
        self.assertEqual(feedback.ticket_id, ticket)
        self.assertEqual(
            (feedback.partner_id, feedback.technician_id, feedback.team_id),
            (self.customer, self.technician, self.team),
        )
        self.assertEqual(feedback.requested_at, datetime(2026, 3, 2, 5, 0))
        self.assertTrue(feedback.access_token)
        mail = feedback.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertEqual(len(mail), 1)
        self.assertIn(feedback.get_portal_url(), str(mail.body))

    def test_request_is_sent_once(self):
        """P8.1: the cron is idempotent: one request per completed record."""
        self.solved_ticket()
        self.request("2026-03-02 05:00")
        again = self.request("2026-03-02 06:00")
        self.assertEqual(len(again), 1)

    def test_cancelled_request_gets_no_feedback_request(self):
        """P8.1: nothing is asked about a cancelled request."""
        with freeze_time("2026-03-02 02:00"):
            ticket = self.ticket()
            ticket.stage_id = self.env.ref("aftersales_service.aftersales_stage_cancelled")
        self.assertFalse(self.request("2026-03-02 05:00"))

    def test_answers_are_stored_once(self):
        """P8.2: the seven criteria and the comment are stored; a second answer is
        refused."""
        self.solved_ticket()
        feedback = self.request("2026-03-02 05:00")
        feedback._submit_answers(dict(GOOD, comment="Quick and polite"))
        self.assertEqual(feedback.state, "answered")
        self.assertEqual(feedback.technician_attitude, "4")
        self.assertEqual(feedback.resolution_efficiency, 5)
        # (4+4+3+4 levels on 0-100: 100, 100, 66.67, 100) / 4
        self.assertAlmostEqual(feedback.technician_score, 91.67, places=2)
        self.assertTrue(feedback.is_satisfied)
        self.assertFalse(feedback.complaint_ticket_id)
        with self.assertRaises(UserError):
            feedback._submit_answers(GOOD)

    def test_missing_rating_is_refused(self):
        """P8.2: every criterion must be rated."""
        self.solved_ticket()
        feedback = self.request("2026-03-02 05:00")
        with self.assertRaises(UserError):
            feedback._submit_answers(dict(GOOD, response_speed=""))
        self.assertEqual(feedback.state, "requested")

    def test_low_score_opens_a_complaint(self):
        """P8.3: an overall score below 3 opens a complaint ticket linked to it."""
        self.solved_ticket()
        feedback = self.request("2026-03-02 05:00")
        feedback._submit_answers(BAD)
        complaint = feedback.complaint_ticket_id
        self.assertEqual(complaint.ticket_type, "complaint")
        self.assertEqual(complaint.partner_id, self.customer)

    def test_comment_flagged_as_complaint_opens_a_complaint(self):
        """P8.3: a good score with a comment flagged as complaint still opens one."""
        self.solved_ticket()
        feedback = self.request("2026-03-02 05:00")
        feedback._submit_answers(dict(GOOD, comment="The invoice was wrong", is_complaint="1"))
        self.assertIn("invoice was wrong", feedback.complaint_ticket_id.fault_symptom)

    def test_link_expires_after_its_validity(self):
        """P8.1: past its 14 days the request expires."""
        self.solved_ticket()
        feedback = self.request("2026-03-02 05:00")
        self.request("2026-03-17 05:00")
        self.assertEqual(feedback.state, "expired")

    def test_scores_feed_the_customers_satisfaction(self):
        """P1.2, P8.3: the average score of the answered feedback is the customer's
        satisfaction metric."""
        self.solved_ticket()
        feedback = self.request("2026-03-02 05:00")
        feedback._submit_answers(GOOD)
        with freeze_time("2026-03-03 05:00"):
            scores = self.env["aftersales.tier"]._satisfaction_by_partner(self.company)
        self.assertAlmostEqual(scores[self.customer.id], feedback.score, places=4)

    def test_technician_reads_only_their_own_feedback(self):
        """P10.2: a technician sees the feedback on their own work only."""
        self.solved_ticket()
        feedback = self.request("2026-03-02 05:00")
        other = self._create_user("as_fb_other_tech", "group_aftersales_user")
        self.assertTrue(feedback.with_user(self.technician).read(["score"]))
        with self.assertRaises(AccessError):
            feedback.with_user(other).read(["score"])
