import { registry } from "@web/core/registry";

// From an accrual: correct it by an adjustment with its reason (the accrual
// itself is never edited).
registry.category("web_tour.tours").add("prm_incentive_adjust_tour", {
    steps: () => [
        {
            content: "The accrual's amount is not editable",
            trigger: ".o_form_view .o_field_widget[name=amount] span",
        },
        {
            content: "Adjust it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_adjust]",
            run: "click",
        },
        {
            trigger: ".modal div[name=amount] input",
            run: "edit -20",
        },
        {
            trigger: ".modal div[name=reason] textarea",
            run: "edit Invoice disputed",
        },
        {
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The adjustment opens with its reason and author",
            trigger: ".o_form_view div[name=adjustment_reason]:contains(Invoice disputed)",
        },
        {
            trigger: ".o_form_view div[name=adjusted_by_id]:contains(Arthur Accountant)",
        },
    ],
});
