import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A channel manager opens a partner and follows its smart buttons: the deals
// (CRM) and the orders (Sales) sold through it (see tests/test_partner_360_tour.py).
registry.category("web_tour.tours").add("prm_partner_360", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Partner Program app",
            trigger: ".o_app[data-menu-xmlid='prm_partner.menu_prm_root']",
            run: "click",
        },
        {
            content: "Open the Program menu",
            trigger: ".o_main_navbar [data-menu-xmlid='prm_partner.menu_prm_program']",
            run: "click",
        },
        {
            content: "Open the channel partners",
            trigger: ".dropdown-item[data-menu-xmlid='prm_partner.menu_prm_partner']",
            run: "click",
        },
        {
            content: "Open the partner",
            trigger: ".o_list_view .o_data_row:contains('Tour 360 Partner') .o_data_cell:first",
            run: "click",
        },
        {
            content: "Unfold the smart buttons (the box folds the extra ones)",
            trigger: ".o_form_view .o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Open its channel deals",
            trigger: ".o_dropdown_more button[name='action_prm_open_opportunities']:contains('1')",
            run: "click",
        },
        {
            content: "The deal is listed",
            trigger: ".o_view_controller:contains('Tour 360 deal')",
        },
        {
            content: "Back to the partner",
            trigger: ".o_breadcrumb .breadcrumb-item:contains('Tour 360 Partner') a",
            run: "click",
        },
        {
            content: "Unfold the smart buttons (the box folds the extra ones)",
            trigger: ".o_form_view .o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Open its channel sales",
            trigger: ".o_dropdown_more button[name='action_prm_open_sales']:contains('1')",
            run: "click",
        },
        {
            content: "The order is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour 360 Customer')",
        },
    ],
});
