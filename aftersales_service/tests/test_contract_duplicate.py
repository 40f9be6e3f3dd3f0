"""P7.1: a sales rep duplicates a contract to prepare a similar one: the copy is a
draft with the same dates, terms and covered items."""

from odoo.tests import tagged

from .common import AftersalesContractCase


@tagged("post_install", "-at_install", "aftersales")
class TestContractDuplicate(AftersalesContractCase):
    def test_duplicate_is_a_draft_with_the_same_terms_and_covered_items(self):
        contract = self.contract()
        copy = contract.with_user(self.rep).copy()
        self.assertEqual(copy.state, "draft")
        self.assertNotEqual(copy.name, contract.name)
        self.assertEqual(
            (copy.date_start, copy.date_end, copy.labour_free, copy.parts_discount),
            (contract.date_start, contract.date_end, True, 20.0),
        )
        self.assertEqual(copy.line_ids.lot_id, self.serial)
        self.assertEqual(contract.line_ids.lot_id, self.serial)

    def test_duplicate_of_a_covered_serial_is_refused_only_when_activated(self):
        """One serial, one contract at a time: the draft copy can be saved, and its
        activation over the same period is refused with the reason."""
        contract = self.contract()
        copy = contract.copy()
        with self.assertRaisesRegex(Exception, "already covers"):
            copy.action_activate()
