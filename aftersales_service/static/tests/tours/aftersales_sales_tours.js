/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The sales rep's path (P7.2, P7.3). The records are made by
// aftersales_service/tests/test_tour_sales.py.

function renewAndConfirm() {
    return [
        {
            content: "Renew the contract",
            trigger: ".o_form_view button[name=action_renew]",
            run: "click",
        },
        {
            content: "The renewal's quotation opens",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Quotation)",
        },
        {
            content: "It bills the maintenance contract",
            trigger: ".o_form_view .o_field_one2many[name=order_line] .o_data_row:contains(Maintenance contract)",
        },
        {
            content: "The customer accepted: confirm it",
            trigger: ".o_form_view .o_form_statusbar button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The quotation is a sales order",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Sales Order)",
        },
    ];
}

registry.category("web_tour.tours").add("aftersales_sales_renewal", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales app",
            trigger: '.o_app[data-menu-xmlid="sale.sale_menu_root"]',
            run: "click",
        },
        {
            content: "Sales opens on the quotations",
            trigger: ".o_breadcrumb:contains(Quotations)",
        },
        {
            content: "Open the maintenance contracts menu",
            trigger: '.o_main_navbar [data-menu-xmlid="aftersales_service.aftersales_contract_menu_sale"]',
            run: "click",
        },
        {
            content: "Open the renewals",
            trigger:
                '.dropdown-item[data-menu-xmlid="aftersales_service.aftersales_contract_menu_sale_renewals"]',
            run: "click",
        },
        {
            content: "The renewals are grouped by sales rep and month; list them flat",
            trigger: ".o_searchview_facet:contains(Sales Rep) .o_facet_remove",
            run: "click",
        },
        {
            content: "Open the contract ending soon",
            trigger: ".o_list_view .o_data_row:contains(Tour Renewing Customer) td[name=name]",
            run: "click",
        },
        {
            content: "Its expiry notice was sent: it is expiring",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Expiring)",
        },
        ...renewAndConfirm(),
    ],
});

registry.category("web_tour.tours").add("aftersales_sales_win_back", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open my activities",
            trigger: ".o-mail-ActivityMenu-counter",
            run: "click",
        },
        {
            content: "Open the contracts I have to win back",
            trigger: ".o-mail-ActivityGroup:contains(Maintenance Contract)",
            run: "click",
        },
        {
            content: "Open the expired contract",
            trigger: ".o_list_view .o_data_row:contains(Tour Lapsed Customer) td[name=name]",
            run: "click",
        },
        {
            content: "It has expired",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Expired)",
        },
        ...renewAndConfirm(),
    ],
});
