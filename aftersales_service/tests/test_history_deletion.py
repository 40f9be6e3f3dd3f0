"""P1.1, P8.3, P10.1: the service history is kept. Returns past their draft,
tickets that led to repairs, returns or feedback, and the customers' feedback
cannot be deleted; the user is told what to do instead."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestHistoryDeletion(AftersalesRmaCase):
    def answered_feedback(self, ticket):
        return self._feedback(ticket, "2026-01-10 10:00", ("4", "4", "3", "4"), (5, 4, 4))

    # ------------------------------------------------------------------
    # Returns and exchanges
    # ------------------------------------------------------------------
    def test_p5_3_supervisor_cannot_delete_a_refunded_return(self):
        """P5.3: a refunded return stays: its transfers and credit note refer to it."""
        rma = self.bring_back(self.rma())
        credit_note = rma.action_create_credit_note()
        with self.assertRaises(UserError) as refused:
            rma.with_user(self.supervisor).unlink()
        self.assertIn("cannot be deleted", str(refused.exception))
        self.assertTrue(rma.exists())
        self.assertEqual(credit_note.invoice_line_ids.aftersales_rma_id, rma)
        self.assertEqual(rma.return_picking_id.move_ids.aftersales_rma_id, rma)

    def test_p5_supervisor_is_told_to_cancel_a_return_in_progress(self):
        """P5: a confirmed return is cancelled, not deleted; once cancelled it may go."""
        rma = self.rma()
        rma.action_confirm()
        with self.assertRaises(UserError) as refused:
            rma.with_user(self.supervisor).unlink()
        self.assertIn("cancel it instead", str(refused.exception))
        rma._aftersales_cancel("Entered twice")
        rma.with_user(self.supervisor).unlink()
        self.assertFalse(rma.exists())

    def test_p5_supervisor_deletes_a_draft_return(self):
        """P5: a draft has no history yet: it can be deleted."""
        rma = self.rma()
        rma.with_user(self.supervisor).unlink()
        self.assertFalse(rma.exists())

    def test_p8_3_return_with_feedback_is_not_deleted(self):
        """P8.3: even a cancelled return keeps the feedback given on it."""
        rma = self.rma()
        rma._aftersales_cancel("Withdrawn")
        feedback = self.env["aftersales.feedback"].create(
            {"rma_id": rma.id, "partner_id": self.customer.id, "company_id": self.company.id}
        )
        with self.assertRaises(UserError) as refused:
            rma.with_user(self.supervisor).unlink()
        self.assertIn("has customer feedback", str(refused.exception))
        self.assertTrue(feedback.exists())

    # ------------------------------------------------------------------
    # Tickets and their feedback
    # ------------------------------------------------------------------
    def test_p8_3_supervisor_cannot_delete_a_ticket_with_answered_feedback(self):
        """P8.3: the answers feed the technician's score; the ticket is archived."""
        ticket = self.ticket(user_id=self.technician.id)
        feedback = self.answered_feedback(ticket)
        with self.assertRaises(UserError) as refused:
            ticket.with_user(self.supervisor).unlink()
        message = str(refused.exception)
        self.assertIn("1 customer feedback", message)
        self.assertIn("Archive it instead", message)
        self.assertTrue(ticket.exists())
        self.assertEqual(feedback.ticket_id, ticket)

    def test_p1_1_ticket_that_led_to_a_return_or_a_repair_is_not_deleted(self):
        """P1.1: a ticket with its returns and repairs is service history."""
        ticket = self.ticket()
        self.rma(ticket_id=ticket.id)
        self.env["repair.order"].create(
            {"partner_id": self.customer.id, "product_id": self.goods.id, "ticket_id": ticket.id}
        )
        with self.assertRaises(UserError) as refused:
            ticket.with_user(self.supervisor).unlink()
        message = str(refused.exception)
        self.assertIn("1 repair order(s)", message)
        self.assertIn("1 return(s) or exchange(s)", message)
        ticket.with_user(self.supervisor).action_archive()
        self.assertFalse(ticket.active)

    def test_p1_1_supervisor_deletes_a_bare_ticket(self):
        """P1.1: a ticket with nothing attached may be deleted."""
        ticket = self.ticket()
        ticket.with_user(self.supervisor).unlink()
        self.assertFalse(ticket.exists())

    def test_p8_3_feedback_never_goes_with_its_source(self):
        """P8.3: a repair that Odoo lets go (a draft) cannot take its feedback with
        it: the user is told to cancel the repair instead."""
        repair = self.env["repair.order"].create(
            {"partner_id": self.customer.id, "product_id": self.goods.id}
        )
        feedback = self.env["aftersales.feedback"].create(
            {"repair_id": repair.id, "partner_id": self.customer.id, "company_id": self.company.id}
        )
        with self.assertRaisesRegex(UserError, "cancel the repair instead"):
            repair.unlink()
        self.assertTrue(feedback.exists())
        self.assertEqual(feedback.repair_id, repair)
