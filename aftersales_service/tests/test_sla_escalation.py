"""P2.9, P6.4: escalation step by step, each level at most once per target."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestSlaEscalation(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"aftersales_escalation_warning_minutes": 30, "aftersales_escalation_level2_hours": 4}
        )
        cls.activity_type = cls.env.ref("aftersales_service.mail_activity_type_sla_escalation")
        with freeze_time(cls.utc("2026-01-12 09:00")):
            cls.late = cls.ticket()  # response due 11:00, resolution Tue 16:00

    def escalate(self, local):
        with freeze_time(self.utc(local)):
            return self.env["aftersales.sla.policy"]._cron_escalate()

    def escalation_activities(self, user):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "aftersales.ticket"),
                ("res_id", "=", self.late.id),
                ("activity_type_id", "=", self.activity_type.id),
                ("user_id", "=", user.id),
            ]
        )

    def apologies(self):
        return self.late.message_ids.filtered(lambda m: "Our apologies" in (m.subject or ""))

    def test_nothing_escalates_before_the_warning_margin(self):
        self.escalate("2026-01-12 10:29")
        self.assertFalse(self.escalation_activities(self.leader))

    def test_response_due_within_30_minutes_goes_to_the_team_leader(self):
        self.escalate("2026-01-12 10:31")
        self.assertEqual(len(self.escalation_activities(self.leader)), 1)
        self.assertEqual(self.late.sla_response_escalation, 1)

    def test_running_the_cron_twice_creates_one_activity_per_level(self):
        self.escalate("2026-01-12 11:05")
        self.escalate("2026-01-12 11:10")
        self.assertEqual(len(self.escalation_activities(self.leader)), 1)
        self.assertFalse(self.escalation_activities(self.manager))

    def test_missed_by_more_than_4_hours_goes_to_the_manager_once(self):
        self.escalate("2026-01-12 11:05")
        self.escalate("2026-01-12 15:05")
        self.escalate("2026-01-12 15:30")
        self.assertEqual(len(self.escalation_activities(self.manager)), 1)
        self.assertEqual(self.late.sla_response_escalation, 2)

    def test_long_missed_target_takes_both_levels_in_one_run(self):
        self.escalate("2026-01-12 16:00")
        self.assertEqual(len(self.escalation_activities(self.leader)), 1)
        self.assertEqual(len(self.escalation_activities(self.manager)), 1)

    def test_p2_9_both_targets_missed_make_one_activity_per_person(self):
        """Tue 16:05: the response (due Mon 11:00) is missed by more than 4 hours and
        the resolution (due Tue 16:00) is missed: the leader gets one activity for
        both level-1 steps, the manager one for the response's level 2, and the
        ticket one chatter note for the three steps."""
        notes_before = self.late.message_ids
        self.escalate("2026-01-13 16:05")
        self.assertEqual(
            self.escalation_activities(self.leader).summary,
            "First response overdue (level 1); Resolution overdue (level 1)",
        )
        self.assertEqual(
            self.escalation_activities(self.manager).summary, "First response overdue (level 2)"
        )
        notes = (self.late.message_ids - notes_before).filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        )
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.body.count("<p>"), 3)

    def test_p2_9_leader_is_told_once_for_all_escalated_tickets(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            other = self.ticket()
        self.escalate("2026-01-12 10:31")
        told = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.leader.partner_id.ids),
                ("subject", "=", "2 requests escalated to you"),
            ]
        )
        self.assertEqual(len(told), 1)
        self.assertIn(self.late.name, told.body)
        self.assertIn(other.name, told.body)

    def test_p2_9_digest_names_20_tickets_and_counts_the_others(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            for _i in range(20):
                self.ticket()
        self.escalate("2026-01-12 10:31")
        told = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.leader.partner_id.ids),
                ("subject", "=", "21 requests escalated to you"),
            ]
        )
        self.assertEqual(told.body.count("<li>"), 21)
        self.assertIn("… and 1 more", told.body)
        self.assertEqual(
            len(self.env["mail.activity"].search([("user_id", "=", self.leader.id)])), 21
        )

    def test_missed_resolution_sends_exactly_one_apology(self):
        self.escalate("2026-01-13 16:05")
        self.escalate("2026-01-13 16:30")
        self.escalate("2026-01-14 09:00")
        self.assertEqual(len(self.apologies()), 1)
        self.assertIn(self.customer, self.apologies().notified_partner_ids)

    def test_apology_is_not_counted_as_first_response(self):
        self.escalate("2026-01-13 16:05")
        self.assertFalse(self.late.sla_first_response_at)

    def test_step_claimed_by_another_worker_is_not_repeated(self):
        """A concurrent run that already claimed level 1 leaves nothing to do."""
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET sla_response_escalation = 1 WHERE id = %s",
            [self.late.id],
        )
        self.late.invalidate_recordset()
        self.escalate("2026-01-12 11:05")
        self.assertFalse(self.escalation_activities(self.leader))

    def test_answered_ticket_does_not_escalate_its_response(self):
        with freeze_time(self.utc("2026-01-12 10:00")):
            self.late.with_user(self.technician).message_post(
                body="On our way.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.escalate("2026-01-12 11:05")
        self.assertFalse(self.escalation_activities(self.leader))

    def test_paused_ticket_does_not_escalate(self):
        with freeze_time(self.utc("2026-01-12 10:00")):
            self.late.stage_id = self.stage_waiting
        self.escalate("2026-01-12 16:00")
        self.assertFalse(self.escalation_activities(self.leader))

    def test_closed_ticket_does_not_escalate(self):
        with freeze_time(self.utc("2026-01-12 10:00")):
            self.late.stage_id = self.stage_solved
        self.escalate("2026-01-13 17:00")
        self.assertFalse(self.escalation_activities(self.leader))
        self.assertFalse(self.apologies())

    def test_cron_reports_progress_in_batches(self):
        with freeze_time(self.utc("2026-01-12 09:00")):
            for _i in range(3):
                self.ticket()
        with freeze_time(self.utc("2026-01-12 11:05")):
            Ticket = self.env["aftersales.ticket"].with_company(self.company)
            done, remaining = Ticket._sla_escalate_batch(batch_size=2)
            self.assertEqual((done, remaining), (2, 2))
            done, remaining = Ticket._sla_escalate_batch(batch_size=2)
            self.assertEqual((done, remaining), (2, 0))
