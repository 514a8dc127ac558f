import { registry } from "@web/core/registry";

// A buyer pastes two lines, sees its tier prices and places the order.
registry.category("web_tour.tours").add("prm_quick_order_tour", {
    steps: () => [
        {
            content: "Tier price in the catalogue",
            trigger: "tr[data-product=QO-ROUTER] .o_prm_price:contains(900.00)",
        },
        {
            content: "Paste the lines",
            trigger: "textarea[name=lines]",
            run(helpers) {
                helpers.edit("QO-ROUTER;2\nQO-CABLE;10");
            },
        },
        {
            trigger: "button.o_prm_order_review",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The review shows the tier prices",
            trigger: ".o_prm_quick_order_review tr[data-product=QO-CABLE] .o_prm_price:contains(9.00)",
        },
        {
            trigger: ".o_prm_order_total:contains(1,890.00)",
        },
        {
            trigger: "button.o_prm_order_place",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The order lands in the customer's orders",
            trigger: "#sales_order_table td[name=td_prm_committed_date]",
        },
    ],
});
