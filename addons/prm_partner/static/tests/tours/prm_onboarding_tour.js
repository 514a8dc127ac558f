import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// An administrator opens the onboarding pipeline, opens a partner card and
// approves a submitted checklist item (see tests/test_onboarding_tour.py).
registry.category("web_tour.tours").add("prm_onboarding_approve_item", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Partner Program app",
            trigger: ".o_app[data-menu-xmlid='prm_partner.menu_prm_root']",
            run: "click",
        },
        {
            content: "Open the Onboarding menu",
            trigger: ".o_main_navbar [data-menu-xmlid='prm_partner.menu_prm_onboarding']",
            run: "click",
        },
        {
            content: "Open the pipeline",
            trigger: ".dropdown-item[data-menu-xmlid='prm_partner.menu_prm_onboarding_pipeline']",
            run: "click",
        },
        {
            content: "Open the partner's card",
            trigger: ".o_prm_onboarding_kanban .o_kanban_record:contains('Tour Onboarding Partner')",
            run: "click",
        },
        {
            content: "Open the Onboarding tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='prm_onboarding']",
            run: "click",
        },
        {
            content: "Approve the submitted tax certificate",
            trigger:
                ".o_field_widget[name='prm_checklist_item_ids'] .o_data_row:contains('Tour tax certificate') button[name='action_approve']",
            run: "click",
        },
        {
            content: "The item is approved",
            trigger:
                ".o_field_widget[name='prm_checklist_item_ids'] .o_data_row:contains('Tour tax certificate') .o_field_widget[name='state']:contains('Approved')",
        },
    ],
});
