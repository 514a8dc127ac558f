import { registry } from "@web/core/registry";

// A channel manager accepts a probable duplicate: the confirmation says so and
// the application is linked to the existing partner (see
// tests/test_application_tour.py).
registry.category("web_tour.tours").add("prm_application_accept_link_tour", {
    url: "/odoo/action-prm_partner.action_prm_application",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Tour Linked Applicant SL')",
            content: "Open the application from the pipeline",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_statusbar button[name=action_open_accept_wizard]:contains('Accept')",
            content: "Accept it",
            run: "click",
        },
        {
            trigger: ".modal .alert-warning:contains('probable duplicate')",
            content: "The confirmation says it is a probable duplicate",
        },
        {
            trigger: ".modal .o_field_widget[name=outcome] input[data-value=link]",
            content: "Link it to the existing partner",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id] input:value(Tour Known Partner)",
            content: "The candidate partner is proposed",
        },
        {
            trigger: ".modal button[name=action_accept]",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(.modal)) .o_field_widget[name=name]:contains('Tour Known Partner'), .o_form_view:not(:has(.modal)) .o_field_widget[name=name] input:value(Tour Known Partner)",
            content: "The existing partner opens",
        },
    ],
});
