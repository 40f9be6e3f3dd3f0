"""P6.5: the knowledge base suggests solutions and grows from closed tickets."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestSolution(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.noise = cls.env.ref("aftersales_service.aftersales_category_fault_noise")
        cls.fan = cls.env["aftersales.solution"].create(
            {
                "name": "Fan bearing worn",
                "category_id": cls.noise.id,
                "keywords": "noise, 噪音, rattle",
                "solution": "<p>Replace the fan bearing (part FB-22).</p>",
                "company_id": cls.company.id,
            }
        )
        cls.filter = cls.env["aftersales.solution"].create(
            {
                "name": "Clogged filter",
                "keywords": "weak airflow, 风量小",
                "solution": "<p>Replace the HEPA filter.</p>",
                "company_id": cls.company.id,
            }
        )

    def test_solution_of_the_same_category_is_suggested(self):
        ticket = self.ticket(category_id=self.noise.id, fault_symptom="It stopped working")
        self.assertIn(self.fan, ticket.suggested_solution_ids)

    def test_words_of_the_symptom_suggest_a_solution(self):
        ticket = self.ticket(fault_symptom="Very weak airflow since last week")
        self.assertEqual(ticket.suggested_solution_ids[:1], self.filter)

    def test_chinese_symptom_matches_without_word_breaks(self):
        ticket = self.ticket(fault_symptom="机器运行时有很大的噪音")
        self.assertIn(self.fan, ticket.suggested_solution_ids)

    def test_unrelated_symptom_suggests_nothing(self):
        ticket = self.ticket(subject="Invoice copy", fault_symptom="Please send the invoice")
        self.assertFalse(ticket.suggested_solution_ids)

    def test_applying_a_solution_fills_the_resolution(self):
        ticket = self.ticket(fault_symptom="rattle noise")
        self.fan.with_context(ticket_id=ticket.id).action_apply_to_ticket()
        self.assertEqual(ticket.solution_id, self.fan)
        self.assertIn("FB-22", ticket.resolution_note)
        self.assertEqual(self.fan.use_count, 1)

    def test_closed_ticket_becomes_a_solution_with_one_button(self):
        ticket = self.ticket(
            category_id=self.noise.id,
            fault_symptom="Clicking noise at high speed",
            resolution_note="<p>Tightened the fan blade screw.</p>",
        )
        ticket.stage_id = self.stage_solved
        action = ticket.action_create_solution()
        solution = self.env["aftersales.solution"].browse(action["res_id"])
        self.assertEqual(solution.category_id, self.noise)
        self.assertIn("fan blade", solution.solution)
        self.assertEqual(ticket.solution_id, solution)

    def test_open_ticket_cannot_become_a_solution(self):
        with self.assertRaises(UserError):
            self.ticket().action_create_solution()
