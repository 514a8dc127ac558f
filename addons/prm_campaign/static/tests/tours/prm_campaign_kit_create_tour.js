import { registry } from "@web/core/registry";
import { openCampaignMenu } from "@prm_campaign/../tests/tours/prm_campaign_menu";

// The program administrator creates a kit from the Campaigns menu with a PNG
// banner declaring where the partner's logo and name go.
registry.category("web_tour.tours").add("prm_campaign_kit_create_tour", {
    url: "/odoo",
    steps: () => [
        ...openCampaignMenu("prm_campaign.menu_prm_campaign_kit"),
        {
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour autumn kit",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=date_start] input",
            run: "edit 09/01/2026 && press Enter",
        },
        {
            content: "Add a file",
            trigger: ".o_form_view .o_field_widget[name=asset_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Autumn banner",
        },
        {
            content: "Pick a PNG banner, as the browser's file dialog does",
            trigger: ".modal .o_field_widget[name=file]",
            async run() {
                const canvas = document.createElement("canvas");
                canvas.width = 400;
                canvas.height = 200;
                const context = canvas.getContext("2d");
                context.fillStyle = "#ffffff";
                context.fillRect(0, 0, 400, 200);
                const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "autumn.png", { type: "image/png" }));
                const input = this.anchor.querySelector("input[type=file]");
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".modal .o_field_widget[name=file] input.o_input:value(autumn.png)",
        },
        {
            content: "Declare the logo area",
            trigger: ".modal .o_field_widget[name=area_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=area_ids] .o_selected_row .o_field_widget[name=x] input",
            run: "edit 0.05",
        },
        {
            trigger: ".modal .o_field_widget[name=area_ids] .o_selected_row .o_field_widget[name=y] input",
            run: "edit 0.5",
        },
        {
            trigger: ".modal .o_field_widget[name=area_ids] .o_selected_row .o_field_widget[name=width] input",
            run: "edit 0.3",
        },
        {
            trigger: ".modal .o_field_widget[name=area_ids] .o_selected_row .o_field_widget[name=height] input",
            run: "edit 0.45",
        },
        {
            content: "Save the file",
            trigger: ".modal footer .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_field_widget[name=asset_ids] .o_data_row:contains(Autumn banner)",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
