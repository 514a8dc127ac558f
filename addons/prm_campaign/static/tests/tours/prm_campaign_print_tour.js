import { registry } from "@web/core/registry";

// A partner orders printed flyers of its activated kit and follows the order.
registry.category("web_tour.tours").add("prm_campaign_print_tour", {
    steps: () => [
        {
            trigger: ".o_prm_campaign_print_item:contains(A5 flyers) input.o_prm_campaign_quantity",
            run: "edit 3",
        },
        {
            trigger: ".o_prm_campaign_print_item:contains(A5 flyers) button.o_prm_campaign_order",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The order is confirmed, waiting to ship",
            trigger: ".o_prm_campaign_order_row:contains(Ordered) .o_prm_campaign_delivery_to_ship",
        },
    ],
});
