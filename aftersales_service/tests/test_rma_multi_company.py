"""P5.3, P11.1: refunds of several companies prepared in one batch give each
company its own credit notes, also when the goods were never invoiced."""

from odoo.tests import tagged

from .common import AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestRmaMultiCompany(AftersalesRmaCase):
    """The customer bought 2 units, delivered but not invoiced, from each of two
    companies sharing the database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls._create_company("After-Sales Branch Company")
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=(cls.company | cls.branch).ids)
        )
        cls.home_line = cls.delivered_line(quantity=2)
        cls.branch_line = cls.delivered_line(quantity=2, company=cls.branch)

    def test_p5_3_batch_credit_notes_never_mix_companies(self):
        """P5.3, P11.1: one credit note per company, each in its own company, for
        a batch of returns without an original invoice."""
        home = self.bring_back(self.rma(sale_line_id=self.home_line.id))
        branch = self.bring_back(
            self.rma(sale_line_id=self.branch_line.id, company_id=self.branch.id)
        )
        self.assertFalse(home._original_invoice_line() or branch._original_invoice_line())

        credit_notes = (home | branch).action_create_credit_note()

        self.assertEqual(len(credit_notes), 2)
        self.assertEqual(home.refund_move_id.company_id, self.company)
        self.assertEqual(branch.refund_move_id.company_id, self.branch)
        self.assertEqual(branch.refund_move_id.journal_id.company_id, self.branch)
        for rma in home | branch:
            self.assertEqual(rma.state, "refunded")
            self.assertEqual(rma.refund_move_id.invoice_line_ids.aftersales_rma_id, rma)
            self.assertEqual(rma.refund_move_id.partner_id, self.customer)
