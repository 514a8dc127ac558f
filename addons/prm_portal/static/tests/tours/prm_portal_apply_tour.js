import { registry } from "@web/core/registry";

// A visitor applies to the partner program through the public form.
registry.category("web_tour.tours").add("prm_portal_apply_tour", {
    url: "/partner-program/apply",
    steps: () => [
        {
            trigger: ".o_prm_apply_form input[name=name]",
            run: "edit Tour Applicant GmbH",
        },
        {
            trigger: ".o_prm_apply_form select[name=country_id]",
            run: "selectByLabel Germany",
        },
        {
            trigger: ".o_prm_apply_form select[name=partner_type_id]",
            run: "selectByLabel Reseller",
        },
        {
            trigger: ".o_prm_apply_form input[name=contact_name]",
            run: "edit Tina Tour",
        },
        {
            trigger: ".o_prm_apply_form input[name=email]",
            run: "edit tina@tour-applicant.example.com",
        },
        {
            trigger: ".o_prm_apply_form textarea[name=description]",
            run: "edit We sell in Bavaria.",
        },
        {
            trigger: ".o_prm_apply_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_prm_apply_thanks:contains('We received your application')",
        },
    ],
});
