import { registry } from "@web/core/registry";

// A channel manager routes an opportunity that has no country: the notification
// and the Routing tab say why no partner got it, and the tab shows the country
// to fill in (see tests/test_routing_feedback.py).
registry.category("web_tour.tours").add("prm_route_unroutable", {
    steps: () => [
        {
            content: "Route the opportunity to a partner",
            trigger: ".o_form_view .o_form_statusbar button[name='action_prm_route']",
            run: "click",
        },
        {
            content: "The notification says why it was not offered",
            trigger: ".o_notification:contains('0 of 1'):contains('Tour Nowhere Deal'):contains('has no country')",
        },
        {
            content: "Open the Routing tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='prm_routing']",
            run: "click",
        },
        {
            content: "The reason stays on the lead",
            trigger: ".o_form_view .o_prm_routing_blocker:contains('has no country')",
        },
        {
            content: "The country can be set right there",
            trigger: ".o_form_view .o_notebook .o_field_widget[name='country_id'] input",
        },
    ],
});
