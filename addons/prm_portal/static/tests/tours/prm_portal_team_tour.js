import { registry } from "@web/core/registry";

// A partner's admin invites a colleague with the Finance role from the Team page.
registry.category("web_tour.tours").add("prm_portal_team_invite_tour", {
    url: "/my/team",
    steps: () => [
        {
            trigger: ".o_prm_invite_form input[name=name]",
            run: "edit Fiona Finance",
        },
        {
            trigger: ".o_prm_invite_form input[name=email]",
            run: "edit fiona@tourmaline.example.com",
        },
        {
            trigger: ".o_prm_invite_form #prm_invite_role_finance",
            run: "click",
        },
        {
            trigger: ".o_prm_invite_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains('Invitation sent')",
        },
        {
            trigger: "tr.o_prm_member:contains('Fiona Finance') .badge:contains('Invited')",
            content: "The colleague is on the team, invited",
        },
    ],
});

// The invited colleague chooses a password from the invitation link, lands in
// the portal and sees what the Finance role opens: documents, not the team.
registry.category("web_tour.tours").add("prm_portal_colleague_tour", {
    steps: () => [
        {
            trigger: "input[name=password]",
            run: "edit Fiona-Finance-2026",
        },
        {
            trigger: "input[name=confirm_password]",
            run: "edit Fiona-Finance-2026",
        },
        {
            trigger: "form.oe_signup_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_portal_my_home",
            content: "Signed in: the portal home",
        },
        {
            trigger: "a[href='/my/program']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_prm_card_documents",
            content: "Finance sees the documents",
        },
        {
            trigger: ".o_prm_program:not(:has(.o_prm_card_team))",
            content: "…but not the team page",
        },
        {
            trigger: ".o_prm_card_documents",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "tr.o_prm_document:contains('Tour price list')",
        },
    ],
});
