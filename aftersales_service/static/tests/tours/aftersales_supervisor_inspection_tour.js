/** @odoo-module **/
// P3.4: the supervisor inspects a workshop repair under repair: the three checks
// and a note in the inspection dialog. Data comes from the Python test.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_supervisor_inspection_tour", {
    steps: () => [
        {
            content: "Inspect the repaired product",
            trigger: ".o_statusbar_buttons button[name=action_aftersales_open_inspection_wizard]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=check_function] input",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=check_appearance] input",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=check_accessories] input",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Ran 30 minutes at full speed, quiet",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Inspected: the button is gone, End Repair is there",
            trigger:
                ".o_form_view .o_statusbar_buttons:has(button[name=action_repair_end]):not(:has(button[name=action_aftersales_open_inspection_wizard]))",
        },
    ],
});
