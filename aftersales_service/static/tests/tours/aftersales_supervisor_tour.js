import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * The supervisor's path (P2.9, P6.3, P6.4, P9.1): the escalation queue, an
 * escalated ticket, an extension previewed as the hours are typed, the new
 * deadline on the ticket, then the daily report printed from its dialog.
 * Records come from aftersales_service/tests/test_tour_supervisor.py.
 */
const SUBJECT = "Tour: cold room compressor stops";
let previewedDeadline = null;

function text(element) {
    return element.textContent.replace(/\s+/g, " ").trim();
}

registry.category("web_tour.tours").add("aftersales_supervisor_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open After-Sales",
            trigger: '.o_app[data-menu-xmlid="aftersales_service.aftersales_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Service Desk menu",
            trigger: '.o_menu_sections button[data-menu-xmlid="aftersales_service.aftersales_menu_desk"]',
            run: "click",
        },
        {
            content: "The escalation queue, tickets",
            trigger: '.dropdown-item[data-menu-xmlid="aftersales_service.aftersales_ticket_menu_escalation"]',
            run: "click",
        },
        {
            content: "The queue shows the level and the SLA status as badges",
            trigger: `.o_list_view .o_data_row:contains("${SUBJECT}") td[name=sla_escalation_level]:contains("Manager")`,
        },
        {
            trigger: `.o_list_view .o_data_row:contains("${SUBJECT}") td[name=sla_status]:contains("Missed")`,
        },
        {
            content: "Open the escalated ticket",
            trigger: `.o_list_view .o_data_row:contains("${SUBJECT}") td[name=subject]`,
            run: "click",
        },
        {
            content: "Extend its deadline",
            trigger: '.o_form_view .o_form_statusbar button[name="action_sla_extend"]',
            run: "click",
        },
        {
            content: "The default 8 hours would not be enough: the preview says so",
            trigger: '.modal div[name="preview_still_missed"]:contains("stays missed")',
        },
        {
            content: "Type the hours",
            trigger: '.modal div[name="hours"] input',
            run: "edit 24",
        },
        {
            content: "The preview follows while typing: running again, with the new deadline",
            trigger: '.modal div[name="preview"]:contains("running again")',
            run() {
                const deadline = this.anchor.querySelector('div[name="new_deadline"]');
                previewedDeadline = text(deadline);
                if (!previewedDeadline) {
                    throw new Error("The preview shows no new deadline.");
                }
            },
        },
        {
            content: "The 7-working-day cap is shown",
            trigger: '.modal div[name="latest_deadline"]:not(:empty)',
        },
        {
            content: "Give the reason told to the customer",
            trigger: '.modal div[name="reason"] textarea',
            run: "edit The compressor is shipped from the factory.",
        },
        {
            content: "Confirm",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "Back on the ticket, reloaded: the resolution runs again",
            trigger: 'body:not(:has(.modal)) .o_form_view div[name="sla_resolution_status"]:contains("Running")',
        },
        {
            content: "The ticket shows the previewed deadline",
            trigger: '.o_form_view div[name="sla_resolution_deadline"]',
            run() {
                const shown = text(this.anchor);
                if (shown !== previewedDeadline) {
                    throw new Error(
                        `The ticket shows ${shown}, the preview said ${previewedDeadline}.`
                    );
                }
            },
        },
        {
            content: "It can be extended only once",
            trigger: '.o_form_view .o_form_statusbar:not(:has(button[name="action_sla_extend"]))',
        },
        {
            content: "Open the Reporting menu",
            trigger: '.o_menu_sections button[data-menu-xmlid="aftersales_service.aftersales_menu_reporting"]',
            run: "click",
        },
        {
            content: "Daily work reports",
            trigger: '.dropdown-item[data-menu-xmlid="aftersales_service_report.aftersales_daily_report_wizard_menu"]',
            run: "click",
        },
        {
            content: "The supervisor's report of the team's day",
            trigger: '.modal div[name="kind"]:contains("Supervisor Daily Report")',
        },
        {
            content: "Print",
            trigger: '.modal button[name="action_print"]',
            run: "click",
        },
        {
            content: "The dialog closes once the report is printed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Back on the ticket",
            trigger: `.o_form_view .o_breadcrumb:contains("${SUBJECT}")`,
        },
    ],
});
