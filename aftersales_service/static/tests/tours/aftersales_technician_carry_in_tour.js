/** @odoo-module **/
// P2.7, P3.3, P10.2: a technician registers a carry-in repair, takes the product
// (goods receipt dialog), records the customer's acceptance of the quote, starts
// the work and logs a work entry and a part. Data comes from the Python test.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_technician_carry_in_tour", {
    steps: () => [
        {
            content: "Name the customer of the new repair",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit Tour Customer Xihu",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains(Tour Customer Xihu)",
            run: "click",
        },
        {
            content: "Name the product to repair",
            trigger: ".o_form_view .o_field_widget[name=product_id] input",
            run: "edit Tour Purifier TP-1",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains(Tour Purifier TP-1)",
            run: "click",
        },
        {
            content: "Who pays is shown before saving",
            trigger: ".o_field_widget[name=aftersales_service_type_reason]:contains(No warranty or contract covers it)",
        },
        {
            content: "Nothing to take or accept on a new repair",
            trigger:
                ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_aftersales_open_receipt_wizard])):not(:has(button[name=action_aftersales_open_quote_wizard]))",
        },
        {
            content: "Confirm the repair",
            trigger: ".o_statusbar_buttons button[name=action_validate]",
            run: "click",
        },
        {
            content: "A technician does not make sales quotations",
            trigger:
                ".o_statusbar_buttons:has(button[name=action_aftersales_open_quote_wizard]):not(:has(button[name=action_create_sale_order])):not(:has(button[name=action_repair_start]))",
        },
        {
            content: "Take the product",
            trigger: ".o_statusbar_buttons button[name=action_aftersales_open_receipt_wizard]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=accessories] textarea",
            run: "edit Power cable, remote control",
        },
        {
            trigger: ".modal .o_field_widget[name=condition] textarea",
            run: "edit Scratch on the top cover",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The product is in our hands",
            trigger:
                ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_aftersales_open_receipt_wizard]))",
        },
        {
            content: "The customer accepted the quote by phone",
            trigger: ".o_statusbar_buttons button[name=action_aftersales_open_quote_wizard]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=accepted_by] input",
            run: "edit Zhou Ming",
        },
        {
            trigger: ".modal .o_field_widget[name=how] input[data-value=phone]",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Start the repair",
            trigger: ".o_statusbar_buttons button[name=action_repair_start]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Under Repair)",
        },
        {
            content: "Only the supervisor inspects; no End Repair before the inspection",
            trigger:
                ".o_statusbar_buttons:not(:has(button[name=action_aftersales_open_inspection_wizard])):not(:has(button[name=action_repair_end]))",
        },
        {
            content: "Log the work on the repair card",
            trigger: ".o_notebook_headers a[name=aftersales_work]",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=aftersales_work_entry_ids] .o_field_x2many_list_row_add > a",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=aftersales_work_entry_ids] .o_data_row .o_field_widget[name=description] input",
            run: "edit Replaced the fan motor",
        },
        {
            trigger:
                ".o_field_widget[name=aftersales_work_entry_ids] .o_data_row .o_field_widget[name=hours] input",
            run: "edit 1:30",
        },
        {
            content: "Add the part used",
            trigger: ".o_notebook_headers a[name=parts]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=move_ids] .o_field_x2many_list_row_add > a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=move_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour Fan Motor",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains(Tour Fan Motor)",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});
