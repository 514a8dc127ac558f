import { registry } from "@web/core/registry";

// A visitor finds a partner in Ireland and opens its page.
registry.category("web_tour.tours").add("prm_portal_directory_tour", {
    url: "/partner-program/directory",
    steps: () => [
        {
            trigger: ".o_prm_directory_filters select[name=country]",
            run: "selectByLabel Ireland",
        },
        {
            trigger: ".o_prm_directory_search",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_prm_directory_card:contains('Tourmaline Resellers')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_prm_directory_description:contains('Tourmaline sells and supports in Ireland')",
        },
    ],
});
