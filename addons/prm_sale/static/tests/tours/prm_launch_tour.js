import { registry } from "@web/core/registry";

// Rank partners on the T-Sensors categories, keep the best one and create the
// launch of T-Hub X1 from the wizard.
registry.category("web_tour.tours").add("prm_launch_selection_tour", {
    steps: () => [
        {
            content: "Choose the similar products' category",
            trigger: ".modal div[name=categ_ids] input",
            run: "edit T-Sensors",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(T-Sensors):not(:contains(/))",
            run: "click",
        },
        {
            trigger: ".modal div[name=categ_ids] .o_tag:contains(T-Sensors)",
        },
        {
            content: "Rank the partners",
            trigger: ".modal footer button[name=action_rank]",
            run: "click",
        },
        {
            trigger: ".modal div[name=line_ids] .o_data_row:contains(Alpha Resellers)",
        },
        {
            content: "Keep the best partner only",
            trigger: ".modal div[name=top_n] input",
            run: "edit 1",
        },
        {
            trigger: ".modal button[name=action_select_top]",
            run: "click",
        },
        {
            trigger: ".modal div[name=selected_count]:contains(1)",
        },
        {
            content: "Name the launch",
            trigger: ".modal div[name=launch_name] input",
            run: "edit Tour launch",
        },
        {
            trigger: ".modal div[name=product_tmpl_ids] input",
            run: "edit T-Hub",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(T-Hub X1)",
            run: "click",
        },
        {
            trigger: ".modal div[name=product_tmpl_ids] .o_tag:contains(T-Hub X1)",
        },
        {
            content: "Create the launch",
            trigger: ".modal footer button[name=action_create_launch]",
            run: "click",
        },
        {
            content: "The launch opens with its partner",
            trigger: ".o_action_manager > .o_form_view div[name=partner_count]:contains(1)",
        },
        {
            trigger: ".o_action_manager > .o_form_view div[name=state] .o_arrow_button_current:contains(Draft)",
        },
    ],
});
