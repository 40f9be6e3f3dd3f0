"""P7.3: renewing a maintenance contract produces the next contract and the
quotation that bills it; the customer's acceptance puts it in force. P7.1: one
serial is covered by one contract at a time, over a valid period."""

from datetime import date

from freezegun import freeze_time
from psycopg2.errors import CheckViolation

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import AftersalesContractCase


@tagged("post_install", "-at_install", "aftersales")
class TestContractRenewal(AftersalesContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part_lot = cls.lot("SN-C-0002")
        cls.old = cls.contract(
            "expiring",
            lots=cls.serial | cls.part_lot,
            visits_per_year=2,
            response_hours=4,
            resolution_hours=24,
            note="<p>Filters replaced every six months.</p>",
        )

    def renew(self, contract=None, user=None):
        contract = contract or self.old
        if user:
            contract = contract.with_user(user)
        action = contract.action_renew()
        order = self.env["sale.order"].browse(action["res_id"])
        return order.aftersales_contract_id, order

    def cancel(self, contract, reason):
        """Cancel ``contract`` as the Cancel button does: through its wizard."""
        action = contract.action_open_cancel_wizard()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = reason
        wizard.save().action_confirm()

    # ------------------------------------------------------------------
    # The successor
    # ------------------------------------------------------------------
    def test_successor_is_a_draft_from_the_day_after_the_end_for_the_same_length(self):
        """P7.3: a one-year term 2026-01-01..2026-12-31 renews to 2027-01-01..
        2027-12-31, as a draft until the customer accepts."""
        with freeze_time("2026-12-05 10:00"):
            successor, _order = self.renew()
        self.assertEqual(successor.state, "draft")
        self.assertEqual(successor.previous_contract_id, self.old)
        self.assertEqual(self.old.next_contract_id, successor)
        self.assertEqual(
            (successor.date_start, successor.date_end), (date(2027, 1, 1), date(2027, 12, 31))
        )
        self.assertNotEqual(successor.name, self.old.name)

    def test_odd_length_term_renews_for_the_same_number_of_days(self):
        """P7.3: a term of whole months renews for the same months; any other term
        for the same number of days."""
        quarter = self.contract(
            lots=self.lot("SN-C-Q"), date_start="2026-10-01", date_end="2026-12-31"
        )
        odd = self.contract(
            lots=self.lot("SN-C-ODD"), date_start="2026-12-01", date_end="2026-12-20"
        )
        self.assertEqual(quarter._renewal_end(date(2027, 1, 1)), date(2027, 3, 31))
        self.assertEqual(odd._renewal_end(date(2026, 12, 21)), date(2027, 1, 9))

    def test_successor_keeps_the_terms_and_the_covered_items(self):
        """P7.1, P7.3: the next contract covers the same serials on the same terms,
        for the same customer and sales rep."""
        with freeze_time("2026-12-05 10:00"):
            successor, _order = self.renew()
        fields_ = [
            "partner_id",
            "user_id",
            "company_id",
            "labour_free",
            "parts_discount",
            "visits_per_year",
            "response_hours",
            "resolution_hours",
            "product_id",
            "note",
        ]
        for fname in fields_:
            self.assertEqual(successor[fname], self.old[fname], fname)
        self.assertEqual(
            sorted((i.product_id.id, i.lot_id.name, i.quantity) for i in successor.line_ids),
            sorted((i.product_id.id, i.lot_id.name, i.quantity) for i in self.old.line_ids),
        )
        self.assertFalse(successor.line_ids & self.old.line_ids, "copies, not moved lines")
        self.assertFalse(successor.reminder_date_end)

    def renew_with_pricelist(self, name, rule):
        """``renew()`` for a customer whose pricelist ``name`` has the one ``rule``."""
        pricelist = self.env["product.pricelist"].create(
            {
                "name": name,
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "item_ids": [Command.create(rule)],
            }
        )
        self.partner_in(self.customer).property_product_pricelist = pricelist
        with freeze_time("2026-12-05 10:00"):
            return self.renew()

    def test_renewal_price_is_the_old_price_without_a_pricelist_rule(self):
        """P7.3: without a price for the contract product on the customer's
        pricelist, the next term costs what this one did."""
        with freeze_time("2026-12-05 10:00"):
            successor, _order = self.renew()
        self.assertEqual(successor.price, 1200.0)

    def test_renewal_price_comes_from_the_customers_pricelist_rule(self):
        """P7.3: a pricelist rule for the contract product prices the next term."""
        successor, order = self.renew_with_pricelist(
            "Contracts 2027",
            {
                "applied_on": "0_product_variant",
                "product_tmpl_id": self.contract_product.product_tmpl_id.id,
                "product_id": self.contract_product.id,
                "compute_price": "fixed",
                "fixed_price": 1380.0,
            },
        )
        self.assertEqual(successor.price, 1380.0)
        self.assertEqual(order.order_line.price_unit, 1380.0)

    def test_general_pricelist_discount_does_not_price_the_renewal(self):
        """P7.3: a rule for every product (10 % off) is not a price of the contract
        product: the next term keeps the contract's price, not 10 % off a list price
        of 0."""
        successor, order = self.renew_with_pricelist(
            "Loyal customers",
            {"applied_on": "3_global", "compute_price": "percentage", "percent_price": 10},
        )
        self.assertEqual(successor.price, 1200.0)
        self.assertEqual(order.order_line.price_unit, 1200.0)

    def test_renewal_quotation_bills_the_successor_for_the_sales_rep(self):
        """P7.3: the quotation of the renewal: the customer, the rep, one line of the
        contract product at the contract price."""
        with freeze_time("2026-12-05 10:00"):
            successor, order = self.renew()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.user_id, self.rep)
        self.assertEqual(order.company_id, self.company)
        self.assertEqual(order.aftersales_contract_id, successor)
        self.assertEqual(successor.sale_order_id, order)
        self.assertEqual(order.origin, self.old.name)
        line = order.order_line
        self.assertEqual(len(line), 1)
        self.assertEqual(line.product_id, self.contract_product)
        self.assertEqual((line.product_uom_qty, line.price_unit), (1.0, 1200.0))
        self.assertIn(successor.name, line.name)

    # ------------------------------------------------------------------
    # The customer's answer
    # ------------------------------------------------------------------
    def test_confirming_the_quotation_activates_the_successor_and_renews_the_old(self):
        """P7.3: the customer accepts: the next contract is in force, the old one is
        renewed (and still covers until its own end)."""
        with freeze_time("2026-12-05 10:00"):
            successor, order = self.renew()
            order.action_confirm()
        self.assertEqual(successor.state, "active")
        self.assertEqual(self.old.state, "renewed")

    def test_confirming_the_quotation_closes_the_reps_renewal_task(self):
        """P7.2, P7.3: once renewed, the rep's "Win renewal" task is done."""
        with freeze_time("2026-12-01 10:00"):
            self.run_contract_cron()
        self.assertEqual(len(self.renewal_activities(self.old)), 1)
        with freeze_time("2026-12-05 10:00"):
            _successor, order = self.renew(user=self.rep)
            order.with_user(self.rep).action_confirm()
        self.assertFalse(self.renewal_activities(self.old))
        done = self.old.message_ids.filtered(lambda m: m.mail_activity_type_id == self.renewal_type)
        self.assertEqual(len(done), 1, "the task is marked done, not just deleted")

    def test_renewing_twice_is_refused(self):
        """P7.3: one renewal per term; the second attempt says which contract
        already renews it."""
        with freeze_time("2026-12-05 10:00"):
            successor, _order = self.renew()
            with self.assertRaises(UserError) as refused:
                self.old.action_renew()
        self.assertIn(f"already renewed by {successor.name}", str(refused.exception))
        self.assertEqual(len(self.old.successor_ids), 1)

    def test_renewing_a_renewed_contract_is_refused(self):
        """P7.3: once the renewal is accepted, the old term cannot be renewed again."""
        with freeze_time("2026-12-05 10:00"):
            _successor, order = self.renew()
            order.action_confirm()
            with self.assertRaises(UserError) as refused:
                self.old.action_renew()
        self.assertIn("is renewed", str(refused.exception))

    def test_cancelling_the_quotation_sends_the_successor_back_to_draft(self):
        """P7.3: the customer withdraws: the next contract is a draft again and the
        old one follows its dates again (expiring, 26 days before its end)."""
        with freeze_time("2026-12-05 10:00"):
            successor, order = self.renew()
            order.action_confirm()
            order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(successor.state, "draft")
        self.assertEqual(self.old.state, "expiring")

    def test_cancelling_the_quotation_outside_the_window_reactivates_the_old(self):
        """P7.3: a renewal withdrawn months before the end leaves the old contract
        active."""
        with freeze_time("2026-06-05 10:00"):
            self.old.state = "active"
            successor, order = self.renew()
            order.action_confirm()
            self.assertEqual(self.old.state, "renewed")
            order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(successor.state, "draft")
        self.assertEqual(self.old.state, "active")

    def test_withdrawn_renewal_gives_the_rep_the_task_again(self):
        """P7.2: the notice of the term was sent and the customer withdrew: the rep
        gets a new "Win renewal" task (the cron will not send a second notice)."""
        with freeze_time("2026-12-01 10:00"):
            self.run_contract_cron()
        with freeze_time("2026-12-05 10:00"):
            _successor, order = self.renew()
            order.action_confirm()
            self.assertFalse(self.renewal_activities(self.old))
            order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(len(self.renewal_activities(self.old)), 1)
        self.assertEqual(self.renewal_activities(self.old).user_id, self.rep)

    def test_cancelling_a_renewal_cancels_its_quotation(self):
        """P7.3: the quotation of a cancelled renewal can no longer be confirmed."""
        with freeze_time("2026-12-05 10:00"):
            successor, order = self.renew()
            self.cancel(successor, "Customer asked for another offer")
        self.assertEqual(order.state, "cancel")

    def test_cancelled_renewal_can_be_prepared_again(self):
        """P7.3: once the previous renewal is cancelled, the term can be renewed
        again."""
        with freeze_time("2026-12-05 10:00"):
            first, _order = self.renew()
            self.cancel(first, "Customer asked for another offer")
            second, _order = self.renew()
        self.assertNotEqual(second, first)
        self.assertEqual(self.old.next_contract_id, second)

    def test_draft_contract_cannot_be_renewed(self):
        """P7.3: only a contract in force is renewed."""
        draft = self.contract("draft", lots=self.lot("SN-C-DRAFT"))
        with self.assertRaises(UserError):
            draft.action_renew()

    def test_new_contract_quotation_activates_it_when_confirmed(self):
        """P7.3: a new contract is billed by its own quotation; confirming it puts
        the contract in force."""
        contract = self.contract("draft", lots=self.lot("SN-C-NEW"))
        with freeze_time("2026-03-01 10:00"):
            action = contract.action_create_quotation()
            order = self.env["sale.order"].browse(action["res_id"])
            order.action_confirm()
        self.assertEqual(order.aftersales_contract_id, contract)
        self.assertEqual(contract.state, "active")
        self.assertFalse(contract.previous_contract_id)

    # ------------------------------------------------------------------
    # Coverage periods (P7.1)
    # ------------------------------------------------------------------
    def test_overlapping_coverage_of_a_serial_is_refused(self):
        """P7.1: a serial is covered by one contract at a time; the message names the
        serial and the other contract."""
        overlap = self.contract("draft", date_start="2026-07-01", date_end="2027-06-30")
        with self.assertRaises(ValidationError) as refused:
            overlap.action_activate()
        message = str(refused.exception)
        self.assertIn(self.serial.name, message)
        self.assertIn(self.old.name, message)

    def test_adding_a_covered_serial_to_a_contract_in_force_is_refused(self):
        """P7.1: the rule also holds when a serial is added to an active contract."""
        other = self.contract(lots=self.lot("SN-C-OTHER"))
        with self.assertRaises(ValidationError):
            other.line_ids = [
                Command.create({"product_id": self.serial_purifier.id, "lot_id": self.serial.id})
            ]

    def test_covered_serial_added_as_a_line_of_its_own_is_refused(self):
        """P7.1: the rule holds when the covered item is created on its own model."""
        other = self.contract(lots=self.lot("SN-C-OTHER"))
        with self.assertRaises(ValidationError):
            self.env["aftersales.contract.line"].create(
                {
                    "contract_id": other.id,
                    "product_id": self.serial_purifier.id,
                    "lot_id": self.serial.id,
                }
            )

    def test_serial_of_another_product_is_refused(self):
        """P7.1: a covered serial is a serial of the covered product."""
        part_lot = self.lot("SN-C-PART", self.part)
        with self.assertRaises(ValidationError):
            self.old.line_ids = [
                Command.create({"product_id": self.serial_purifier.id, "lot_id": part_lot.id})
            ]

    def test_consecutive_periods_of_a_serial_are_allowed(self):
        """P7.1: the next period of the same serial (from the day after) is fine."""
        following = self.contract("draft", date_start="2027-01-01", date_end="2027-12-31")
        with freeze_time("2026-12-05 10:00"):
            following.action_activate()
        self.assertEqual(following.state, "active")

    def test_same_serial_for_another_customer_is_not_an_overlap(self):
        """P7.1: the overlap rule is per customer."""
        other = self.contract(partner=self.other_customer)
        self.assertEqual(other.state, "active")

    def test_end_before_start_is_refused_on_write(self):
        """P7.1: a contract period ends on or after its start."""
        with self.assertRaises(ValidationError) as refused:
            self.old.date_end = "2025-12-31"
        self.assertIn("before it starts", str(refused.exception))

    @mute_logger("odoo.sql_db")
    def test_end_before_start_is_refused_on_create(self):
        """P7.1: the database refuses a period that ends before it starts."""
        with self.assertRaises(CheckViolation):
            self.contract(
                "draft", lots=self.lot("SN-C-BAD"), date_start="2026-06-01", date_end="2026-05-31"
            )

    def test_activating_a_contract_without_items_is_refused(self):
        """P7.1: a contract covers products or serials."""
        empty = self.contract("draft", lots=self.env["stock.lot"])
        with self.assertRaises(UserError):
            empty.action_activate()
