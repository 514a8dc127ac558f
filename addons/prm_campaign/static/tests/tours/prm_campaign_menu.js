import { stepUtils } from "@web_tour/tour_utils";

// Steps of a vendor user opening an item of the Campaigns menu from the home
// screen, shared by the backend tours of prm_campaign and its bridges.
export function openCampaignMenu(menuXmlid, content = undefined) {
    return [
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
            content,
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}
