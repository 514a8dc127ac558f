"""Co-branding without any external service: the partner's logo and texts are
drawn into the areas an asset declares, on PDFs (a reportlab overlay merged
page by page with Odoo's PyPDF2 wrappers) and on images (Pillow).

Areas are relative boxes (0..1 of the page width and height, origin at the top
left corner) so that one declaration fits any page size.
"""

import io

from PIL import Image, ImageColor, ImageDraw, ImageFont

from odoo.tools.misc import file_open, file_path
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

# A font Odoo ships (Latin, Greek and Cyrillic): partners' names are drawn
# in their own script, not as missing glyphs.
FONT_PATH = "web/static/fonts/sign/NotoSans-Reg.ttf"
FONT_NAME = "PrmCampaignNoto"
# Text fills at most this share of its box's height.
TEXT_HEIGHT_RATIO = 0.75


def _reportlab_font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        with file_open(FONT_PATH, "rb") as font_file:
            pdfmetrics.registerFont(TTFont(FONT_NAME, io.BytesIO(font_file.read())))
    return FONT_NAME


def _color(value):
    try:
        return ImageColor.getrgb(value or "#000000")[:3]
    except ValueError:
        return (0, 0, 0)


def _logo_image(logo):
    """The logo as an RGBA Pillow image, or None when there is none."""
    if not logo:
        return None
    image = Image.open(io.BytesIO(logo))
    image.load()
    return image.convert("RGBA")


# --- PDF ---


def cobrand_pdf(content, areas, values, logo):
    """Return ``content`` (PDF bytes) with ``values`` (``{kind: text}``) and
    ``logo`` (image bytes) drawn in ``areas`` (dicts: kind, page, x, y,
    width, height, color, align)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    reader = PdfFileReader(io.BytesIO(content), strict=False)
    page_count = len(reader.pages)
    font = _reportlab_font()
    logo_image = _logo_image(logo)
    packet = io.BytesIO()
    overlay = canvas.Canvas(packet)
    sizes = []
    for index in range(page_count):
        box = reader.pages[index].mediabox
        width, height = float(abs(box.width)), float(abs(box.height))
        sizes.append((width, height))
        overlay.setPageSize((width, height))
        for area in areas:
            if area["page"] - 1 != index:
                continue
            left = area["x"] * width
            box_w = area["width"] * width
            box_h = area["height"] * height
            bottom = height - (area["y"] + area["height"]) * height
            if area["kind"] == "logo":
                if logo_image:
                    overlay.drawImage(
                        ImageReader(logo_image),
                        left,
                        bottom,
                        box_w,
                        box_h,
                        mask="auto",
                        preserveAspectRatio=True,
                        anchor="c",
                    )
                continue
            text = values.get(area["kind"])
            if not text:
                continue
            size = min(
                box_h * TEXT_HEIGHT_RATIO,
                box_w / max(overlay.stringWidth(text, font, 1), 0.01),
            )
            red, green, blue = _color(area.get("color"))
            overlay.setFillColorRGB(red / 255, green / 255, blue / 255)
            overlay.setFont(font, size)
            baseline = bottom + (box_h - size) / 2 + size * 0.2
            align = area.get("align") or "left"
            if align == "center":
                overlay.drawCentredString(left + box_w / 2, baseline, text)
            elif align == "right":
                overlay.drawRightString(left + box_w, baseline, text)
            else:
                overlay.drawString(left, baseline, text)
        overlay.showPage()
    overlay.save()
    stamps = PdfFileReader(io.BytesIO(packet.getvalue()), strict=False)
    writer = PdfFileWriter()
    for index in range(page_count):
        page = reader.pages[index]
        page.merge_page(stamps.pages[index])
        writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf_page_count(content):
    return len(PdfFileReader(io.BytesIO(content), strict=False).pages)


# --- Images ---


def _fit_font(draw, text, box_w, box_h):
    size = max(int(box_h * TEXT_HEIGHT_RATIO), 1)
    path = file_path(FONT_PATH)
    while size > 4:
        font = ImageFont.truetype(path, size)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        if right - left <= box_w:
            return font, (left, top, right, bottom)
        size = max(int(size * box_w / max(right - left, 1)), size - 1)
        if size <= 4:
            break
    font = ImageFont.truetype(path, 4)
    return font, draw.textbbox((0, 0), text, font=font)


def cobrand_image(content, areas, values, logo):
    """``cobrand_pdf`` for a PNG or JPEG image; returns bytes of the same
    format (areas' pages are ignored: an image has one)."""
    source = Image.open(io.BytesIO(content))
    image_format = source.format or "PNG"
    image = source.convert("RGBA")
    width, height = image.size
    logo_image = _logo_image(logo)
    draw = ImageDraw.Draw(image)
    for area in areas:
        left = int(area["x"] * width)
        top = int(area["y"] * height)
        box_w = max(int(area["width"] * width), 1)
        box_h = max(int(area["height"] * height), 1)
        if area["kind"] == "logo":
            if logo_image:
                fitted = logo_image.copy()
                fitted.thumbnail((box_w, box_h))
                offset = (
                    left + (box_w - fitted.width) // 2,
                    top + (box_h - fitted.height) // 2,
                )
                image.alpha_composite(fitted, offset)
            continue
        text = values.get(area["kind"])
        if not text:
            continue
        font, (t_left, t_top, t_right, t_bottom) = _fit_font(draw, text, box_w, box_h)
        text_w = t_right - t_left
        align = area.get("align") or "left"
        x = left - t_left
        if align == "center":
            x += (box_w - text_w) // 2
        elif align == "right":
            x += box_w - text_w
        y = top + (box_h - (t_bottom - t_top)) // 2 - t_top
        draw.text((x, y), text, font=font, fill=_color(area.get("color")))
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, format="JPEG", quality=90)
    else:
        image.save(output, format="PNG")
    return output.getvalue()
