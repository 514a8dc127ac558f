import { registry } from "@web/core/registry";

// From a program: preview the close of 2025 Q2, close it, approve and post the
// settlement.
registry.category("web_tour.tours").add("prm_incentive_close_period_tour", {
    steps: () => [
        {
            content: "Open the period close from the program",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_close_period]",
            run: "click",
        },
        {
            content: "Pick a day of the quarter to close",
            trigger: ".modal div[name=date] button",
            run: "click",
        },
        {
            trigger: ".modal div[name=date] input",
            run: "edit 06/30/2025 && press Enter",
        },
        {
            content: "The preview shows what the partner will get",
            trigger: ".modal div[name=preview_html]:contains(Alpha Resellers):contains(50.00)",
        },
        {
            trigger: ".modal footer button[name=action_close]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal:not(.o_technical_modal) footer button.btn-primary, .modal footer button:contains(Ok)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Alpha Resellers) td[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Posted)",
        },
    ],
});

// A posted points settlement reads in points: no money to pay, the payout is
// the points ledger.
registry.category("web_tour.tours").add("prm_points_settlement_tour", {
    steps: () => [
        {
            content: "The payout says what posting did",
            trigger: ".o_form_view div[name=payout_description]:contains(points ledger)",
        },
        {
            content: "The figures are points",
            trigger: ".o_form_view .o_inner_group:has(label:contains(Points credited)) div[name=points_total]:contains(1,200.00)",
        },
        {
            content: "No money to pay is shown",
            trigger: ".o_form_view:not(:has(div[name=amount_to_pay]:visible))",
        },
        {
            content: "The accruals are points too",
            trigger: ".o_form_view .o_field_one2many[name=line_ids] th:contains(Points)",
        },
    ],
});
