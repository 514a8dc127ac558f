import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// An accountant reverses the reimbursement of an MDF claim from its form.
registry.category("web_tour.tours").add("prm_mdf_reverse_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='prm_partner.menu_prm_root']",
            run: "click",
        },
        {
            trigger: ".o_main_navbar [data-menu-xmlid='prm_campaign.menu_prm_campaign_root']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='prm_campaign.menu_prm_mdf_claim']",
            run: "click",
        },
        {
            content: "Open the reimbursed claim",
            trigger: ".o_list_view .o_data_row:contains(Alpha Resellers) .o_data_cell[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_reverse]",
            run: "click",
        },
        {
            content: "Confirm the reversal",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The claim is reversed and shows its reversal entry",
            trigger: "body:not(:has(.modal)) .o_form_view .ribbon:contains(Reversed)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=reversal_move_id] a, .o_form_view .o_field_widget[name=reversal_move_id] input",
        },
    ],
});
