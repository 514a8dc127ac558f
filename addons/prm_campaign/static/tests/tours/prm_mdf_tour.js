import { registry } from "@web/core/registry";

// The MDF flow, in four parts run by one test: the partner submits a request
// on the portal, the channel manager approves it in the backend, the partner
// files a claim with proof, the manager approves and reimburses it.
registry.category("web_tour.tours").add("prm_mdf_portal_request_tour", {
    url: "/my/funds",
    steps: () => [
        {
            content: "Ask for funds",
            trigger: "a.o_prm_mdf_new",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: "form.o_prm_mdf_request_form input[name=title]", run: "edit Tour seminar" },
        { trigger: "form.o_prm_mdf_request_form select[name=activity_type]", run: "select event" },
        { trigger: "form.o_prm_mdf_request_form textarea[name=plan]", run: "edit Two breakfast seminars" },
        {
            trigger: "form.o_prm_mdf_request_form input[name=date_start]",
            run() {
                // Today: the test's budget covers the current quarter.
                this.anchor.value = new Date().toISOString().slice(0, 10);
                document.querySelector("input[name=date_end]").value = this.anchor.value;
            },
        },
        { trigger: "form.o_prm_mdf_request_form input[name=amount_requested]", run: "edit 400" },
        {
            trigger: "form.o_prm_mdf_request_form button.o_prm_mdf_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request waits for the channel manager",
            trigger: ".o_prm_mdf_state:contains(Submitted)",
        },
    ],
});

registry.category("web_tour.tours").add("prm_mdf_backend_approve_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Approved)",
        },
    ],
});

registry.category("web_tour.tours").add("prm_mdf_portal_claim_tour", {
    steps: () => [
        { trigger: "form.o_prm_mdf_claim_form input[name=amount]", run: "edit 250" },
        { trigger: "form.o_prm_mdf_claim_form textarea[name=description]", run: "edit Both seminars held" },
        {
            content: "Attach the proof, as the browser's file dialog does",
            trigger: "form.o_prm_mdf_claim_form input[name=proof]",
            run() {
                const file = new File(["%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"], "proof.pdf", {
                    type: "application/pdf",
                });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: "form.o_prm_mdf_claim_form button.o_prm_mdf_claim_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_prm_mdf_claim_row .o_prm_mdf_claim_state:contains(Submitted)",
        },
    ],
});

registry.category("web_tour.tours").add("prm_mdf_backend_reimburse_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_reimburse]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Reimbursed)",
        },
    ],
});
