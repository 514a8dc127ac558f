import { registry } from "@web/core/registry";

// An administrator drags a partner to a gated onboarding stage: refused with
// the items still to approve; once they are approved, the move goes through
// (see tests/test_onboarding_tour.py).
const card = ".o_prm_onboarding_kanban .o_kanban_record:contains('Tour Gate Partner')";
const readyColumn =
    ".o_prm_onboarding_kanban .o_kanban_group:has(.o_column_title:contains('Ready to activate'))";

registry.category("web_tour.tours").add("prm_onboarding_stage_gate", {
    url: "/odoo/action-prm_partner.action_prm_onboarding_pipeline",
    steps: () => [
        {
            content: "Drag the partner to Ready to activate",
            trigger: card,
            run: `drag_and_drop (${readyColumn})`,
        },
        {
            content: "The move is refused, naming what is missing",
            trigger: ".o_error_dialog:contains('Ready to activate'):contains('Tour gate certificate')",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The partner stays in its stage",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Application review')) .o_kanban_record:contains('Tour Gate Partner')",
        },
        {
            content: "Open the partner",
            trigger: card,
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook .nav-link[name='prm_onboarding']",
            run: "click",
        },
        {
            content: "Approve the submitted item",
            trigger:
                ".o_field_widget[name='prm_checklist_item_ids'] .o_data_row:contains('Tour gate certificate') button[name='action_approve']",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name='prm_checklist_item_ids'] .o_data_row:contains('Tour gate certificate') .o_field_widget[name='state']:contains('Approved')",
        },
        {
            content: "Back to the pipeline",
            trigger: ".breadcrumb-item a:contains('Onboarding pipeline')",
            run: "click",
        },
        {
            content: "Drag the partner to Ready to activate again",
            trigger: card,
            run: `drag_and_drop (${readyColumn})`,
        },
        {
            content: "This time it goes",
            trigger: `${readyColumn} .o_kanban_record:contains('Tour Gate Partner')`,
        },
    ],
});
