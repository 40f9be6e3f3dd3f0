import { registry } from "@web/core/registry";

/**
 * The supervisor's service dashboard (P9.2): it opens on this quarter, the team
 * filter and the period change the figures, a card opens the records it counts
 * (named after the figure and the period) and the breadcrumb leads back to the
 * dashboard as it was left. Records come from
 * aftersales_service/tests/test_tour_dashboard.py (3 tickets of the tour team,
 * received today).
 */
const TEAM = "Tour Dashboard Team";
const CARD = ".o_aftersales_kpi_card[data-key=tickets]";

registry.category("web_tour.tours").add("aftersales_dashboard_tour", {
    url: "/odoo/aftersales-dashboard",
    steps: () => [
        {
            content: "The dashboard opens on this quarter, with its charts",
            trigger: ".o_aftersales_dashboard .o_aftersales_period[data-period=quarter].active",
        },
        {
            trigger: ".o_aftersales_dashboard_chart[data-chart=channel] canvas",
        },
        {
            content: "Only the tour team",
            trigger: "select.o_aftersales_team",
            run: `selectByLabel ${TEAM}`,
        },
        {
            // The label above the cards names what they were loaded for: wait for
            // it, or a card of the previous load could be read (or clicked).
            content: "The figures are the tour team's",
            trigger: `.o_aftersales_period_label:contains(/^Q\\d .*${TEAM}$/)`,
        },
        {
            // Exactly 3: the whole company's count (113, say) contains a 3 too.
            content: "The team received 3 tickets this quarter",
            trigger: `${CARD} .o_aftersales_kpi_value:contains(/^\\s*3\\s*$/)`,
        },
        {
            content: "Switch to this month",
            trigger: ".o_aftersales_period[data-period=month]",
            run: "click",
        },
        {
            content: "The period is this month, from its first day",
            trigger: ".o_aftersales_period[data-period=month].active",
            run() {
                const from = document.querySelector(".o_aftersales_date_from").value;
                if (!from.endsWith("-01")) {
                    throw new Error(`This month starts on ${from}`);
                }
            },
        },
        {
            content: "The figures are this month's",
            trigger: `.o_aftersales_period_label:contains(${TEAM}):not(:contains(/^Q\\d/))`,
        },
        {
            content: "Open the tickets behind the card",
            trigger: `${CARD} .o_aftersales_kpi_value:contains(/^\\s*3\\s*$/)`,
            run: "click",
        },
        {
            content: "The list is named after the figure, the period and the team",
            trigger: `.o_breadcrumb .active:contains(Tickets received):contains(${TEAM})`,
        },
        {
            content: "It lists the 3 tickets the card counts",
            trigger: ".o_list_view .o_data_row",
            run() {
                const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
                if (rows !== 3) {
                    throw new Error(`The card counts 3 tickets, the list shows ${rows}`);
                }
            },
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb a:contains(Service Dashboard)",
            run: "click",
        },
        {
            content: "It is as it was left: this month, the tour team",
            trigger: ".o_aftersales_period[data-period=month].active",
            run() {
                const team = document.querySelector("select.o_aftersales_team");
                if (team.selectedOptions[0].textContent.trim() !== TEAM) {
                    throw new Error("The team filter was lost");
                }
            },
        },
        {
            trigger: `${CARD} .o_aftersales_kpi_value:contains(/^\\s*3\\s*$/)`,
        },
    ],
});
