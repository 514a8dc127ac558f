import { registry } from "@web/core/registry";

// A subscriber activates the card whose code the page was opened with.
registry.category("web_tour.tours").add("prm_activation_public_tour", {
    steps: () => [
        {
            trigger: "input[name='code']:value(/.+/)",
        },
        {
            trigger: "input[name='subscriber_name']",
            run: "edit Ada Subscriber",
        },
        {
            trigger: "input[name='subscriber_email']",
            run: "edit ada@example.com",
        },
        {
            trigger: "button.o_prm_activation_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_prm_activation_answer.alert-success",
        },
    ],
});
