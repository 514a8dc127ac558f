import time

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

# Every answer of the public page takes at least this long (seconds,
# ir.config_parameter ``prm_activation.answer_seconds``): an unknown and a used
# code cannot be told apart by the time they take.
ANSWER_SECONDS = 0.5


class PrmActivationController(http.Controller):
    @http.route("/activate", type="http", auth="public", website=True, sitemap=True)
    def prm_activate_form(self, code=None, **kwargs):
        """The public page: a subscriber enters the code of their card (a QR
        code on the card may carry it in ``code``) and who they are."""
        return request.render(
            "prm_activation.activate_page", {"values": {"code": code or ""}}
        )

    @http.route(
        "/activate/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def prm_activate_submit(self, **post):
        started = time.monotonic()
        values = {
            key: (post.get(key) or "").strip()[:128]
            for key in ("code", "subscriber_name", "subscriber_email", "subscriber_ref")
        }
        Activation = request.env["prm.activation"].sudo()
        Attempt = request.env["prm.activation.attempt"].sudo()
        ip = request.httprequest.remote_addr
        if Attempt._throttled(ip, Attempt._subscriber_key(values)):
            answer = Activation._prm_answer("locked")
            status = 429
        else:
            answer = Activation._prm_activate_many(
                [values], channel="web", user=request.env.user, ip=ip
            )[0]
            status = 200
        self._prm_pad(started)
        return request.render(
            "prm_activation.activate_page",
            {
                "values": values if answer["status"] != "activated" else {},
                "answer": answer,
            },
            status=status,
        )

    def _prm_pad(self, started):
        param = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("prm_activation.answer_seconds")
        )
        try:
            floor = float(param) if param else ANSWER_SECONDS
        except ValueError:
            floor = ANSWER_SECONDS
        left = min(max(floor, 0.0), 5.0) - (time.monotonic() - started)
        if left > 0:
            time.sleep(left)

    @http.route(
        "/prm_activation/export/<int:batch_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def prm_activation_export(self, batch_id):
        """The printer's file of plain codes, once: it is deleted as it is
        handed out."""
        batch = request.env["prm.activation.batch"].browse(batch_id).exists()
        if not batch:
            raise NotFound()
        try:
            exported = batch._prm_pop_export()
        except (AccessError, UserError):
            raise NotFound() from None
        if not exported:
            raise NotFound()
        name, content, mimetype = exported
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Disposition", content_disposition(name)),
                ("Cache-Control", "no-store"),
            ],
        )
