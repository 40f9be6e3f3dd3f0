"""P5.1: the return window counts from the delivery the customer received; an RMA
follows its order line's deliveries as they are validated or corrected."""

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestRmaDelivery(AftersalesRmaCase):
    def test_p5_1_rma_sees_the_delivery_validated_after_it_was_created(self):
        """P5.1: 1 of 2 units delivered, a return of it is requested; when the
        backorder is delivered, the RMA shows that delivery and its date."""
        line = self.delivered_line(quantity=2, delivered=1)
        first = line.order_id.picking_ids.filtered(lambda p: p.state == "done")
        backorder = line.order_id.picking_ids - first
        self.assertEqual(backorder.state, "assigned", "one unit still to deliver")
        first.date_done = self.utc("2026-02-27 10:00")
        rma = self.rma(sale_line_id=line.id, quantity=1)
        self.assertEqual(rma.picking_id, first)

        with freeze_time(self.utc("2026-03-02 10:00")):
            backorder.move_ids.quantity = 1
            backorder.move_ids.picked = True
            backorder._action_done()
        self.assertEqual(rma.picking_id, backorder)
        self.assertEqual(rma.delivered_on, fields.Date.to_date("2026-03-02"))
        self.assertEqual(rma.returnable_quantity, 2)

    def test_p5_1_corrected_delivery_date_moves_the_window(self):
        """P5.1: a corrected date on the delivery moves the RMA's window with it."""
        rma = self.rma()
        self.assertEqual(
            rma.delivered_on, self.company._aftersales_local_date(self.delivery.date_done)
        )
        self.delivery.date_done = self.utc("2026-01-05 10:00")
        self.assertEqual(rma.delivered_on, fields.Date.to_date("2026-01-05"))
        self.assertEqual(rma.window_end, fields.Date.to_date("2026-01-12"))
