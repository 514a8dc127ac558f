import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// An accountant queues a large close from Incentives > Settlements > Close a
// period with *Close in background* and lands on the job that follows it
// (see tests/test_tour.py, which then runs the job as the cron would).
registry.category("web_tour.tours").add("prm_incentive_close_background_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Incentives app",
            trigger: ".o_app[data-menu-xmlid='prm_incentive.menu_prm_incentive_root']",
            run: "click",
        },
        {
            content: "Open the Settlements menu",
            trigger: ".o_main_navbar [data-menu-xmlid='prm_incentive.menu_prm_incentive_settle']",
            run: "click",
        },
        {
            content: "Open the period close",
            trigger: ".dropdown-item[data-menu-xmlid='prm_incentive.menu_prm_settlement_wizard']",
            run: "click",
        },
        {
            content: "The monthly program is preselected",
            trigger: ".modal div[name=program_ids] .o_tag:contains(Background tour program)",
        },
        {
            content: "Close in background",
            trigger: ".modal footer button[name=action_close_background]",
            run: "click",
        },
        {
            content: "The job opens, queued, for the program",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Queued)",
        },
        {
            content: "It closes the selected program",
            trigger: ".o_form_view div[name=program_ids] .o_tag:contains(Background tour program)",
        },
    ],
});
