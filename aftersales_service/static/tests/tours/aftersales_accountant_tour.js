/** @odoo-module */
// P2.6 for an accountant: the repair comes from aftersales_service/tests/test_tour_accountant.py.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_accountant_invoice_repair", {
    steps: () => [
        {
            content: "Open the customer's repair from Repairs to Invoice",
            trigger: ".o_data_row:contains(Qingdao Tour Customer) td.o_data_cell",
            run: "click",
        },
        {
            content: "The repair shows its service request",
            trigger: ".o_field_widget[name=ticket_id]:contains(Heater stops after ten minutes)",
        },
        {
            trigger: ".o_notebook_headers a:contains(Service)",
            run: "click",
        },
        {
            content: "... its goods receipt",
            trigger: ".o_field_widget[name=aftersales_goods_receipt_ids] .o_data_row",
        },
        {
            trigger: ".o_notebook_headers a:contains(Repair Card)",
            run: "click",
        },
        {
            content: "... and its work entries",
            trigger: ".o_field_widget[name=aftersales_work_entry_ids] .o_data_row:contains(Heating element replaced)",
        },
        {
            trigger: "button[name=action_aftersales_create_invoice]",
            run: "click",
        },
        {
            content: "The invoice, made through the repair's sale order",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_data_row:contains(Tour Heating Element)",
        },
        {
            trigger: ".o_breadcrumb a:contains(Repairs to Invoice)",
            run: "click",
        },
        {
            content: "Invoiced: the repair left the list",
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains(Qingdao Tour Customer)))",
        },
    ],
});
