import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Incentives > Settlements > Close a period, up to the wizard showing
// `program` preselected (the programs whose period ended last month).
function openCloseWizard(program) {
    return [
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
            content: "The program is preselected",
            trigger: `.modal div[name=program_ids] .o_tag:contains(${program})`,
        },
    ];
}

// An accountant closes with the wizard's defaults; the other programs are
// left out (see tests/test_tour.py).
registry.category("web_tour.tours").add("prm_incentive_close_from_menu_tour", {
    url: "/odoo",
    steps: () => [
        ...openCloseWizard("Monthly tour program"),
        {
            content: "The preview shows what the partner will get",
            trigger: ".modal div[name=preview_html]:contains(Alpha Resellers):contains(50.00)",
        },
        {
            trigger: ".modal footer button[name=action_close]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal:not(.o_technical_modal) footer button.btn-primary, .modal footer button:contains(Ok)",
            run: "click",
        },
        {
            content: "The new settlement is listed",
            trigger: ".o_list_view .o_data_row:contains(Alpha Resellers):contains(Monthly tour program)",
        },
    ],
});

// An accountant queues a large close with *Close in background* and lands on
// the job that follows it (tests/test_tour.py then runs the job as the cron
// would).
registry.category("web_tour.tours").add("prm_incentive_close_background_tour", {
    url: "/odoo",
    steps: () => [
        ...openCloseWizard("Background tour program"),
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
