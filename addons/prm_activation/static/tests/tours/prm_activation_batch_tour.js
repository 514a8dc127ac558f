import { registry } from "@web/core/registry";

// The vendor's flow on a code batch: generate the codes, assign a range to a
// partner, then void part of it (lost cards).
registry.category("web_tour.tours").add("prm_activation_batch_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_cell:contains(Tour fibre card)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_generate]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_assign]",
            run: "click",
        },
        {
            trigger: ".modal div[name=partner_id] input",
            run: "edit Alpha Resellers",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Alpha Resellers)",
            run: "click",
        },
        {
            trigger: ".modal div[name=serial_to] input",
            run: "edit 10",
        },
        {
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The range is listed on the batch",
            trigger: ".o_form_view div[name=range_ids] .o_data_cell:contains(Alpha Resellers)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_void]",
            run: "click",
        },
        {
            trigger: ".modal div[name=serial_from] input",
            run: "edit 6",
        },
        {
            trigger: ".modal div[name=serial_to] input",
            run: "edit 8",
        },
        {
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Three codes voided",
            trigger: ".o_form_view:not(:has(.modal)) div[name=voided_count]:contains(3)",
        },
    ],
});
