import { registry } from "@web/core/registry";

// A partner accepts a routed lead on its portal, moves it on and wins it
// (see tests/test_portal_tours.py).
registry.category("web_tour.tours").add("prm_portal_lead_win", {
    url: "/my/leads",
    steps: () => [
        {
            content: "Accept the offered lead",
            trigger: "tr.o_prm_offer_row:contains('Tour routed lead') button.o_prm_offer_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The lead is ours",
            trigger: ".o_prm_lead_accepted",
        },
        {
            content: "Report a higher expected revenue",
            trigger: "input[name=expected_revenue]",
            run: "edit 9000",
        },
        {
            content: "Save",
            trigger: "button.o_prm_lead_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_prm_lead_saved",
        },
        {
            content: "Mark it as won",
            trigger: "button.o_prm_lead_set_won",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "It is won",
            trigger: ".o_prm_lead_won",
        },
    ],
});
