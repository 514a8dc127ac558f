import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A channel manager opens the channel dashboard, finds the partner with traffic
// but no sales, raises the threshold, then opens the list of such partners
// (see tests/test_channel_dashboard_tour.py).
registry.category("web_tour.tours").add("prm_channel_dashboard", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Partner Program app",
            trigger: ".o_app[data-menu-xmlid='prm_partner.menu_prm_root']",
            run: "click",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar [data-menu-xmlid='prm_partner.menu_prm_reporting']",
            run: "click",
        },
        {
            content: "Open the dashboard",
            trigger: ".dropdown-item[data-menu-xmlid='prm_sale_crm.menu_prm_channel_dashboard']",
            run: "click",
        },
        {
            content: "The revenue share is shown",
            trigger: ".o_prm_channel_dashboard .o_prm_kpi_share .o_prm_kpi_value",
        },
        {
            content: "Look at the last 3 months",
            trigger: ".o_prm_channel_dashboard select.o_prm_period",
            run: "select 3months",
        },
        {
            content: "The partner with traffic but no sales is listed",
            trigger: ".o_prm_no_sales tr:contains('Tour Traffic Partner'):contains('3')",
        },
        {
            content: "The top partner is listed",
            trigger: ".o_prm_top_partners tr:contains('Tour Top Partner')",
        },
        {
            content: "Raise the threshold",
            trigger: ".o_prm_no_sales input.o_prm_threshold",
            run: "edit 4 && press Enter",
        },
        {
            content: "The partner is below the threshold",
            trigger: ".o_prm_no_sales:not(:contains('Tour Traffic Partner'))",
        },
        {
            content: "Back to 3",
            trigger: ".o_prm_no_sales input.o_prm_threshold",
            run: "edit 3 && press Enter",
        },
        {
            content: "Open the list of partners with traffic but no sales",
            trigger: ".o_prm_no_sales:contains('Tour Traffic Partner') button.o_prm_open_no_sales",
            run: "click",
        },
        {
            content: "The list groups the partner's rows",
            trigger: ".o_list_view .o_group_name:contains('Tour Traffic Partner')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item:first",
            run: "click",
        },
        {
            content: "Open the partner's leads routed from its number",
            trigger:
                ".o_prm_no_sales tr:contains('Tour Traffic Partner') .o_prm_figure[data-figure='offer_count']:contains('3')",
            run: "click",
        },
        {
            content: "The list holds the three offers the number counts",
            trigger:
                ".o_list_view tbody:not(:has(.o_data_row:nth-child(4))) .o_data_row:nth-child(3):contains('Tour Traffic Partner')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item:first",
            run: "click",
        },
        {
            content: "The revenue chart has an axis and the value of each month",
            trigger: ".o_prm_revenue_chart .o_prm_axis div:contains('0')",
        },
        {
            content: "Open the invoices behind the channel revenue card",
            trigger: ".o_prm_kpi_share .small .o_prm_figure[data-figure='channel_revenue']",
            run: "click",
        },
        {
            content: "The invoices list shows the top partner's invoice",
            trigger: ".o_list_view .o_data_row:contains('Tour Top Partner')",
        },
    ],
});
