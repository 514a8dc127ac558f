import { registry } from "@web/core/registry";

// A channel manager opens an application from the pipeline, checks its
// duplicates tab, rejects it with a reason, then reopens it.
registry.category("web_tour.tours").add("prm_application_review_tour", {
    url: "/odoo/action-prm_partner.action_prm_application",
    steps: () => [
        {
            trigger:
                ".o_kanban_record:contains('Tour Applicant SL') .o_field_datetime[name=date_received]:not(:has(.badge))",
            content: "The received date is a plain date, no deadline badge",
        },
        {
            trigger: ".o_kanban_record:contains('Tour Applicant SL')",
            content: "Open the application from the pipeline",
            run: "click",
        },
        {
            trigger: ".o_form_view .alert-warning:contains('Probable duplicate')",
            content: "The probable duplicate is flagged",
        },
        {
            trigger: "a.nav-link:contains('Duplicates')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=duplicate_ids] td:contains('Tour Existing Partner')",
            content: "The candidate partner is listed with its reasons",
        },
        {
            trigger: "button[name=action_reject]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason_id] input",
            run: "edit Out of",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Out of territory')",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_reject]",
            run: "click",
        },
        {
            trigger: ".o_form_view .ribbon:contains('Rejected')",
            content: "Rejected, and still there",
        },
        {
            trigger: "button[name=action_reopen]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('In review')",
        },
    ],
});
