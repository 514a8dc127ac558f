import { registry } from "@web/core/registry";

// A partner activates a kit on /my/campaigns and downloads its co-branded PDF.
registry.category("web_tour.tours").add("prm_campaign_kit_tour", {
    steps: () => [
        {
            trigger: ".o_prm_campaign_kit:contains(T-Spring kit) button.o_prm_campaign_activate",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The co-branded PDF is offered for download",
            trigger: "a.o_prm_campaign_file[data-mimetype='application/pdf']",
            async run() {
                const link = document.querySelector(
                    "a.o_prm_campaign_file[data-mimetype='application/pdf']"
                );
                const response = await fetch(link.href);
                const head = (await response.text()).slice(0, 5);
                if (response.status !== 200 || head !== "%PDF-") {
                    throw new Error(`Download failed: ${response.status} ${head}`);
                }
                link.classList.add("o_prm_campaign_downloaded");
            },
        },
        {
            trigger: "a.o_prm_campaign_downloaded",
        },
    ],
});
