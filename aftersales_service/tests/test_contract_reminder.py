"""P7.2: one month before a maintenance contract ends, the customer receives the
expiry notice (保养到期通知书) and the sales rep a task to win the renewal (争取续约)
— once per term, caught up after a downtime, never doubled; the daily job also
moves contracts through active → expiring → expired by their dates."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AftersalesContractCase


@tagged("post_install", "-at_install", "aftersales")
class TestContractReminder(AftersalesContractCase):
    # ------------------------------------------------------------------
    # The reminder window
    # ------------------------------------------------------------------
    def test_31_days_before_the_end_nothing_is_sent(self):
        """P7.2: the notice goes out one month (30 days by default) before the end,
        not earlier."""
        contract = self.contract()
        with freeze_time("2026-11-30 10:00"):
            self.run_contract_cron()
        self.assertFalse(self.expiry_notices(contract))
        self.assertFalse(self.renewal_activities(contract))
        self.assertFalse(contract.reminder_sent_at)
        self.assertEqual(contract.state, "active")

    def test_30_days_before_the_end_the_customer_gets_one_notice(self):
        """P7.2: the customer receives the expiry notice by e-mail, logged on the
        contract."""
        contract = self.contract()
        with freeze_time("2026-12-01 10:00"):
            self.run_contract_cron()
        notice = self.expiry_notices(contract)
        self.assertEqual(len(notice), 1)
        self.assertIn(contract.name, notice.subject)
        self.assertIn(contract.name, notice.body)
        self.assertIn(self.serial.name, notice.body)
        self.assertNotIn("&lt;", notice.body, "the rendered template is posted as HTML")
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(mail.state, "outgoing", "queued, not sent inside the cron")
        self.assertEqual(contract.reminder_date_end, date(2026, 12, 31))
        self.assertTrue(contract.reminder_sent_at)

    def test_30_days_before_the_end_the_sales_rep_gets_a_win_renewal_task(self):
        """P7.2: the responsible sales rep gets one "Win renewal" activity, due a few
        days later."""
        contract = self.contract()
        with freeze_time("2026-12-01 10:00"):
            self.run_contract_cron()
        activity = self.renewal_activities(contract)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.rep)
        self.assertEqual(activity.date_deadline, date(2026, 12, 6))
        self.assertIn(contract.name, activity.summary)

    def test_cron_twice_sends_one_notice_and_one_task(self):
        """P7.2: each term gets exactly one notice and one task, however often the
        daily job runs."""
        contract = self.contract()
        with freeze_time("2026-12-01 10:00"):
            self.run_contract_cron()
            self.run_contract_cron()
        with freeze_time("2026-12-02 10:00"):
            self.run_contract_cron()
        self.assertEqual(len(self.expiry_notices(contract)), 1)
        self.assertEqual(len(self.renewal_activities(contract)), 1)

    def test_missed_days_are_caught_up_once(self):
        """P7.2: when the job did not run for 10 days, its first run (the end 20
        days away) sends the notice and the task, once."""
        contract = self.contract()
        with freeze_time("2026-12-11 10:00"):
            self.run_contract_cron()
            self.run_contract_cron()
        self.assertEqual(len(self.expiry_notices(contract)), 1)
        activity = self.renewal_activities(contract)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 12, 16))
        self.assertEqual(contract.state, "expiring")

    def test_window_follows_the_company_setting(self):
        """P7.2 (configurable): with a 60-day window, the notice goes out 60 days
        before the end."""
        self.company.aftersales_contract_reminder_days = 60
        contract = self.contract()
        with freeze_time("2026-11-01 10:00"):
            self.run_contract_cron()
        self.assertEqual(len(self.expiry_notices(contract)), 1)
        self.assertEqual(contract.state, "expiring")

    def test_renewed_cancelled_and_draft_contracts_get_nothing(self):
        """P7.2: only contracts in force and not renewed yet are reminded."""
        contracts = (
            self.contract("renewed", lots=self.lot("SN-C-RENEWED"))
            | self.contract("cancelled", lots=self.lot("SN-C-CANCELLED"))
            | self.contract("draft", lots=self.lot("SN-C-DRAFT"))
        )
        with freeze_time("2026-12-01 10:00"):
            self.run_contract_cron()
        for contract in contracts:
            self.assertFalse(self.expiry_notices(contract), contract.state)
            self.assertFalse(self.renewal_activities(contract), contract.state)
        self.assertEqual(contracts.mapped("state"), ["renewed", "cancelled", "draft"])

    def test_end_moved_later_gets_a_notice_for_the_new_term(self):
        """P7.2: the notice is per term; a contract extended to a new end date is
        reminded again before that new end."""
        contract = self.contract()
        with freeze_time("2026-12-01 10:00"):
            self.run_contract_cron()
        contract.date_end = "2027-12-31"
        with freeze_time("2026-12-02 10:00"):
            self.run_contract_cron()
        self.assertEqual(contract.state, "active", "back out of the window")
        self.assertEqual(len(self.expiry_notices(contract)), 1)
        with freeze_time("2027-12-01 10:00"):
            self.run_contract_cron()
        notices = self.expiry_notices(contract)
        self.assertEqual(len(notices), 2)
        self.assertEqual(contract.reminder_date_end, date(2027, 12, 31))
        self.assertEqual(contract.state, "expiring")

    def test_second_worker_after_the_first_claimed_sends_nothing(self):
        """P7.2 (never doubled): a second worker that listed the contract before the
        first one claimed it claims nothing when its turn comes, and sends nothing."""
        contract = self.contract()
        with freeze_time("2026-12-01 10:00"):
            second_worker_candidates = contract
            self.run_contract_cron()
            claimed = second_worker_candidates._claim_reminders()
            claimed._send_reminders()
        self.assertFalse(claimed)
        self.assertEqual(len(self.expiry_notices(contract)), 1)
        self.assertEqual(len(self.renewal_activities(contract)), 1)

    def test_claim_is_per_contract(self):
        """P7.2: the claim returns only the contracts not yet reminded for their
        term."""
        reminded = self.contract()
        fresh = self.contract(lots=self.lot("SN-C-FRESH"))
        with freeze_time("2026-12-01 10:00"):
            self.assertEqual(reminded._claim_reminders(), reminded)
            self.assertEqual((reminded | fresh)._claim_reminders(), fresh)
            self.assertFalse((reminded | fresh)._claim_reminders())

    def test_a_run_sends_one_batch_and_reports_the_rest_to_the_scheduler(self):
        """P7.2: a backlog is sent one committed batch per call; what is left goes to
        Odoo's cron progress, which calls the job again until nothing is left."""
        first = self.contract()
        second = self.contract(lots=self.lot("SN-C-BACKLOG"))
        cron = self.env.ref("aftersales_service.ir_cron_aftersales_contract_reminders")
        Contract = type(self.env["aftersales.contract"])
        with (
            freeze_time("2026-12-01 10:00"),
            patch.object(Contract, "_reminder_batch_size", lambda self: 1),
        ):
            for expected_done, expected_left in ((1, 1), (1, 0), (0, 0)):
                _cron, progress = cron._add_progress()
                self.env["aftersales.contract"].with_context(
                    ir_cron_progress_id=progress.id
                )._cron_contract_reminders()
                self.assertEqual(
                    (progress.done, progress.remaining), (expected_done, expected_left)
                )
        self.assertEqual(len(self.expiry_notices(first)), 1)
        self.assertEqual(len(self.expiry_notices(second)), 1)

    def test_a_batch_is_rendered_as_the_template_renders_each_notice(self):
        """P7.2: the notices of a batch (the body compiled once) are what the mail
        template renders for each contract."""
        contracts = self.contract() | self.contract(lots=self.lot("SN-C-RENDER"))
        template = self.env.ref("aftersales_service.mail_template_contract_expiry")
        expected = template._generate_template(contracts.ids, ("subject", "body_html"))
        rendered = contracts._render_expiry_notices(template)
        for contract in contracts:
            self.assertEqual(rendered[contract.id]["subject"], expected[contract.id]["subject"])
            self.assertEqual(rendered[contract.id]["body_html"], expected[contract.id]["body_html"])
            self.assertEqual(
                type(rendered[contract.id]["body_html"]), type(expected[contract.id]["body_html"])
            )

    # ------------------------------------------------------------------
    # States from dates
    # ------------------------------------------------------------------
    def test_active_contract_becomes_expiring_inside_the_window(self):
        """P7.2: inside the reminder window an active contract is expiring."""
        contract = self.contract()
        with freeze_time("2026-11-30 10:00"):
            self.run_contract_cron()
        self.assertEqual(contract.state, "active")
        with freeze_time("2026-12-01 10:00"):
            self.run_contract_cron()
        self.assertEqual(contract.state, "expiring")

    def test_contract_not_renewed_expires_after_its_end(self):
        """P7.1: a contract still expiring the day after its end has expired (it
        covers its last day)."""
        contract = self.contract("expiring")
        with freeze_time("2026-12-31 10:00"):
            self.run_contract_cron()
        self.assertEqual(contract.state, "expiring", "the last day is covered")
        with freeze_time("2027-01-01 10:00"):
            self.run_contract_cron()
        self.assertEqual(contract.state, "expired")

    def test_contract_ended_before_the_first_run_gets_no_late_notice(self):
        """P7.2: a contract that ended while the job was down expires without an
        expiry notice (nothing left to renew on time)."""
        contract = self.contract()
        with freeze_time("2027-01-02 10:00"):
            self.run_contract_cron()
        self.assertEqual(contract.state, "expired")
        self.assertFalse(self.expiry_notices(contract))
        self.assertFalse(self.renewal_activities(contract))

    def test_cron_twice_changes_no_state_again(self):
        """P7.2: the daily job is idempotent: a second run writes no state."""
        contracts = self.contract() | self.contract(
            lots=self.lot("SN-C-0002"), date_end="2026-12-15"
        )
        Contract = self.env.registry["aftersales.contract"]
        original = Contract.write
        state_writes = []

        def spy(records, vals):
            if "state" in vals and records & contracts:
                state_writes.append(vals["state"])
            return original(records, vals)

        with freeze_time("2026-12-20 10:00"), patch.object(Contract, "write", spy):
            self.run_contract_cron()
            self.assertEqual(sorted(state_writes), ["expired", "expiring"])
            state_writes.clear()
            self.run_contract_cron()
        self.assertEqual(state_writes, [])
        self.assertEqual(contracts.mapped("state"), ["expiring", "expired"])
        self.assertEqual(len(self.expiry_notices(contracts[0])), 1)
