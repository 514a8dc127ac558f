import { registry } from "@web/core/registry";

// A program administrator sets a partner's tier by hand from its form
// (opened by the test), locking it and saying why.
registry.category("web_tour.tours").add("prm_tier_change_tour", {
    steps: () => [
        {
            trigger: "button[name=action_prm_change_tier]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=tier_id] input",
            run: "edit Tour Gold",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Gold')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=lock_until] input",
            run: "edit 12/31/2099",
        },
        {
            // Leaving the date field commits it: the lock reason appears.
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=lock_reason] input",
            run: "edit Pilot",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Strategic account",
        },
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: "a.nav-link:contains('Partner 360')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=prm_tier_id]:contains('Tour Gold')",
            content: "The tier set by hand shows on the partner",
        },
    ],
});
