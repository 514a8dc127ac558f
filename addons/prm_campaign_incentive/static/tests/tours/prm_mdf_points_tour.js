import { registry } from "@web/core/registry";
import { openCampaignMenu } from "@prm_campaign/../tests/tours/prm_campaign_menu";

// A channel manager converts a partner's loyalty points into funds of its
// open MDF budget, from the budget's form.
registry.category("web_tour.tours").add("prm_mdf_points_tour", {
    url: "/odoo",
    steps: () => [
        ...openCampaignMenu("prm_campaign.menu_prm_mdf_budget"),
        {
            trigger: ".o_list_view .o_data_row:contains(Alpha Resellers) .o_data_cell[name=partner_id]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Convert points)",
            run: "click",
        },
        {
            content: "The wizard shows the partner's points",
            trigger: ".modal .o_field_widget[name=points_balance]:contains(300)",
        },
        {
            trigger: ".modal .o_field_widget[name=points] input",
            run: "edit 200 && click .modal-body",
        },
        {
            content: "At half a unit a point, 200 points add 100",
            trigger: ".modal .o_field_widget[name=amount]:contains(100.00)",
        },
        {
            trigger: ".modal footer button[name=action_convert]",
            run: "click",
        },
        {
            content: "The budget shows the funds from points",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=amount_points]:contains(100.00)",
        },
    ],
});
