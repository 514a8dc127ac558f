import { registry } from "@web/core/registry";

// The channel manager approves a partner's printed-material order over quota.
registry.category("web_tour.tours").add("prm_campaign_print_approve_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains(Alpha Resellers) .o_data_cell[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "The order is confirmed with its sale order",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Ordered)",
        },
        {
            trigger: ".o_form_view div[name=sale_order_id] a, .o_form_view div[name=sale_order_id] .o_field_many2one_selection",
        },
    ],
});
