import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const HEADER = "Date,SKU,Qty,Amount,Currency,Country,Customer";
const GOOD_ROW = "2025-02-03,SRV-100,2,2000,,DE,Acme GmbH";

// Set a CSV file on the binary field of the upload wizard, as picking it in
// the browser's file dialog does.
function pickFile(name, lines) {
    return {
        content: `Pick the file ${name}`,
        trigger: ".modal .o_field_widget[name=file]",
        run() {
            // The input itself is hidden behind the field's upload button.
            const input = this.anchor.querySelector("input[type=file]");
            const file = new File([lines.join("\n") + "\n"], name, { type: "text/csv" });
            const transfer = new DataTransfer();
            transfer.items.add(file);
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

// An accountant uploads a partner's sell-out file from the menu; one row names
// an unknown product. The report shows the row in error; the accountant uploads
// the corrected file on the same report and validates it.
registry.category("web_tour.tours").add("prm_sellout_upload_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Incentives app",
            trigger: ".o_app[data-menu-xmlid='prm_incentive.menu_prm_incentive_root']",
            run: "click",
        },
        {
            content: "Open the Sell-out menu",
            trigger: ".o_main_navbar [data-menu-xmlid='prm_incentive.menu_prm_incentive_sellout']",
            run: "click",
        },
        {
            content: "Upload a file",
            trigger: ".dropdown-item[data-menu-xmlid='prm_incentive.menu_prm_sellout_upload']",
            run: "click",
        },
        {
            content: "Pick the partner",
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Delta Distribution",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Delta Distribution)",
            run: "click",
        },
        {
            content: "Pick the month",
            trigger: ".modal .o_field_widget[name=month] input",
            run: "edit 02/14/2025 && press Enter",
        },
        pickFile("delta-february.csv", [HEADER, GOOD_ROW, "2025-02-05,NOPE-1,1,10,,DE,Bistro"]),
        {
            content: "The preview shows the rows, columns guessed from their names",
            trigger: ".modal div[name=preview_html] td:contains(NOPE-1)",
        },
        {
            trigger: ".modal div[name=column_product] input:value(SKU)",
        },
        {
            content: "Import",
            trigger: ".modal footer button[name=action_import]",
            run: "click",
        },
        {
            content: "The report says which row cannot be read",
            trigger: ".o_form_view .alert-danger:contains(unknown product “NOPE-1”)",
        },
        {
            content: "Upload the corrected file on the same report",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_upload]:contains(Upload again)",
            run: "click",
        },
        pickFile("delta-february-fixed.csv", [
            HEADER,
            GOOD_ROW,
            "2025-02-05,SVC-INST,1,10,,DE,Bistro",
        ]),
        {
            trigger: ".modal div[name=preview_html] td:contains(SVC-INST)",
        },
        {
            content: "Import again",
            trigger: ".modal footer button[name=action_import]",
            run: "click",
        },
        {
            content: "No row in error any more: validate",
            trigger: "body:not(:has(.modal)) .o_form_view:not(:has(.alert-danger)) .o_statusbar_buttons button[name=action_validate]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Validated)",
        },
    ],
});
