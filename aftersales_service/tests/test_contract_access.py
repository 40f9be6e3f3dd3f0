"""P10.2, P11: who sees and changes maintenance contracts (P7): sales reps their
own customers', technicians read the coverage, companies are isolated; P1.1: the
customer form counts the contracts."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesContractCase


@tagged("post_install", "-at_install", "aftersales")
class TestContractAccess(AftersalesContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls.contract()
        cls.theirs = cls.contract(partner=cls.other_customer, lots=cls.lot("SN-C-THEIRS"))

    # ------------------------------------------------------------------
    # Sales reps (P10.2)
    # ------------------------------------------------------------------
    def test_contract_defaults_to_the_customers_salesperson(self):
        """P7.2: the customer's salesperson is the contract's sales rep."""
        self.assertEqual(self.mine.user_id, self.rep)
        self.assertEqual(self.theirs.user_id, self.other_rep)

    def test_sales_rep_sees_only_their_customers_contracts(self):
        """P10.2: a rep lists the contracts of their customers, not another rep's."""
        visible = self.env["aftersales.contract"].with_user(self.rep).search([])
        self.assertIn(self.mine, visible)
        self.assertNotIn(self.theirs, visible)

    def test_sales_rep_cannot_read_another_reps_contract(self):
        """P10.2: opening another rep's contract is refused."""
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.rep).read(["price"])

    def test_sales_rep_cannot_renew_another_reps_contract(self):
        """P10.2: nor can they renew it."""
        with self.assertRaises(AccessError), freeze_time("2026-12-05 10:00"):
            self.theirs.with_user(self.rep).action_renew()

    def test_sales_rep_cannot_change_another_reps_covered_items(self):
        """P10.2: the covered items follow their contract's rep."""
        with self.assertRaises(AccessError):
            self.theirs.line_ids.with_user(self.rep).unlink()
        with self.assertRaises(AccessError):
            self.theirs.line_ids.with_user(self.rep).write({"quantity": 2})

    def test_sales_rep_renews_their_customers_contract(self):
        """P7.3, P10.2: the rep prepares the renewal and its quotation themselves and
        confirms it when the customer accepts."""
        with freeze_time("2026-12-05 10:00"):
            action = self.mine.with_user(self.rep).action_renew()
            order = self.env["sale.order"].with_user(self.rep).browse(action["res_id"])
            successor = order.aftersales_contract_id
            self.assertEqual(successor.user_id, self.rep)
            self.assertEqual(successor.line_ids.lot_id, self.serial)
            order.action_confirm()
        self.assertEqual(successor.state, "active")
        self.assertEqual(self.mine.state, "renewed")

    def test_sales_rep_creates_a_contract_for_their_customer(self):
        """P10.2: a rep writes contracts of their customers."""
        contract = (
            self.env["aftersales.contract"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "date_start": "2027-01-01",
                    "date_end": "2027-12-31",
                    "price": 900.0,
                    "line_ids": [Command.create({"product_id": self.purifier.id})],
                }
            )
        )
        self.assertEqual(contract.user_id, self.rep)
        contract.price = 950.0
        self.assertEqual(contract.price, 950.0)

    def test_all_documents_rep_sees_every_contract(self):
        """P10.2: sales reps with access to all documents handle every contract."""
        lead = self._create_sales_rep("as_sales_lead", "sales_team.group_sale_salesman_all_leads")
        visible = self.env["aftersales.contract"].with_user(lead).search([])
        self.assertIn(self.mine, visible)
        self.assertIn(self.theirs, visible)
        self.theirs.with_user(lead).price = 1300.0

    def test_aftersales_manager_handles_every_contract(self):
        """P10.2: the after-sales manager writes any contract."""
        self.theirs.with_user(self.manager).price = 1300.0
        self.assertEqual(self.theirs.price, 1300.0)

    # ------------------------------------------------------------------
    # Technicians (P10.2)
    # ------------------------------------------------------------------
    def test_technician_reads_the_coverage(self):
        """P10.2: technicians see what every contract covers (the repair decision
        depends on it)."""
        for contract in (self.mine, self.theirs):
            as_technician = contract.with_user(self.technician)
            self.assertTrue(as_technician.line_ids.lot_id.name)
            self.assertEqual(as_technician.state, "active")
            self.assertEqual(as_technician.date_end, contract.date_end)

    def test_technician_cannot_change_the_price(self):
        """P10.2: contract terms and prices are the sales side's."""
        with self.assertRaises(AccessError):
            self.mine.with_user(self.technician).price = 1.0

    def test_technician_cannot_create_a_contract(self):
        """P10.2: technicians do not sell contracts."""
        with self.assertRaises(AccessError):
            self.env["aftersales.contract"].with_user(self.technician).create(
                {
                    "partner_id": self.customer.id,
                    "date_start": "2027-01-01",
                    "date_end": "2027-12-31",
                }
            )

    # ------------------------------------------------------------------
    # Companies (P11.1)
    # ------------------------------------------------------------------
    def test_other_company_user_cannot_read_the_contracts(self):
        """P11.1: several companies share the database; a manager of company B does
        not read company A's contracts."""
        company_b = self._create_company("After-Sales Branch B", with_accounting=False)
        manager_b = self._create_user("as_manager_b", "group_aftersales_manager", company_b)
        contracts_b = (
            self.env["aftersales.contract"]
            .with_user(manager_b)
            .with_context(allowed_company_ids=company_b.ids)
        )
        self.assertFalse(contracts_b.search([]))
        with self.assertRaises(AccessError):
            self.mine.with_env(contracts_b.env).read(["name"])

    def test_other_company_contracts_do_not_cover_this_companys_repairs(self):
        """P11.1: a contract of company B never makes a repair of company A contract
        service."""
        company_b = self._create_company("After-Sales Branch B", with_accounting=False)
        self.contract(
            company_id=company_b.id,
            lots=self.env["stock.lot"],
            line_ids=[Command.create({"product_id": self.serial_purifier.id})],
        )
        with freeze_time("2026-06-15 10:00"):
            repair = self.repair(self.serial_purifier, lot_id=self.lot("SN-C-A").id)
        self.assertEqual(repair.aftersales_service_type, "paid")

    # ------------------------------------------------------------------
    # Smart button (P1.1)
    # ------------------------------------------------------------------
    def test_customer_form_counts_the_contracts(self):
        """P1.1: the customer's service history shows the number of contracts, of
        the whole company, from a contact person as well."""
        self.contract(
            "expired", lots=self.lot("SN-C-OLD"), date_start="2025-01-01", date_end="2025-12-31"
        )
        contact = self.env["res.partner"].create(
            {"name": "Wang Fang", "parent_id": self.customer.id, "type": "contact"}
        )
        self.assertEqual(self.customer.with_user(self.manager).aftersales_contract_count, 2)
        self.assertEqual(contact.with_user(self.manager).aftersales_contract_count, 2)
        self.assertEqual(self.other_customer.with_user(self.manager).aftersales_contract_count, 1)
        action = self.customer.action_view_aftersales_contracts()
        self.assertEqual(
            self.env["aftersales.contract"]
            .search(action["domain"])
            .mapped("commercial_partner_id"),
            self.customer,
        )

    def test_contract_count_follows_the_users_access(self):
        """P10.2: a rep's count is of the contracts they may open."""
        self.assertEqual(self.customer.with_user(self.rep).aftersales_contract_count, 1)
        self.assertEqual(self.other_customer.with_user(self.rep).aftersales_contract_count, 0)
