import { registry } from "@web/core/registry";
import { openCampaignMenu } from "@prm_campaign/../tests/tours/prm_campaign_menu";

// A channel manager sends a survey to the representatives of the gold
// partners from the Campaigns menu.
registry.category("web_tour.tours").add("prm_campaign_survey_tour", {
    url: "/odoo",
    steps: () => [
        ...openCampaignMenu("prm_campaign.menu_prm_campaign_survey_send", "Open the survey wizard"),
        {
            trigger: ".modal .o_field_widget[name=survey_id] input",
            run: "edit Partner satisfaction",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Partner satisfaction)",
            run: "click",
        },
        {
            content: "Only the gold tier",
            trigger: ".modal .o_field_widget[name=tier_ids] input",
            run: "edit T-Gold",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(T-Gold)",
            run: "click",
        },
        {
            content: "Only the gold partner's representative is selected",
            trigger: ".modal .o_field_widget[name=recipient_ids]:not(:has(.o_tag:contains(Anna Alpha))) .o_tag:contains(Gina Gold)",
        },
        {
            trigger: ".modal .o_field_widget[name=recipient_count]:contains(1)",
        },
        {
            trigger: ".modal footer button[name=action_send]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_notification:contains(Survey sent to 1 representatives)",
        },
    ],
});
