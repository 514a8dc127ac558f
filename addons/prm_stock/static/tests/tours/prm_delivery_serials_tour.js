import { registry } from "@web/core/registry";

// The warehouse records the serial numbers of the kit's set-top box and smart
// card in the delivery's detailed operations, then validates the delivery.
registry.category("web_tour.tours").add("prm_delivery_serials_tour", {
    steps: () => [
        {
            content: "Open the kit's detailed operations",
            trigger: ".o_field_x2many_list .o_data_row:contains(T-TV Kit) button[name=action_show_details]",
            run: "click",
        },
        {
            content: "The reserved kit serial",
            trigger: ".modal .o_data_row:contains(T-KIT-9) td[name=prm_component_lot_ids]",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row.o_selected_row div[name=prm_component_lot_ids] input",
            run: "edit T-KIT-9-STB",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(T-KIT-9-STB)",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row.o_selected_row div[name=prm_component_lot_ids] input",
            run: "edit T-KIT-9-CARD",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(T-KIT-9-CARD)",
            run: "click",
        },
        {
            trigger: ".modal div[name=prm_component_lot_ids] .o_tag:contains(T-KIT-9-CARD)",
        },
        {
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The carrier's tracking reference",
            trigger: "div[name=prm_tracking_ref] input",
            run: "edit TRK-TOUR",
        },
        {
            trigger: ".o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});
