"""P1.2, P8.3: a customer's satisfaction is the average score of the feedback they
answered over the grading window; without any answer there is no figure ("No
feedback yet"), not a satisfaction of 0."""

from lxml import etree

from odoo.tests import tagged
from odoo.tools import SQL

from .common import AftersalesDeskCase


@tagged("post_install", "-at_install", "aftersales")
class TestCustomerSatisfaction(AftersalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.silent = cls._create_customer("Silent Customer")
        cls._invoice(cls.silent, 500.0, cls.company._aftersales_today())

    def stored_satisfaction(self, partner):
        """The engine's stored value for the company (None: no figure)."""
        self.env.flush_all()
        [(value,)] = self.env.execute_query(
            SQL(
                "SELECT aftersales_satisfaction->>%s FROM res_partner WHERE id = %s",
                str(self.company.id),
                partner.id,
            )
        )
        return value

    def test_p1_2_customer_without_feedback_has_no_satisfaction_figure(self):
        self.recompute_tiers()
        self.assertIsNone(self.stored_satisfaction(self.silent))

    def test_p1_2_customer_with_feedback_gets_the_average_score(self):
        ticket = self._sla_ticket("2026-01-05 09:00", (1.0, True), (4.0, True))
        ticket.partner_id = self.silent
        self._feedback(
            ticket, self.company._aftersales_today().isoformat() + " 08:00", ("4",) * 4, (5, 5, 5)
        )
        self.recompute_tiers()
        self.assertEqual(float(self.stored_satisfaction(self.silent)), 5.0)

    def test_p1_2_customer_without_feedback_does_not_meet_a_minimum_satisfaction(self):
        """P1.2: no answered feedback is no satisfaction to meet a tier's minimum."""
        tier = self._tier("satisfied", 1, min_satisfaction=1.0)
        catch_all = self._tier("everyone", 9)
        self.recompute_tiers()
        self.assertNotEqual(self.partner_in(self.silent).aftersales_tier_id, tier)
        self.assertEqual(self.partner_in(self.silent).aftersales_tier_id, catch_all)

    def test_p1_2_customer_form_says_no_feedback_instead_of_0(self):
        """P1.2: the form shows "No feedback yet" while the satisfaction is empty."""
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        form = etree.fromstring(arch)
        [note] = form.xpath("//div[hasclass('o_aftersales_no_feedback')]")
        self.assertEqual(note.text.strip(), "No feedback yet")
        self.assertEqual(note.get("invisible"), "aftersales_satisfaction")
        [figure] = form.xpath("//field[@name='aftersales_satisfaction']")
        self.assertEqual(figure.get("invisible"), "not aftersales_satisfaction")
