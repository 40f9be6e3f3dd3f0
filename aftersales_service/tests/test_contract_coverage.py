"""P7.1: a maintenance contract in force makes the repair of a covered product
contract service, priced by its terms (free labour, discount on parts); P1.4: its
response and resolution targets tighten the customer's tier targets."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import AftersalesContractCase


@tagged("post_install", "-at_install", "aftersales")
class TestContractCoverage(AftersalesContractCase):
    def covered_repair(self, lot=None, **vals):
        return self.repair(self.serial_purifier, lot_id=(lot or self.serial).id, **vals)

    def filter_repair(self):
        """A repair of the covered serial: 2 filters at 150 and 1.5 h of labour."""
        return self.covered_repair(
            move_ids=[
                Command.create(
                    {"product_id": self.part.id, "product_uom_qty": 2, "repair_line_type": "add"}
                )
            ],
            aftersales_work_entry_ids=[
                Command.create(
                    {"user_id": self.technician.id, "hours": 1.5, "description": "Filter"}
                )
            ],
        )

    # ------------------------------------------------------------------
    # Service type
    # ------------------------------------------------------------------
    def test_repair_of_a_covered_serial_during_the_contract_is_contract_service(self):
        """P7.1, P2.4: the contract in force on the repair day decides the service
        type and is linked to the repair."""
        contract = self.contract()
        with freeze_time("2026-06-15 10:00"):
            repair = self.covered_repair()
        self.assertEqual(repair.aftersales_service_type, "contract")
        self.assertEqual(repair.aftersales_contract_id, contract)
        self.assertIn(contract.name, repair.aftersales_service_type_reason)

    def test_repair_after_the_contract_ended_is_paid(self):
        """P7.1: the day after the end, the serial is no longer covered."""
        self.contract("expired")
        with freeze_time("2027-01-01 10:00"):
            repair = self.covered_repair()
        self.assertEqual(repair.aftersales_service_type, "paid")
        self.assertFalse(repair.aftersales_contract_id)

    def test_repair_on_the_last_day_of_the_contract_is_covered(self):
        """P7.1: the contract covers its last day."""
        contract = self.contract("expiring")
        with freeze_time("2026-12-31 10:00"):
            repair = self.covered_repair()
        self.assertEqual(repair.aftersales_contract_id, contract)

    def test_another_serial_of_the_same_product_is_not_covered(self):
        """P7.1: a serial line covers that unit only."""
        self.contract()
        with freeze_time("2026-06-15 10:00"):
            repair = self.covered_repair(self.lot("SN-C-UNCOVERED"))
        self.assertEqual(repair.aftersales_service_type, "paid")

    def test_product_line_without_serial_covers_every_unit(self):
        """P7.1: a line naming the product and no serial covers any unit of it."""
        contract = self.contract(
            lots=self.env["stock.lot"],
            line_ids=[Command.create({"product_id": self.serial_purifier.id})],
        )
        with freeze_time("2026-06-15 10:00"):
            repair = self.covered_repair(self.lot("SN-C-ANY"))
        self.assertEqual(repair.aftersales_contract_id, contract)

    def test_draft_and_cancelled_contracts_do_not_cover(self):
        """P7.1: only a contract in force covers."""
        self.contract("draft")
        self.contract("cancelled")
        with freeze_time("2026-06-15 10:00"):
            repair = self.covered_repair()
        self.assertEqual(repair.aftersales_service_type, "paid")

    def test_renewed_contract_still_covers_until_its_end(self):
        """P7.1, P7.3: a renewed term keeps covering until its own end; the
        successor takes over the day after."""
        old = self.contract("expiring")
        with freeze_time("2026-12-05 10:00"):
            order = self.env["sale.order"].browse(old.action_renew()["res_id"])
            order.action_confirm()
            successor = order.aftersales_contract_id
            self.assertEqual(old.state, "renewed")
            during_old = self.covered_repair()
        with freeze_time("2027-01-02 10:00"):
            during_new = self.covered_repair()
        self.assertEqual(during_old.aftersales_contract_id, old)
        self.assertEqual(during_new.aftersales_contract_id, successor)

    def test_warranty_goes_before_the_contract(self):
        """P2.4: a product still under warranty is repaired free, contract or not."""
        self.contract()
        with freeze_time("2026-06-15 10:00"):
            self.deliver(self.serial, "2026-03-01")
            repair = self.covered_repair()
        self.assertEqual(repair.aftersales_service_type, "free")
        self.assertFalse(repair.aftersales_contract_id)

    # ------------------------------------------------------------------
    # Pricing (P7.1)
    # ------------------------------------------------------------------
    def test_contract_repair_invoice_has_free_labour_and_the_parts_discount(self):
        """P7.1: the contract's terms price the repair invoice: 20 % off the parts,
        labour free."""
        self.contract()
        with freeze_time("2026-06-15 10:00"):
            repair = self.filter_repair()
            # The serial is not in our stock: skip the availability warning.
            repair._action_repair_confirm()
            self.finish(repair)
            repair.with_user(self.accountant).action_aftersales_create_invoice()
        lines = {
            line.product_id: (line.quantity, line.price_unit, line.discount)
            for line in repair.aftersales_invoice_id.invoice_line_ids
        }
        self.assertEqual(lines[self.part], (2, 150.0, 20.0))
        self.assertEqual(lines[self.labour], (1.5, 0.0, 0.0))
        self.assertAlmostEqual(repair.aftersales_amount_untaxed, 2 * 150 * 0.8)

    def test_repair_after_the_contract_is_priced_in_full(self):
        """P7.1: without a contract in force, parts and labour are charged in full."""
        self.contract("expired")
        with freeze_time("2027-01-15 10:00"):
            repair = self.filter_repair()
        self.assertEqual(repair.aftersales_service_type, "paid")
        self.assertAlmostEqual(repair.aftersales_amount_untaxed, 2 * 150 + 1.5 * 120)

    # ------------------------------------------------------------------
    # Service targets (P1.4, P7.1)
    # ------------------------------------------------------------------
    def test_contract_targets_override_a_laxer_tier(self):
        """P1.4, P7.1: a contract promising 2 h / 16 h beats the tier's 8 h / 40 h."""
        tier = self._tier("STD", 1, first_response_hours=8, resolution_hours=40)
        self.partner_in(self.customer).aftersales_tier_id = tier
        self.contract(response_hours=2, resolution_hours=16)
        with freeze_time("2026-06-15 10:00"):
            self.env.invalidate_all()
            self.assertEqual(self.partner_in(self.customer)._aftersales_service_targets(), (2, 16))

    def test_laxer_contract_does_not_relax_the_tier(self):
        """P1.4: the strictest target wins; a laxer contract keeps the tier's."""
        tier = self._tier("GOLD", 1, first_response_hours=1, resolution_hours=8)
        self.partner_in(self.customer).aftersales_tier_id = tier
        self.contract(response_hours=4, resolution_hours=24)
        with freeze_time("2026-06-15 10:00"):
            self.env.invalidate_all()
            self.assertEqual(self.partner_in(self.customer)._aftersales_service_targets(), (1, 8))

    def test_contract_targets_apply_without_a_tier(self):
        """P7.1: a contract customer without tier targets gets the contract's."""
        self.contract(response_hours=3, resolution_hours=0)
        with freeze_time("2026-06-15 10:00"):
            self.env.invalidate_all()
            self.assertEqual(self.partner_in(self.customer)._aftersales_service_targets(), (3, 0))

    def test_contract_targets_end_with_the_contract(self):
        """P7.1: after the contract ends, its targets no longer apply."""
        tier = self._tier("STD", 1, first_response_hours=8, resolution_hours=40)
        self.partner_in(self.customer).aftersales_tier_id = tier
        self.contract("expired", response_hours=2, resolution_hours=16)
        with freeze_time("2027-01-15 10:00"):
            self.env.invalidate_all()
            self.assertEqual(self.partner_in(self.customer)._aftersales_service_targets(), (8, 40))

    def test_contact_person_gets_the_companys_contract_targets(self):
        """P7.1: the contract covers the customer's commercial entity, so its contact
        persons' requests get its targets too."""
        contact = self.env["res.partner"].create(
            {"name": "Wang Fang", "parent_id": self.customer.id, "type": "contact"}
        )
        self.contract(response_hours=2, resolution_hours=16)
        with freeze_time("2026-06-15 10:00"):
            self.env.invalidate_all()
            self.assertEqual(self.partner_in(contact)._aftersales_service_targets(), (2, 16))

    def test_service_request_of_a_contract_customer_gets_the_contract_targets(self):
        """P1.4, P7.1: the SLA engine promises the contract's stricter targets on the
        customer's service requests (the team policy says 2 h / 16 h)."""
        self.contract(response_hours=1, resolution_hours=8)
        with freeze_time("2026-06-15 02:00"):
            self.env.invalidate_all()
            ticket = self.ticket()
        self.assertEqual((ticket.sla_response_target, ticket.sla_resolution_target), (1, 8))
