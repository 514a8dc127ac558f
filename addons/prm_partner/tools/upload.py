"""Checks on files partners upload from the portal: decided on the content
(size, real type sniffed from the bytes), never on the name or the type the
browser announces."""

from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

# 10 MB: a scanned contract or certificate; the system parameter
# ``prm_partner.portal_upload_max_bytes`` changes it.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Documents a reviewer can open safely in a browser or office suite. No SVG,
# HTML or XML: they carry scripts.
ALLOWED_MIMETYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/msword",
    "application/vnd.ms-excel",
}


def upload_max_bytes(env):
    value = (
        env["ir.config_parameter"]
        .sudo()
        .get_param("prm_partner.portal_upload_max_bytes")
    )
    try:
        return int(value) if value else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


def check_upload(env, filename, content, max_bytes=None):
    """Return the mimetype of ``content`` (bytes) when it may be stored, else
    raise a ValidationError naming the file and what is wrong with it."""
    max_bytes = max_bytes or upload_max_bytes(env)
    name = filename or env._("The file")
    if not content:
        raise ValidationError(env._("%(file)s is empty.", file=name))
    if len(content) > max_bytes:
        raise ValidationError(
            env._(
                "%(file)s is too large (%(size)s MB): files up to %(max)s MB "
                "are accepted.",
                file=name,
                size=round(len(content) / 1048576, 1),
                max=round(max_bytes / 1048576, 1),
            )
        )
    mimetype = guess_mimetype(content, default="application/octet-stream")
    head = content[:2048].lstrip().lower()
    if "svg" in mimetype or b"<svg" in head or b"<?xml" in head:
        raise ValidationError(
            env._(
                "%(file)s is an SVG or XML image, which can carry scripts: "
                "upload it as PDF or PNG.",
                file=name,
            )
        )
    if mimetype not in ALLOWED_MIMETYPES:
        raise ValidationError(
            env._(
                "%(file)s is not a document we accept (PDF, image or office "
                "file); its content is %(type)s.",
                file=name,
                type=mimetype,
            )
        )
    return mimetype
