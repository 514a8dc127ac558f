import { registry } from "@web/core/registry";

// A partner's finance contact uploads its sell-out file on the portal; one row
// names an unknown product: the report's page shows the row and its error, and
// offers the rows in error as a file.
registry.category("web_tour.tours").add("prm_incentive_portal_sellout_tour", {
    url: "/my/incentives/sellout",
    steps: () => [
        {
            content: "Pick the month reported",
            trigger: "form.o_prm_sellout_upload input[name=month]",
            run() {
                this.anchor.value = "2025-02";
            },
        },
        {
            content: "Pick the file, as the browser's file dialog does",
            trigger: "form.o_prm_sellout_upload input[name=file]",
            run() {
                const lines = [
                    "Date,SKU,Qty,Amount,Currency,Country,Customer",
                    "2025-02-03,SRV-100,2,2000,,DE,Acme GmbH",
                    "2025-02-05,NOPE-1,1,10,,DE,Bistro",
                ];
                const file = new File([lines.join("\n") + "\n"], "alpha-february.csv", {
                    type: "text/csv",
                });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Upload",
            trigger: "form.o_prm_sellout_upload button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The report says which row cannot be read",
            trigger: ".o_prm_sellout_error_row:contains(NOPE-1):contains(unknown product)",
        },
        {
            content: "The rows in error can be downloaded",
            trigger: ".o_prm_sellout_errors a.o_prm_sellout_error_file",
            async run() {
                const response = await fetch(this.anchor.href);
                const text = await response.text();
                if (!response.ok || !text.includes("NOPE-1") || text.includes("SRV-100")) {
                    throw new Error(`Unexpected error file: ${response.status} ${text}`);
                }
            },
        },
    ],
});
