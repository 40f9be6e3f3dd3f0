/** @odoo-module */
// P6.2 then P6.5 for an agent: the records come from aftersales_service/tests/test_tour_agent.py.

import { registry } from "@web/core/registry";

function pick(field, text, search = text) {
    return [
        {
            content: `${field}: ${text}`,
            trigger: `.o_field_widget[name=${field}] input`,
            run: `edit ${search}`,
        },
        {
            trigger: `.o_field_widget[name=${field}] .o-autocomplete--dropdown-item a:contains(${text})`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("aftersales_agent_complaint_to_repair", {
    steps: () => [
        {
            content: "The customer calls: what is wrong",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Purifier rattles since delivery",
        },
        ...pick("partner_id", "Suzhou Tour Appliances", "Suzhou Tour"),
        {
            content: "It is a complaint (the channel stays Phone)",
            trigger: ".o_field_widget[name=ticket_type] select",
            run: "selectByLabel Complaint",
        },
        {
            trigger: ".o_field_widget[name=complaint_category] select",
            run: "selectByLabel Product Quality",
        },
        ...pick("category_id", "Tour fan noise", "Tour fan"),
        ...pick("product_id", "Tour Purifier TP-1", "Tour Purifier"),
        ...pick("lot_id", "TP1-0001"),
        {
            content: "Classify it: responsibility and remedy",
            trigger: ".o_notebook_headers a:contains(Complaint Handling)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=responsibility] select",
            run: "selectByLabel Our Company",
        },
        {
            trigger: ".o_field_widget[name=remedy] select",
            run: "selectByLabel Repair",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the request has its number, and the remedy decided is the next step",
            trigger: ".o_breadcrumb .active:contains(SR/)",
        },
        {
            trigger: "button.btn-primary[name=action_create_repair]",
            run: "click",
        },
        {
            content: "The repair carries the request's customer, product and serial",
            trigger: ".o_field_widget[name=partner_id] input:value(Suzhou Tour Appliances)",
        },
        {
            trigger: ".o_field_widget[name=product_id] input:value(Tour Purifier TP-1)",
        },
        {
            trigger: ".o_field_widget[name=lot_id] input:value(TP1-0001)",
        },
        {
            trigger: ".o_field_widget[name=ticket_id] input:value(Purifier rattles since delivery)",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the repair has its number",
            trigger: ".o_breadcrumb .active:contains(/RO/)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_agent_complaint_after_repair", {
    steps: () => [
        {
            content: "Repaired and returned, but the complaint lacks its root cause: still in progress",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(In Progress)",
        },
        {
            content: "Its owner is asked to record them",
            trigger: ".o-mail-Activity:contains(Record root cause and corrective action)",
        },
        {
            trigger: ".o_notebook_headers a:contains(Complaint Handling)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=root_cause] textarea",
            run: "edit Fan blade out of balance",
        },
        {
            trigger: ".o_field_widget[name=corrective_action] textarea",
            run: "edit Every fan balanced at assembly",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Recorded: the activity is done",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity))",
        },
        {
            content: "Solve it (a folded stage)",
            trigger: ".o_statusbar_status .dropdown-toggle.o_arrow_button:not(:disabled):visible",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .dropdown-item:contains(Solved)",
            run: "click",
        },
        {
            trigger: ".o_form_view .ribbon:contains(Closed)",
        },
    ],
});
