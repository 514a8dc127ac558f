import { registry } from "@web/core/registry";
import { openCampaignMenu } from "@prm_campaign/../tests/tours/prm_campaign_menu";

// The program administrator allocates this period's MDF budgets of one tier
// from the Campaigns menu and lands on the budgets created.
registry.category("web_tour.tours").add("prm_mdf_allocate_tour", {
    url: "/odoo",
    steps: () => [
        ...openCampaignMenu("prm_campaign.menu_prm_mdf_allocate", "Open the allocation wizard"),
        {
            content: "Only the silver tier",
            trigger: ".modal .o_field_widget[name=tier_ids] input",
            run: "edit T-Silver",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(T-Silver)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=tier_ids] .o_tag:contains(T-Silver)",
        },
        {
            trigger: ".modal footer button[name=action_allocate]",
            run: "click",
        },
        {
            content: "The budget created is listed, open",
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:contains(Gamma Systems):contains(Open)",
        },
    ],
});
