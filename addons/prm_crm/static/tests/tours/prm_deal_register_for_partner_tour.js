import { registry } from "@web/core/registry";

// A channel manager registers a deal a partner phoned in, from the deal
// registrations list (see tests/test_deal_register_for_partner.py).
registry.category("web_tour.tours").add("prm_deal_register_for_partner", {
    url: "/odoo/action-prm_crm.action_prm_deal_registration",
    steps: () => [
        {
            content: "Register a deal from the list",
            trigger: ".o_control_panel button:contains('Register a deal')",
            run: "click",
        },
        {
            content: "Choose the channel partner",
            trigger: ".modal .o_field_widget[name='partner_id'] input",
            run: "edit Tour Phone Partner",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Phone Partner')",
            run: "click",
        },
        {
            content: "Name the end customer's company",
            trigger: ".modal .o_field_widget[name='partner_name'] input",
            run: "edit Tour Phoned Customer SA",
        },
        {
            content: "Its country",
            trigger: ".modal .o_field_widget[name='country_id'] input",
            run: "edit Spain",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Spain')",
            run: "click",
        },
        {
            content: "Register",
            trigger: ".modal button[name='action_register']",
            run: "click",
        },
        {
            content: "The registration opens, submitted",
            trigger: ".o_form_view:not(:has(.modal)) .o_field_widget[name='name']:contains('Tour Phoned Customer SA'), .o_form_view:not(:has(.modal)) .o_field_widget[name='name'] textarea",
        },
        {
            content: "Open the Deal registration tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='prm_registration']",
            run: "click",
        },
        {
            content: "The registration is submitted",
            trigger: ".o_field_widget[name='prm_registration_state']:contains('Submitted')",
        },
    ],
});
