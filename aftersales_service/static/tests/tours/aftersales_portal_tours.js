/** @odoo-module **/

import { registry } from "@web/core/registry";

// The portal customer's path (P2.1, P2.3, P2.8, P5, P8.1). The records are made by
// aftersales_service/tests/test_tour_portal.py.

registry.category("web_tour.tours").add("aftersales_portal_request", {
    url: "/my",
    steps: () => [
        {
            content: "Open the request form from the portal home",
            trigger: 'a[href="/my/service-requests/new"]',
            run: "click",
        },
        {
            content: "Give the request a subject",
            trigger: "form.o_aftersales_service_request_form input[name=subject]",
            run: "edit Tour: the purifier does not start",
        },
        {
            content: "The product I bought is offered, not the deposit I paid",
            trigger:
                "select[name=product_id]:has(option:contains(Tour Purifier TP-1)):not(:has(option:contains(Tour Deposit)))",
        },
        {
            content: "Choose the product",
            trigger: "select[name=product_id]",
            run: "selectByLabel Tour Purifier TP-1",
        },
        {
            content: "Give a phone number",
            trigger: "input[name=partner_phone]",
            run: "edit +86 21 5555 0101",
        },
        {
            content: "Describe the fault",
            trigger: "textarea[name=fault_symptom]",
            run: "edit The power light blinks red and the fan never starts.",
        },
        {
            content: "Send the request",
            trigger: "form.o_aftersales_service_request_form button[type=submit]",
            run: "click",
        },
        {
            content: "The request page confirms it",
            trigger: ".alert-success:contains(We have received your request)",
        },
        {
            content: "Its status is in plain words",
            trigger: ".o_aftersales_ticket_status:contains(Received)",
        },
        {
            content: "The acknowledgement is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(We have registered your request)",
        },
        {
            content: "Back to my requests",
            trigger: '.o_portal_submenu a[href="/my/service-requests"]',
            run: "click",
        },
        {
            content: "The list tells the same status",
            trigger:
                "tr:contains(Tour: the purifier does not start) .o_aftersales_ticket_status:contains(Received)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_portal_feedback", {
    url: "/my",
    steps: () => [
        {
            content: "Open my service requests",
            trigger: 'a[href="/my/service-requests"]',
            run: "click",
        },
        {
            content: "Follow the request",
            trigger: "a:contains(Tour: the heater stays cold)",
            run: "click",
        },
        {
            content: "It is solved, in plain words",
            trigger: ".o_aftersales_ticket_status:contains(Solved)",
        },
        {
            content: "Answer the feedback request",
            trigger: "#service_request_feedback a:contains(Give your feedback)",
            run: "click",
        },
        {
            content: "The public feedback page opens",
            trigger: "h1:contains(How did we do?)",
        },
        ...[
            "technician_attitude_4",
            "technician_skill_4",
            "technician_arrival_3",
            "technician_promise_4",
            "service_attitude_5",
            "response_speed_4",
            "resolution_efficiency_5",
        ].map((answer) => ({
            content: `Answer ${answer}`,
            trigger: `label[for=${answer}]`,
            run: "click",
        })),
        {
            content: "Add a comment",
            trigger: "textarea[name=comment]",
            run: "edit Quick and friendly.",
        },
        {
            content: "Send the answers",
            trigger: "form button[type=submit]",
            run: "click",
        },
        {
            content: "Thanked for the feedback",
            trigger: "h1:contains(Thank you!)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_portal_return", {
    url: "/my/orders",
    steps: () => [
        {
            content: "Open the delivered order",
            trigger: 'tbody a[href^="/my/orders/"]',
            run: "click",
        },
        {
            content: "Start a return from the delivered order line",
            trigger: "a.o_aftersales_return_button",
            run: "click",
        },
        {
            content: "The form is about that line, with something left to return",
            trigger: "#return_line:contains(Tour Purifier TP-1):contains(can still be returned)",
        },
        {
            content: "Choose the reason",
            trigger: "select[name=reason_id]",
            run: "selectByLabel Defective product",
        },
        {
            content: "Say what is wrong",
            trigger: "textarea[name=description]",
            run: "edit The fan rattles from the first day.",
        },
        {
            content: "Send the request",
            trigger: "button#return_send:enabled",
            run: "click",
        },
        {
            content: "The return page confirms it",
            trigger: ".alert-success:contains(We have received your request)",
        },
        {
            content: "Its status is in plain words",
            trigger: "#return_status:contains(Submitted)",
        },
    ],
});
