"""P4.2, P5.2: returned goods go back to the warehouse that delivered them, and the
replacement or the goods sent back leave from it, as Odoo's return wizard routes a
return of the original delivery."""

from odoo.tests import tagged

from .common import AftersalesRmaCase


@tagged("post_install", "-at_install", "aftersales")
class TestRmaWarehouse(AftersalesRmaCase):
    """A second warehouse of the same company (not its first) delivered 2 units."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.suzhou = cls.env["stock.warehouse"].create(
            {"name": "Suzhou Warehouse", "code": "SZW", "company_id": cls.company.id}
        )
        cls.suzhou_line = cls.delivered_line(quantity=2, warehouse=cls.suzhou)
        cls.suzhou_delivery = cls.suzhou_line.order_id.picking_ids
        # Stock for the replacement, in the delivering warehouse.
        cls.env["stock.quant"]._update_available_quantity(cls.goods, cls.suzhou.lot_stock_id, 5)

    def test_p5_return_is_received_by_the_delivering_warehouse(self):
        """P5: the return transfer is a receipt of the delivering warehouse, from
        where the delivery went, linked to the delivery's move."""
        self.assertNotEqual(self.suzhou, self.warehouse, "not the company's first warehouse")
        self.assertEqual(self.suzhou_delivery.picking_type_id, self.suzhou.out_type_id)
        rma = self.rma(sale_line_id=self.suzhou_line.id)
        self.assertEqual(rma.picking_id, self.suzhou_delivery)
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.assertRecordValues(
            rma.return_picking_id,
            [
                {
                    "picking_type_id": self.suzhou.in_type_id.id,
                    "location_id": self.suzhou_delivery.location_dest_id.id,
                    "location_dest_id": self.suzhou.lot_stock_id.id,
                    "return_id": self.suzhou_delivery.id,
                }
            ],
        )
        self.assertEqual(
            rma.return_picking_id.move_ids.origin_returned_move_id, self.suzhou_delivery.move_ids
        )
        self.receive(rma)
        self.assertEqual(rma.state, "received")

    def test_p5_company_return_location_receives_every_return(self):
        """P5: a return location set on the company still receives the goods,
        through the delivering warehouse's receipts."""
        returns = self.env["stock.location"].create(
            {"name": "Returns", "usage": "internal", "location_id": self.suzhou.view_location_id.id}
        )
        self.company.aftersales_return_location_id = returns
        rma = self.rma(sale_line_id=self.suzhou_line.id)
        rma.action_confirm()
        rma.action_create_return_transfer()
        self.assertEqual(rma.return_picking_id.picking_type_id, self.suzhou.in_type_id)
        self.assertEqual(rma.return_picking_id.location_dest_id, returns)

    def test_p4_2_replacement_leaves_from_the_delivering_warehouse(self):
        """P4.2: the replacement is a delivery of the warehouse that delivered the
        original, from its stock to where the original went."""
        rma = self.bring_back(self.rma("exchange", sale_line_id=self.suzhou_line.id))
        self.assertEqual(rma.return_picking_id.picking_type_id, self.suzhou.in_type_id)
        rma.action_ship_replacement()
        self.assertEqual(rma.state, "replaced")
        self.assertRecordValues(
            rma.outgoing_picking_id,
            [
                {
                    "picking_type_id": self.suzhou.out_type_id.id,
                    "location_id": self.suzhou.lot_stock_id.id,
                    "location_dest_id": self.suzhou_delivery.location_dest_id.id,
                }
            ],
        )

    def test_p5_2_goods_failing_inspection_go_back_from_where_they_were_received(self):
        """P5.2: goods that fail the inspection are sent back by the delivering
        warehouse, from the location that received them."""
        rma = self.bring_back(
            self.rma(sale_line_id=self.suzhou_line.id), passed=False, note="Water damage"
        )
        self.assertEqual(rma.state, "done")
        self.assertRecordValues(
            rma.outgoing_picking_id,
            [
                {
                    "picking_type_id": self.suzhou.out_type_id.id,
                    "location_id": rma.return_picking_id.location_dest_id.id,
                    "location_dest_id": self.suzhou_delivery.location_dest_id.id,
                }
            ],
        )
        self.assertEqual(rma.return_picking_id.location_dest_id, self.suzhou.lot_stock_id)
