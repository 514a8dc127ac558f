import { registry } from "@web/core/registry";

// The vendor confirms a partner's quick order and moves the promised date of
// its first line.
registry.category("web_tour.tours").add("prm_vendor_order_tour", {
    steps: () => [
        {
            content: "Confirm the partner's quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
        {
            content: "Open the committed date of the router's line",
            trigger:
                ".o_field_x2many_list .o_data_row:contains(QO Router) td[name=prm_committed_date]",
            run: "click",
        },
        {
            trigger:
                ".o_field_x2many_list .o_data_row.o_selected_row td[name=prm_committed_date] input",
            run: "edit 01/15/2035",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, with the new date",
            trigger:
                ".o_form_view:has(.o_form_status_indicator_buttons.invisible) .o_data_row:contains(QO Router) td[name=prm_committed_date]:contains(Jan 15, 2035)",
        },
    ],
});
