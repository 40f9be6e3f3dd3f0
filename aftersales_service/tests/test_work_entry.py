"""P9.1 data: technicians' work entries per day and per service type."""

from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesRepairCase


@tagged("post_install", "-at_install", "aftersales")
class TestWorkEntry(AftersalesRepairCase):
    def test_hours_sum_per_day_and_service_type(self):
        paid = self.repair()
        free = self.repair()
        free.with_user(self.supervisor)._aftersales_override_service_type("free", "Warranty")
        monday, tuesday = date(2026, 1, 12), date(2026, 1, 13)
        self.env["aftersales.work.entry"].create(
            [
                {
                    "repair_id": paid.id,
                    "user_id": self.technician.id,
                    "date": monday,
                    "hours": 2,
                    "description": "Diagnosis",
                },
                {
                    "repair_id": paid.id,
                    "user_id": self.technician.id,
                    "date": monday,
                    "hours": 1.5,
                    "description": "Repair",
                },
                {
                    "repair_id": free.id,
                    "user_id": self.technician.id,
                    "date": monday,
                    "hours": 1,
                    "description": "Repair",
                },
                {
                    "repair_id": free.id,
                    "user_id": self.technician.id,
                    "date": tuesday,
                    "hours": 3,
                    "description": "Test",
                },
            ]
        )
        rows = self.env["aftersales.figures"]._technician_work(
            monday, tuesday, users=self.technician
        )
        summary = {(r["period"], r["service_type"]): (r["hours"], r["jobs"]) for r in rows}
        # Neither repair is done: hours logged, no job done yet.
        self.assertEqual(
            summary,
            {(monday, "paid"): (3.5, 0), (monday, "free"): (1.0, 0), (tuesday, "free"): (3.0, 0)},
        )

    def test_repair_card_shows_the_actual_repair_time(self):
        repair = self.repair(
            aftersales_work_entry_ids=[
                Command.create({"user_id": self.technician.id, "hours": 1.25, "description": "A"}),
                Command.create({"user_id": self.technician.id, "hours": 0.75, "description": "B"}),
            ]
        )
        self.assertEqual(repair.aftersales_labour_hours, 2.0)

    def test_more_than_24_hours_a_day_is_refused(self):
        with self.assertRaises(ValidationError):
            self.repair(
                aftersales_work_entry_ids=[
                    Command.create({"user_id": self.technician.id, "hours": 25, "description": "X"})
                ]
            )

    def test_work_in_the_future_is_refused(self):
        with self.assertRaises(ValidationError):
            self.repair(
                aftersales_work_entry_ids=[
                    Command.create(
                        {
                            "user_id": self.technician.id,
                            "hours": 1,
                            "description": "X",
                            "date": date(2999, 1, 1),
                        }
                    )
                ]
            )
