"""P5.1, P5.3: the units of one order line are returned one at a time. A refunded
unit lowers the line's delivered quantity (Odoo's return move) and is counted once,
not a second time as "already being returned"; exchanges keep their unit claimed."""

from lxml import html

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesPortalCase, AftersalesRmaCase, delivered_order


@tagged("post_install", "-at_install", "aftersales")
class TestRmaPartialReturn(AftersalesRmaCase):
    """The fixture's line: 2 units delivered and invoiced."""

    def refund_one(self):
        """A refund of 1 taken through receipt, inspection and credit note."""
        rma = self.bring_back(self.rma(quantity=1))
        rma.action_create_credit_note()
        self.assertEqual(rma.state, "refunded")
        return rma

    def test_p5_3_second_unit_is_returnable_once_the_first_is_refunded(self):
        """P5.3: 1 of 2 refunded, the second can still be returned and refunded."""
        self.refund_one()
        self.assertEqual(self.line.qty_delivered, 1, "Odoo's return move lowered it")

        second = self.rma(quantity=1)
        self.assertEqual(second.returnable_quantity, 1)
        self.bring_back(second).action_create_credit_note()
        self.assertEqual(second.state, "refunded")
        self.assertEqual(self.line.qty_delivered, 0)

    def test_p5_3_second_unit_is_returnable_while_the_first_waits_for_its_refund(self):
        """P5.3: a received, inspected refund does not take the second unit too."""
        first = self.bring_back(self.rma(quantity=1))
        self.assertEqual((first.state, self.line.qty_delivered), ("inspected", 1))
        self.assertEqual(self.rma(quantity=1).quantity, 1)

    def test_p5_1_third_unit_is_refused_with_what_was_delivered_and_returned(self):
        """P5.1: 1 + 1 of 2 returned, nothing is left; the message says why."""
        self.refund_one()
        self.rma(quantity=1)
        with self.assertRaises(ValidationError) as refused:
            self.rma(quantity=1)
        message = str(refused.exception)
        self.assertIn(f"2.0 were delivered on {self.order.name}", message)
        self.assertIn("2.0 are already returned or being returned", message)
        self.assertIn("at most 0.0 can be", message)

    def test_p5_1_form_offers_the_second_unit_after_a_refund(self):
        """P5.1: the return form shows the unit still returnable."""
        self.refund_one()
        with Form(self.env["aftersales.rma"].with_user(self.technician)) as form:
            form.partner_id = self.customer
            form.sale_line_id = self.line
            form.reason_id = self.reason
            self.assertEqual(form.returnable_quantity, 1)
            form.quantity = 1
            for condition in (
                "condition_packaging",
                "condition_accessories",
                "condition_unused",
                "condition_proof",
            ):
                setattr(form, condition, True)
        rma = form.record
        rma.action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_p4_2_exchanged_unit_stays_claimed(self):
        """P4.2: an exchanged unit is replaced, not refunded: it cannot also be
        refunded, only the other unit can."""
        exchange = self.bring_back(self.rma("exchange", quantity=1))
        exchange.action_ship_replacement()
        self.assertEqual(self.line.qty_delivered, 2, "an exchange is not refunded")
        with self.assertRaises(ValidationError):
            self.rma(quantity=2)
        self.assertEqual(self.rma(quantity=1).quantity, 1)

    def test_p5_2_unit_failing_its_inspection_is_not_returnable_again(self):
        """P5.2: goods that failed their inspection went back to the customer; the
        unit was judged and stays claimed, the other one can be returned."""
        failed = self.bring_back(self.rma(quantity=1), passed=False, note="Water damage")
        self.assertEqual(failed.state, "done")
        with self.assertRaises(ValidationError):
            self.rma(quantity=2)
        self.assertEqual(self.rma(quantity=1).quantity, 1)

    def test_p5_2_goods_sent_back_after_a_failed_inspection_count_as_delivered(self):
        """P5.2: once the rejected unit is back with the customer, the order line
        counts 2 delivered again and offers no credit note for it."""
        failed = self.bring_back(self.rma(quantity=1), passed=False, note="Water damage")
        picking = failed.outgoing_picking_id
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(self.line.qty_delivered, 2)
        self.assertEqual(self.line.qty_to_invoice, 0)


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestRmaPartialReturnPortal(AftersalesPortalCase):
    """P5.1, P5.3 on the portal: a customer with 2 air purifiers delivered today,
    the first already returned and refunded by the service desk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.aftersales_return_window_days = 7
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ningbo Harbour Electric", "is_company": True}
        )
        cls.user = cls._portal_user(
            "as_rma_partial_portal", "Li Na", cls.customer, email="lina@example.com"
        )
        contact = cls.user.partner_id
        cls.goods = cls.env["product.product"].create(
            {"name": "Air Purifier AP-500", "type": "consu", "is_storable": True}
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(cls.goods, warehouse.lot_stock_id, 2)
        cls.defective = cls.env.ref("aftersales_service.aftersales_rma_reason_defective")
        cls.order = delivered_order(cls.env, cls.customer, cls.goods, 2, 1000)
        cls.line = cls.order.order_line
        cls.first = cls.env["aftersales.rma"].create(
            {
                "partner_id": contact.id,
                "sale_line_id": cls.line.id,
                "quantity": 1,
                "reason_id": cls.defective.id,
                "company_id": cls.company.id,
                **dict.fromkeys(
                    (
                        "condition_packaging",
                        "condition_accessories",
                        "condition_unused",
                        "condition_proof",
                    ),
                    True,
                ),
            }
        )
        cls.first.action_confirm()
        cls.first.action_create_return_transfer()
        receipt = cls.first.return_picking_id
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        receipt._action_done()
        cls.first._aftersales_inspect(True)
        cls.first.action_create_credit_note()

    def post_return(self, quantity):
        page = self.url_open(f"/my/returns/new?line_id={self.line.id}", timeout=60)
        self.assertEqual(page.status_code, 200)
        token = html.fromstring(page.content).xpath(
            "//form[hasclass('o_aftersales_return_form')]//input[@name='csrf_token']/@value"
        )[0]
        return self.url_open(
            "/my/returns/new",
            data={
                "csrf_token": token,
                "line_id": str(self.line.id),
                "kind": "refund",
                "quantity": quantity,
                "reason_id": str(self.defective.id),
            },
            timeout=60,
        )

    def returns(self):
        return self.env["aftersales.rma"].search([("sale_line_id", "=", self.line.id)])

    def test_p5_3_portal_offers_and_accepts_the_second_unit(self):
        """P5.3: after the first unit's refund, the form offers the second one and
        the customer's request for it is created."""
        self.assertEqual(self.first.state, "refunded")
        self.login(self.user)
        page = self.url_open(f"/my/returns/new?line_id={self.line.id}", timeout=60)
        self.assertIn("At most <strong>1</strong> can still be returned", page.text)
        self.assertEqual(
            html.fromstring(page.content).xpath("//input[@name='quantity']/@value"), ["1"]
        )

        self.post_return("1")
        second = self.returns() - self.first
        self.assertRecordValues(second, [{"state": "draft", "quantity": 1.0}])

    def test_p5_1_portal_refuses_the_third_unit_with_the_reason(self):
        """P5.1: 1 + 1 of 2 returned: a third is refused, nothing is created."""
        self.login(self.user)
        self.post_return("1")
        self.assertEqual(len(self.returns()), 2)

        response = self.post_return("1")
        self.assertIn(
            f"You can return at most 0 x {self.goods.display_name} from {self.order.name}: "
            "2 were delivered and 2 are already returned or being returned.",
            response.text,
        )
        self.assertEqual(len(self.returns()), 2, "nothing created")
