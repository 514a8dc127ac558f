import { registry } from "@web/core/registry";

// A partner files an installation request for a kit it received.
registry.category("web_tour.tours").add("prm_installation_request_tour", {
    steps: () => [
        {
            trigger: "a.o_prm_installation_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Only the partner's delivered serials are offered",
            trigger: "select[name=lot_id]:has(option:first-child:contains(T-KIT-1))",
        },
        { trigger: "input[name=customer_name]", run: "edit Tina Tour" },
        { trigger: "input[name=customer_street]", run: "edit 5 Elm Street" },
        { trigger: "input[name=customer_city]", run: "edit Springfield" },
        { trigger: "input[name=customer_phone]", run: "edit +1 555 0199" },
        {
            trigger: "input[name=preferred_date]",
            run() {
                this.anchor.value = "2035-01-15";
            },
        },
        {
            trigger: "button.o_prm_installation_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is filed",
            trigger: ".o_prm_installation_state:contains(New)",
        },
    ],
});

// After the vendor completed the job, the partner rates it.
registry.category("web_tour.tours").add("prm_installation_rate_tour", {
    steps: () => [
        {
            trigger: ".o_prm_installation_state:contains(Done)",
        },
        {
            trigger: ".o_prm_rate_form input[name=rate][value='5']",
            run: "click",
        },
        {
            trigger: ".o_prm_rate_form textarea[name=feedback]",
            run: "edit Neat work",
        },
        {
            trigger: "button.o_prm_rate_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rating is shown",
            trigger: ".o_prm_rated:contains(Neat work)",
        },
    ],
});

// The vendor's team plans the request (technician, date) and closes it.
registry.category("web_tour.tours").add("prm_installation_plan_tour", {
    steps: () => [
        {
            trigger: ".o_form_view div[name=user_id] input",
            run: "edit Charlie",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Charlie Channel)",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=planned_date] input",
            run: "edit 01/15/2035 09:00:00",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_plan]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Planned)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_done]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});
