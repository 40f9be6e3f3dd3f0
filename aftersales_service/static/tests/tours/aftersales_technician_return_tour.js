/** @odoo-module **/
// P2.7, P3.4: after the inspection the technician ends the repair and hands the
// product back: the customer signs in the return dialog. Data comes from the
// Python test.

import { registry } from "@web/core/registry";
import { signAndConfirmSteps } from "@aftersales_service/../tests/tours/aftersales_tour_steps";

registry.category("web_tour.tours").add("aftersales_technician_return_tour", {
    steps: () => [
        {
            content: "End the repair",
            trigger: ".o_statusbar_buttons button[name=action_repair_end]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Repaired)",
        },
        {
            content: "Hand the product back",
            trigger: ".o_statusbar_buttons button[name=action_aftersales_open_return_wizard]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=signed_by] input",
            run: "edit Zhou Ming",
        },
        ...signAndConfirmSteps("The customer signs"),
        {
            content: "Returned: the button is gone",
            trigger:
                ".o_form_view:not(:has(button[name=action_aftersales_open_return_wizard])) .o_notebook_headers a[name=aftersales_service]",
            run: "click",
        },
        {
            content: "The goods receipt is void",
            trigger: ".o_field_widget[name=aftersales_goods_receipt_ids] .o_data_row:contains(Returned)",
        },
    ],
});
