import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A channel manager declines a routed lead for its partner, through the
// decline wizard and its offer decline reasons (see tests/test_offer_tour.py).
registry.category("web_tour.tours").add("prm_offer_decline", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Partner Program app",
            trigger: ".o_app[data-menu-xmlid='prm_partner.menu_prm_root']",
            run: "click",
        },
        {
            content: "Open the Daily work menu",
            trigger: ".o_main_navbar [data-menu-xmlid='prm_partner.menu_prm_daily']",
            run: "click",
        },
        {
            content: "Open the routed leads",
            trigger: ".dropdown-item[data-menu-xmlid='prm_crm.menu_prm_lead_offer']",
            run: "click",
        },
        {
            content: "Open the offer",
            trigger: ".o_list_view .o_data_row:contains('Tour routed lead') .o_data_cell:first",
            run: "click",
        },
        {
            content: "Decline it for the partner",
            trigger: ".o_form_view button[name='action_prm_open_decline_wizard']",
            run: "click",
        },
        {
            content: "Choose why",
            trigger: ".modal .o_field_widget[name='reason_id'] input",
            run: "edit Outside our territory",
        },
        {
            content: "Pick the reason",
            trigger: ".o-autocomplete--dropdown-item .dropdown-item:contains('Outside our territory')",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The offer is declined",
            trigger: ".o_form_view:not(:has(.modal)) .o_arrow_button_current:contains('Declined')",
        },
    ],
});
