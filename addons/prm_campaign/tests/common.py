"""Fixtures of the campaign kit tests: a kit running today with a one-page PDF
flyer and a PNG banner (made here with reportlab and Pillow) declaring
co-branding areas, social posts, an email template and printed flyers with a
quota; partner A with a red logo, a phone and a website, and its portal
contact with the *sales* role. Chained on the CRM (deals, routing) and sales
(company with a chart of accounts) fixtures."""

import base64
import io
from datetime import timedelta

from PIL import Image
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

from odoo import Command
from odoo.tools.pdf import PdfFileReader

from odoo.addons.prm_crm.tests.common import PrmDealCommon
from odoo.addons.prm_sale.tests.common import PrmSaleCommon

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def make_pdf(text="Spring flyer"):
    packet = io.BytesIO()
    pdf = canvas.Canvas(packet, pagesize=A5)
    pdf.setFont("Helvetica", 20)
    pdf.drawString(40, 500, text)
    pdf.showPage()
    pdf.save()
    return packet.getvalue()


def make_png(size=(400, 200), color=(255, 255, 255), fmt="PNG"):
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format=fmt)
    return output.getvalue()


def pdf_text(data):
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return "\n".join(page.extract_text() for page in reader.pages)


def count_color(image_bytes, box, color, tolerance=40):
    """Pixels of ``box`` (relative left, top, width, height) close to
    ``color``."""
    image = Image.open(io.BytesIO(image_bytes)).convert("RGB")
    width, height = image.size
    left, top, box_w, box_h = box
    crop = image.crop(
        (
            int(left * width),
            int(top * height),
            int((left + box_w) * width),
            int((top + box_h) * height),
        )
    )
    return sum(
        1
        for pixel in crop.getdata()
        if all(abs(pixel[i] - color[i]) <= tolerance for i in range(3))
    )


class PrmCampaignCommon(PrmDealCommon, PrmSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_a.sudo().write(
            {
                "image_1920": base64.b64encode(make_png((64, 64), RED)),
                "phone": "+34 910 000 111",
                "website": "https://alpha.example.com",
            }
        )
        cls.contact_a.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_sales").ids)
        ]
        cls.contact_b.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_sales").ids)
        ]
        cls.template = cls.env["mail.template"].create(
            {
                "name": "T-Kit email",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "subject": "Fibre with {{ object.name }}",
                "body_html": '<p>Ask <t t-out="object.name"/> today: '
                '<a href="https://example.com/fibre">the offer</a></p>',
            }
        )
        cls.kit = cls._create_kit()
        cls.asset_pdf = cls._create_asset(
            cls.kit,
            "Flyer",
            make_pdf(),
            "flyer.pdf",
            [
                {"kind": "name", "x": 0.1, "y": 0.8, "width": 0.8, "height": 0.06},
                {"kind": "phone", "x": 0.1, "y": 0.87, "width": 0.8, "height": 0.04},
                {"kind": "logo", "x": 0.7, "y": 0.05, "width": 0.2, "height": 0.1},
            ],
        )
        cls.logo_box = (0.05, 0.5, 0.3, 0.45)
        cls.asset_png = cls._create_asset(
            cls.kit,
            "Banner",
            make_png(),
            "banner.png",
            [
                dict(
                    zip(("x", "y", "width", "height"), cls.logo_box, strict=True),
                    kind="logo",
                ),
                {"kind": "name", "x": 0.4, "y": 0.6, "width": 0.55, "height": 0.2},
            ],
        )
        cls.env["prm.campaign.kit.post"].create(
            {
                "kit_id": cls.kit.id,
                "network": "linkedin",
                "body": "{partner} brings you fibre: {url}",
            }
        )
        cls.product_flyers = cls._create_product(
            name="Printed flyers", type="consu", lst_price=0.0
        )
        cls.item = cls.env["prm.campaign.print.item"].create(
            {
                "kit_id": cls.kit.id,
                "name": "A5 flyers",
                "product_id": cls.product_flyers.id,
                "quota": 10,
            }
        )

    @classmethod
    def _create_kit(cls, **vals):
        return cls.env["prm.campaign.kit"].create(
            {
                "name": "T-Spring kit",
                "date_start": cls.today - timedelta(days=10),
                "date_end": cls.today + timedelta(days=30),
                "landing_url": "https://example.com/fibre",
                "mail_template_id": cls.template.id,
                "company_id": cls.env.company.id,
                **vals,
            }
        )

    @classmethod
    def _create_asset(cls, kit, name, data, file_name, areas):
        return cls.env["prm.campaign.asset"].create(
            {
                "kit_id": kit.id,
                "name": name,
                "file": base64.b64encode(data),
                "file_name": file_name,
                "area_ids": [Command.create(area) for area in areas],
            }
        )

    @classmethod
    def _activate(cls, partner=None, kit=None):
        return cls.env["prm.campaign.activation"]._prm_activate(
            kit or cls.kit, partner or cls.partner_a
        )

    @staticmethod
    def _file(activation, mimetype):
        attachment = activation.file_ids.filtered(lambda a: a.mimetype == mimetype)
        return base64.b64decode(attachment.datas)

    @classmethod
    def _order(cls, activation, quantity, item=None):
        return cls.env["prm.campaign.print.order"].create(
            {
                "activation_id": activation.id,
                "item_id": (item or cls.item).id,
                "quantity": quantity,
            }
        )
