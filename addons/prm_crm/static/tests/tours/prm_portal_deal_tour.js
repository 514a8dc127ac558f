import { registry } from "@web/core/registry";

// A partner's admin registers a deal on its portal, then (once its channel
// manager approved it) sees it protected (see tests/test_portal_tours.py).
registry.category("web_tour.tours").add("prm_portal_deal_register", {
    url: "/my/deals",
    steps: () => [
        {
            content: "Register a deal",
            trigger: "a.o_prm_deal_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "End customer",
            trigger: "input[name=partner_name]",
            run: "edit Tour Customer S.L.",
        },
        {
            content: "Country",
            trigger: "select[name=country_id]",
            run: "selectByLabel Spain",
        },
        {
            content: "Expected revenue",
            trigger: "input[name=expected_revenue]",
            run: "edit 15000",
        },
        {
            content: "Send it",
            trigger: "button.o_prm_deal_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal is registered and waits for a decision",
            trigger: ".o_prm_deal_registered",
        },
        {
            trigger: ".o_prm_registration_state:contains('Submitted'), .o_prm_registration_state:contains('Conflict')",
        },
    ],
});

registry.category("web_tour.tours").add("prm_portal_deal_approved", {
    url: "/my/deals",
    steps: () => [
        {
            content: "Show the approved registrations",
            trigger: "#portal_searchbar_filters",
            run: "click",
        },
        {
            trigger: ".dropdown-menu a.dropdown-item[href*='filterby=approved']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the approved deal",
            trigger: "tr.o_prm_deal_row:contains('Tour Customer S.L.'):contains('Approved') a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "It is protected",
            trigger: ".o_prm_registration_state:contains('Approved')",
        },
        {
            trigger: ".o_prm_protection_end:not(:empty)",
        },
    ],
});
