import { registry } from "@web/core/registry";

// A partner's admin uploads a checklist document on its portal
// (see tests/test_onboarding_portal_tour.py).
registry.category("web_tour.tours").add("prm_portal_checklist_upload", {
    url: "/my/onboarding",
    steps: () => [
        {
            content: "Choose the document of the item",
            trigger: "tr.o_prm_checklist_item:contains('Tour insurance certificate') input[type=file]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4\n%%EOF\n"], "insurance.pdf", { type: "application/pdf" })
                );
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Upload it",
            trigger: "tr.o_prm_checklist_item:contains('Tour insurance certificate') button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The upload is confirmed",
            trigger: ".o_prm_upload_done",
        },
        {
            content: "The item waits for its review, with the document",
            trigger: "tr.o_prm_checklist_item:contains('Tour insurance certificate'):contains('insurance.pdf') .badge:contains('Submitted')",
        },
    ],
});
