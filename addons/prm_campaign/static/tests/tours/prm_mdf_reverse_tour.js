import { registry } from "@web/core/registry";
import { openCampaignMenu } from "@prm_campaign/../tests/tours/prm_campaign_menu";

// An accountant reverses the reimbursement of an MDF claim from its form.
registry.category("web_tour.tours").add("prm_mdf_reverse_tour", {
    url: "/odoo",
    steps: () => [
        ...openCampaignMenu("prm_campaign.menu_prm_mdf_claim"),
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
