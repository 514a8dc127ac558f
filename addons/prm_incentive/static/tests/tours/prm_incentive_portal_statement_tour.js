import { registry } from "@web/core/registry";

// A partner's finance contact opens a settlement from the Incentives page and
// downloads its statement.
registry.category("web_tour.tours").add("prm_incentive_portal_statement_tour", {
    url: "/my/incentives",
    steps: () => [
        {
            content: "Open the settlement",
            trigger: "table a[href^='/my/incentives/settlements/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Download the statement",
            trigger: ".card-header a.o_prm_statement_download",
            async run() {
                const response = await fetch(this.anchor.href);
                const disposition = response.headers.get("Content-Disposition") || "";
                if (
                    !response.ok ||
                    response.headers.get("Content-Type") !== "application/pdf" ||
                    !disposition.startsWith("attachment") ||
                    !disposition.includes("Statement")
                ) {
                    throw new Error(`Not a statement download: ${response.status} ${disposition}`);
                }
            },
        },
    ],
});
