import { registry } from "@web/core/registry";

// A partner's admin subscribes its ERP to decided deal registrations on the
// portal (see tests/test_portal.py).
registry.category("web_tour.tours").add("prm_webhook_portal", {
    url: "/my/webhooks",
    steps: () => [
        {
            content: "Choose the event",
            trigger: "form.o_prm_webhook_form select[name=event]",
            run: "selectByLabel Deal registration decided",
        },
        {
            content: "The ERP's endpoint",
            trigger: "form.o_prm_webhook_form input[name=url]",
            run: "edit https://erp.tour.example.com/events",
        },
        {
            content: "Add it",
            trigger: "button.o_prm_webhook_add",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "It is listed with its secret",
            trigger: ".o_prm_webhook_row:contains('https://erp.tour.example.com/events')",
        },
    ],
});
