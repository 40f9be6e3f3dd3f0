"""P8.3 / P9.2: the technicians' monthly performance, on a hand-computed March 2025.

Technician (certified for purifiers):
  tickets solved: TA on time, TB late; repairs done: R1 (came back: R3 repeats it
  within the repair warranty) and R2 (other fault), both on time; 3 h + 5 h logged;
  feedback FA all "very satisfied" (technician score 100), FB all "satisfied" (66.67).
  -> 2 jobs (the repairs; solved tickets are counted apart, not as jobs), on time
  3/4 = 75 % (jobs and tickets), repeat rate 1/2 = 50 %, 8 h, feedback 83.33,
  score 0.5 * 83.33 + 0.3 * 75 + 0.2 * (100 - 50) = 74.17.

Second technician:
  ticket TC solved on time, feedback FC all "dissatisfied" (33.33), no repair
  -> the repeat component is left out: (0.5 * 33.33 + 0.3 * 100) / 0.8 = 58.33.
"""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesRepairCase

MARCH = date(2025, 3, 1)


@tagged("post_install", "-at_install", "aftersales")
class TestTechnicianPerformance(AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician2 = cls._create_user("as_technician2", "group_aftersales_user")
        cls.power = cls.env.ref("aftersales_service.aftersales_category_fault_power")
        ta = cls._solved_ticket(cls.technician, "2025-03-03 09:00", ontime=True)
        tb = cls._solved_ticket(cls.technician, "2025-03-10 09:00", ontime=False)
        tc = cls._solved_ticket(cls.technician2, "2025-03-11 09:00", ontime=True)

        cls.r1 = cls.repair(user_id=cls.technician.id)
        cls.r2 = cls.repair(user_id=cls.technician.id, aftersales_fault_category_id=cls.power.id)
        for repair, day in ((cls.r1, "2025-03-12 09:00"), (cls.r2, "2025-03-20 09:00")):
            cls.finish(repair)
            repair.with_context(aftersales_sla_skip=True).write(
                {
                    "aftersales_done_at": cls.utc(day),
                    "sla_solved_at": cls.utc(day),
                    "sla_resolution_deadline": cls.utc(day) + timedelta(days=1),
                    "sla_resolution_ontime": 100.0,
                }
            )
        # The same noise on the same purifier within the 3-month repair warranty.
        with freeze_time("2025-03-25 02:00:00"):
            cls.r3 = cls.repair(user_id=cls.technician.id)

        cls.env["aftersales.work.entry"].create(
            [
                {
                    "repair_id": cls.r1.id,
                    "user_id": cls.technician.id,
                    "date": date(2025, 3, 12),
                    "hours": 3,
                    "description": "Bearing replaced",
                },
                {
                    "repair_id": cls.r2.id,
                    "user_id": cls.technician.id,
                    "date": date(2025, 3, 20),
                    "hours": 5,
                    "description": "Power board replaced",
                },
            ]
        )
        cls._level_feedback(ta, "4")
        cls._level_feedback(tb, "3")
        cls._level_feedback(tc, "2")

    @classmethod
    def _solved_ticket(cls, user, received, ontime):
        received_at = cls.utc(received)
        ticket = cls.ticket(received_at=received_at, user_id=user.id)
        ticket.stage_id = cls.stage_solved
        ticket.with_context(aftersales_sla_skip=True).write(
            {
                "sla_solved_at": received_at + timedelta(hours=4),
                "sla_resolution_deadline": received_at + timedelta(hours=8),
                "sla_resolution_ontime": 100.0 if ontime else 0.0,
            }
        )
        return ticket

    @classmethod
    def _level_feedback(cls, ticket, level):
        """Answered feedback 2 h after the solution, rating all four technician
        criteria ``level`` (service criteria 4)."""
        answered = ticket.sla_solved_at + timedelta(hours=2)
        return cls._feedback(ticket, answered, (level,) * 4, (4, 4, 4))

    def row(self, user, as_user=None):
        return (
            self.env["aftersales.technician.performance"]
            .with_user(as_user or self.supervisor)
            .search([("user_id", "=", user.id), ("month", "=", MARCH)])
        )

    # ------------------------------------------------------------------
    # Figures (P8.3)
    # ------------------------------------------------------------------
    def test_jobs_and_on_time_rate(self):
        """P8.3, P9.1: 2 repairs done (the jobs) and 2 tickets solved in March, 3 of
        the 4 within target: 75 %."""
        row = self.row(self.technician)
        self.assertEqual((row.job_count, row.ticket_job_count), (2, 2))
        self.assertAlmostEqual(row.ontime_rate, 75.0)

    def test_repeat_repair_rate(self):
        """P8.3, P3.6: R3 repeats R1 within the repair warranty; 1 of the 2 March
        repairs came back: 50 %, charged to R1's month and technician."""
        self.assertEqual(self.r3.aftersales_previous_repair_id, self.r1)
        row = self.row(self.technician)
        self.assertEqual(row.repeat_repair_count, 1)
        self.assertAlmostEqual(row.repeat_rate, 50.0)

    def test_hours_and_feedback(self):
        """P8.3, P9.1: 3 + 5 = 8 h logged; feedback scores 100 and 66.67 average 83.33."""
        row = self.row(self.technician)
        self.assertAlmostEqual(row.hours, 8.0)
        self.assertEqual(row.feedback_count, 2)
        self.assertAlmostEqual(row.feedback_score, 250 / 3)

    def test_weighted_monthly_score(self):
        """P8.3: 50 % feedback + 30 % on time + 20 % no repeat =
        0.5 * 83.33 + 0.3 * 75 + 0.2 * 50 = 74.17."""
        self.assertAlmostEqual(self.row(self.technician).score, 0.5 * 250 / 3 + 22.5 + 10.0)

    def test_score_without_repairs_reweights(self):
        """P8.3: a technician without repairs is scored on feedback and on-time
        rate only: (0.5 * 33.33 + 0.3 * 100) / 0.8 = 58.33."""
        row = self.row(self.technician2)
        self.assertFalse(row.job_count)
        self.assertAlmostEqual(row.score, (0.5 * 100 / 3 + 30.0) / 0.8)

    # ------------------------------------------------------------------
    # Access (P8.3, P10.2)
    # ------------------------------------------------------------------
    def test_technician_sees_only_own_rows(self):
        """P8.3: a technician's search returns only their own rows."""
        rows = self.env["aftersales.technician.performance"].with_user(self.technician).search([])
        self.assertTrue(rows)
        self.assertEqual(rows.user_id, self.technician)

    def test_technician_cannot_read_another_technicians_score(self):
        """P8.3: reading another technician's row raises AccessError."""
        other = self.row(self.technician2)
        with self.assertRaises(AccessError):
            other.with_user(self.technician).read(["score"])

    def test_supervisor_sees_all_technicians(self):
        """P8.3: supervisors see every technician's rows."""
        rows = (
            self.env["aftersales.technician.performance"]
            .with_user(self.supervisor)
            .search([("month", "=", MARCH)])
        )
        self.assertEqual(rows.user_id, self.technician | self.technician2)
