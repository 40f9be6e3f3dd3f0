"""P2.4, P3.6: who pays for a repair — free in warranty, free repeat repair within
3 months, contract, otherwise paid — decided automatically, overridable."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesRepairCase


@tagged("post_install", "-at_install", "aftersales")
class TestRepairServiceType(AftersalesRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The engines count the company's calendar days.
        cls.today = cls.company._aftersales_today()

    def months_ago(self, months, days=0):
        return self.today - relativedelta(months=months, days=days)

    def test_delivered_11_months_ago_with_12_month_warranty_is_free(self):
        lot = self.lot("SN-1001")
        self.deliver(lot, self.months_ago(11))
        repair = self.repair(self.serial_purifier, lot_id=lot.id)
        self.assertEqual(repair.aftersales_service_type, "free")
        self.assertEqual(repair.aftersales_purchase_date_source, "delivery")
        self.assertIn("In warranty until", repair.aftersales_service_type_reason)
        self.assertTrue(repair.under_warranty)

    def test_warranty_expired_by_one_day_is_paid(self):
        lot = self.lot("SN-1002")
        self.deliver(lot, self.months_ago(12, days=1))
        repair = self.repair(self.serial_purifier, lot_id=lot.id)
        self.assertEqual(repair.aftersales_service_type, "paid")
        self.assertIn("Warranty ended", repair.aftersales_service_type_reason)

    def test_warranty_ending_today_is_still_free(self):
        lot = self.lot("SN-1003")
        self.deliver(lot, self.months_ago(12))
        self.assertEqual(
            self.repair(self.serial_purifier, lot_id=lot.id).aftersales_service_type, "free"
        )

    def test_invoice_date_is_used_without_delivery(self):
        self.invoice_product(self.purifier, self.months_ago(2))
        repair = self.repair()
        self.assertEqual(repair.aftersales_purchase_date_source, "invoice")
        self.assertEqual(repair.aftersales_purchase_date, self.months_ago(2))

    def test_ticket_purchase_date_is_the_last_resort(self):
        ticket = self.ticket(purchase_date=self.months_ago(3))
        repair = self.repair(ticket_id=ticket.id)
        self.assertEqual(repair.aftersales_purchase_date_source, "ticket")
        self.assertEqual(repair.aftersales_service_type, "free")

    def test_no_purchase_date_means_paid(self):
        repair = self.repair()
        self.assertEqual(repair.aftersales_service_type, "paid")
        self.assertFalse(repair.aftersales_purchase_date)

    def test_category_warranty_applies_when_the_product_sets_none(self):
        self.appliances.aftersales_warranty_months = 24
        self.invoice_product(self.purifier, self.months_ago(18))
        self.assertEqual(self.repair().aftersales_service_type, "free")

    def test_product_warranty_beats_the_category(self):
        self.appliances.aftersales_warranty_months = 24
        self.purifier.aftersales_warranty_months = 6
        self.invoice_product(self.purifier, self.months_ago(7))
        self.assertEqual(self.repair().aftersales_service_type, "paid")

    def _done_repair(self, lot=None, fault=None, months_ago=1):
        previous = self.repair(
            self.serial_purifier if lot else self.purifier,
            lot_id=lot.id if lot else False,
            aftersales_fault_category_id=(fault or self.noise).id,
        )
        previous.write(
            {
                "state": "done",
                "aftersales_returned_on": fields.Datetime.now() - relativedelta(months=months_ago),
            }
        )
        return previous

    def test_same_fault_repaired_again_within_3_months_is_free(self):
        lot = self.lot("SN-2001")
        previous = self._done_repair(lot, months_ago=2)
        repair = self.repair(self.serial_purifier, lot_id=lot.id)
        self.assertEqual(repair.aftersales_service_type, "free")
        self.assertEqual(repair.aftersales_previous_repair_id, previous)
        self.assertIn(previous.name, repair.aftersales_service_type_reason)

    def test_same_fault_just_past_3_months_is_paid(self):
        lot = self.lot("SN-2002")
        previous = self._done_repair(lot, months_ago=3)
        previous.aftersales_returned_on -= relativedelta(days=1)
        self.assertEqual(
            self.repair(self.serial_purifier, lot_id=lot.id).aftersales_service_type, "paid"
        )

    def test_another_fault_is_not_a_repeat_repair(self):
        lot = self.lot("SN-2003")
        self._done_repair(
            lot, fault=self.env.ref("aftersales_service.aftersales_category_fault_leak")
        )
        self.assertEqual(
            self.repair(self.serial_purifier, lot_id=lot.id).aftersales_service_type, "paid"
        )

    def test_another_serial_is_not_a_repeat_repair(self):
        self._done_repair(self.lot("SN-2004"))
        other = self.lot("SN-2005")
        self.assertEqual(
            self.repair(self.serial_purifier, lot_id=other.id).aftersales_service_type, "paid"
        )

    def test_override_requires_a_reason(self):
        repair = self.repair()
        with self.assertRaises(UserError):
            repair.with_user(self.supervisor)._aftersales_override_service_type("free", " ")

    def test_technician_cannot_override(self):
        with self.assertRaises(AccessError):
            self.repair().with_user(self.technician)._aftersales_override_service_type(
                "free", "Goodwill"
            )

    def test_supervisor_override_is_kept_and_tracked(self):
        repair = self.repair()
        repair.with_user(self.supervisor)._aftersales_override_service_type(
            "free", "Goodwill gesture for a strategic customer"
        )
        repair.partner_id = self._create_customer("Another customer")
        self.assertEqual(repair.aftersales_service_type, "free")
        self.assertTrue(repair.under_warranty)
        note = repair.message_ids.filtered(lambda m: "Goodwill gesture" in (m.body or ""))
        self.assertEqual(len(note), 1)

    def test_the_decision_is_posted_in_the_chatter(self):
        repair = self.repair()
        self.assertTrue(
            repair.message_ids.filtered(lambda m: "Service type: Paid" in (m.body or ""))
        )

    def test_decision_reads_a_batch_with_a_flat_query_count(self):
        repairs = self.env["repair.order"].browse()
        for i in range(3):
            repairs |= self.repair(self.serial_purifier, lot_id=self.lot(f"Q-{i}").id)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        repairs[:1]._aftersales_decide_service_type()
        one = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        repairs._aftersales_decide_service_type()
        self.assertLessEqual(self.env.cr.sql_log_count - before, one + 2)
