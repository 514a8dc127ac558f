import { registry } from "@web/core/registry";

// A representative opens a course from /my/training, takes its certification
// exam in the Survey pages, passes, and finds the certificate and the tier
// progress on the training page.
registry.category("web_tour.tours").add("prm_training_exam_tour", {
    url: "/my/training",
    steps: () => [
        {
            content: "Before the exam the next tier misses the certification",
            trigger: ".o_prm_training_progress:contains(missing)",
        },
        {
            content: "Open the course of the certification path",
            trigger: "a.o_prm_training_course:contains(T-Storage course)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the certification slide",
            trigger: "a[href*='/slides/slide/']:contains(T-Exam)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Begin the certification (the link opens a new tab: follow it here)",
            trigger: "a[href*='get_certification_url']:contains(Begin Certification)",
            run() {
                window.location.href = this.anchor.getAttribute("href");
            },
            expectUnloadPage: true,
        },
        {
            content: "Start the exam",
            trigger: "button:contains(Start Certification)",
            run: "click",
        },
        {
            trigger: "div.js_question-wrapper:contains(T-Storage exam question 1) label:contains(Right)",
            run: "click",
        },
        {
            trigger: "div.js_question-wrapper:contains(T-Storage exam question 2) label:contains(Right)",
            run: "click",
        },
        {
            content: "Submit the answers",
            trigger: "button[type=submit]:contains(Submit)",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary:contains(Submit)",
            run: "click",
        },
        {
            content: "Passed",
            trigger: "div:contains(Congratulations, you have passed the test!)",
            run() {
                window.location.href = "/my/training";
            },
            expectUnloadPage: true,
        },
        {
            content: "The certificate is listed",
            trigger: "tr.o_prm_training_certificate:contains(T-Safe storage):contains(Valid)",
        },
        {
            content: "The tier progress counts it",
            trigger: ".o_prm_training_progress .fa-check",
        },
    ],
});
