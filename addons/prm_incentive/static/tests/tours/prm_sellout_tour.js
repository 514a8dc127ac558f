import { registry } from "@web/core/registry";

// A draft sell-out report with one row that cannot be read: pick the right
// product on that row, save, validate.
registry.category("web_tour.tours").add("prm_sellout_fix_and_validate_tour", {
    steps: () => [
        {
            content: "The report says which row cannot be read",
            trigger: ".o_form_view .alert-danger:contains(unknown product “NOPE-1”)",
        },
        {
            content: "Open the product of the row in error",
            trigger: ".o_field_one2many[name=line_ids] .o_data_row.text-danger td[name=product_id]",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name=line_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Installation",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Installation)",
            run: "click",
        },
        {
            content: "Save the report",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "No row in error any more",
            trigger: ".o_form_view:not(:has(.alert-danger:visible)) .o_form_saved",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_validate]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Validated)",
        },
    ],
});
