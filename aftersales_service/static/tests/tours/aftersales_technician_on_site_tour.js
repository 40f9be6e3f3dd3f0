/** @odoo-module **/
// P2.6: an on-site job ends with the customer's signature on the technician's
// tablet: End Repair opens the signature dialog (signer, time, recorded by).
// Data comes from the Python test.

import { registry } from "@web/core/registry";
import { signAndConfirmSteps } from "@aftersales_service/../tests/tours/aftersales_tour_steps";

registry.category("web_tour.tours").add("aftersales_technician_on_site_tour", {
    steps: () => [
        {
            content: "End the job on site",
            trigger: ".o_statusbar_buttons button[name=action_aftersales_open_completion_wizard]",
            run: "click",
        },
        {
            content: "The signer is proposed, the time and the technician are shown",
            trigger: ".modal .o_field_widget[name=signed_by] input:value(Wang Fang)",
        },
        {
            trigger: ".modal .o_field_widget[name=user_id]:contains(Tour Technician)",
        },
        ...signAndConfirmSteps("The customer signs on the tablet"),
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Repaired)",
        },
        {
            content: "The signer is on the repair",
            trigger: ".o_notebook_headers a[name=aftersales_service]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=aftersales_signed_by]:contains(Wang Fang)",
        },
    ],
});
