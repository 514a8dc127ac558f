import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A channel manager opens the registrations to decide, sees the conflict of one
// and approves it anyway, saying why (see tests/test_deal_tour.py).
registry.category("web_tour.tours").add("prm_deal_registration_approve", {
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
            content: "Open the deal registrations",
            trigger: ".dropdown-item[data-menu-xmlid='prm_crm.menu_prm_deal_registration']",
            run: "click",
        },
        {
            content: "Open the registration in conflict",
            trigger: ".o_list_view .o_data_row:contains('Tour Deal') .o_data_cell:first",
            run: "click",
        },
        {
            content: "The conflict is shown",
            trigger: ".o_form_view .alert-warning:contains('conflicts with')",
        },
        {
            content: "Approve anyway",
            trigger: ".o_form_view button[name='action_prm_open_registration_wizard']:contains('Approve')",
            run: "click",
        },
        {
            content: "The wizard lists the conflicting lead",
            trigger: ".modal .o_field_widget[name='conflict_ids'] .o_data_row:contains('Tour direct lead')",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit The customer asked for this partner",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The decision buttons are gone",
            trigger: ".o_form_view:not(:has(.modal)):not(:has(button[name='action_prm_open_registration_wizard']))",
        },
        {
            content: "Open the Deal registration tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='prm_registration']",
            run: "click",
        },
        {
            content: "The registration is approved",
            trigger: ".o_field_widget[name='prm_registration_state']:contains('Approved')",
        },
    ],
});
