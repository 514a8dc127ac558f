import { registry } from "@web/core/registry";

// A channel manager opens a partner's Partner 360 tab, reads the progress
// towards the next tier and clicks a figure to land on the records behind it
// (see tests/test_partner_360.py).
registry.category("web_tour.tours").add("prm_partner_360_tour", {
    steps: () => [
        {
            content: "Open the Partner 360 tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='prm_partner']",
            run: "click",
        },
        {
            content: "The next tier and its rule's progress bar",
            trigger:
                ".o_prm_360_section[data-section='tier']:contains('Tour Top') .o_prm_360_bar:contains('1') .progress-bar[style*='width: 50%']",
        },
        {
            content: "Open the partner's active agreements",
            trigger: ".o_prm_360_figure_row[data-figure='agreements'] a.o_prm_360_figure:contains('1')",
            run: "click",
        },
        {
            content: "The list of the agreements behind the figure",
            trigger: ".o_list_view .o_data_row:contains('Tour 360 Tab Partner')",
        },
        {
            trigger: ".o_breadcrumb:contains('Agreements')",
        },
    ],
});
