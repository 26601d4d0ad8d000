"""Visible signature appearances (Decree 30/2020 Appendix I, legal-rules B4), drawn as images.

- personal: the signer's handwritten signature, blue, transparent background, centred between
  the title line and the name line. Without an uploaded signature image we draw the name in a
  blue script-like italic (a stand-in, clearly not a real handwritten signature).
- seal: the organisation's seal, red, round, overlapping about 1/3 of the personal signature on
  its left.
- attachment: top right of page 1, no image: number and symbol and the signing time in ISO 8601
  with the Vietnam time zone, 10 pt, black.

pyHanko's built-in fonts cannot write Vietnamese (it would need uharfbuzz), so text is drawn
with Liberation Serif (metric-compatible with Times New Roman) into a high-resolution PNG.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
SCALE = 4  # pixels per PDF point: sharp when printed

BLUE = (20, 50, 170, 255)
RED = (215, 25, 32, 255)
BLACK = (0, 0, 0, 255)


def _font(style: str, size_pt: float):
    path = FONT_DIR / f"LiberationSerif-{style}.ttf"
    try:
        return ImageFont.truetype(str(path), int(size_pt * SCALE))
    except OSError:
        return ImageFont.load_default(size=int(size_pt * SCALE))


def _canvas(width_pt: float, height_pt: float):
    image = Image.new("RGBA", (max(1, int(width_pt * SCALE)), max(1, int(height_pt * SCALE))), (0, 0, 0, 0))
    return image, ImageDraw.Draw(image)


def handwritten_ink(picture: bytes):
    """The strokes of an uploaded handwritten signature (PNG or JPEG, scanned or photographed),
    as B4 wants them: blue on a transparent background, cropped to the ink. Light pixels (the
    paper) become transparent; an existing transparent background stays transparent."""
    from io import BytesIO

    from PIL import ImageChops, ImageOps

    source = ImageOps.exif_transpose(Image.open(BytesIO(picture)))
    rgba = source.convert("RGBA")
    gray = rgba.convert("L")
    # ink strength: white paper (>= 225) is nothing, dark strokes are fully opaque
    ink = gray.point(lambda v: 0 if v >= 225 else min(255, int((225 - v) * 255 / 150)))
    alpha = ImageChops.multiply(ink, rgba.getchannel("A"))
    out = Image.new("RGBA", rgba.size, BLUE)
    out.putalpha(alpha)
    box = alpha.getbbox()
    return out.crop(box) if box else out


def personal_image(name: str, width_pt: float, height_pt: float, signature_png: bytes | None = None):
    """The signer's signature for box 7c: the uploaded handwritten signature when given (blue,
    transparent, fitted and centred without distortion), else a stand-in drawn from the name."""
    if signature_png:
        ink = handwritten_ink(signature_png)
        image, _draw = _canvas(width_pt, height_pt)
        scale = min(image.width * 0.9 / max(1, ink.width), image.height * 0.85 / max(1, ink.height))
        ink = ink.resize((max(1, int(ink.width * scale)), max(1, int(ink.height * scale))), Image.LANCZOS)
        image.alpha_composite(ink, ((image.width - ink.width) // 2, (image.height - ink.height) // 2))
        return image
    image, draw = _canvas(width_pt, height_pt)
    font = _font("BoldItalic", min(20, height_pt / 3))
    text = name.split()[-1] if name else "Ký"
    w = draw.textlength(text, font=font)
    x, y = (image.width - w) / 2, image.height * 0.25
    draw.text((x, y), text, font=font, fill=BLUE)
    # a flourish under the name
    draw.line(
        [(x - 10 * SCALE, y + font.size * 1.25), (x + w + 12 * SCALE, y + font.size * 1.05)],
        fill=BLUE,
        width=2 * SCALE // 2,
    )
    return image


def seal_image(organization: str, diameter_pt: float):
    image, draw = _canvas(diameter_pt, diameter_pt)
    size = image.width
    ring = max(2, size // 40)
    draw.ellipse([ring, ring, size - ring, size - ring], outline=RED, width=ring)
    inner = size * 0.16
    draw.ellipse([inner, inner, size - inner, size - inner], outline=RED, width=max(1, ring // 2))
    # a star in the centre
    cx = cy = size / 2
    r_out, r_in = size * 0.12, size * 0.05
    points = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=RED)
    # the organisation's name around the ring, letter by letter
    text = organization.upper()[:60]
    font = _font("Bold", max(5.0, diameter_pt / 14))
    radius = size / 2 - ring * 2 - font.size * 0.7
    span = min(math.pi * 1.7, len(text) * font.size * 0.62 / radius)
    start = -math.pi / 2 - span / 2
    for i, ch in enumerate(text):
        angle = start + span * (i + 0.5) / max(1, len(text))
        letter, ldraw = Image.new("RGBA", (font.size * 2, font.size * 2), (0, 0, 0, 0)), None
        ldraw = ImageDraw.Draw(letter)
        ldraw.text((font.size / 2, font.size / 2), ch, font=font, fill=RED)
        letter = letter.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = cx + radius * math.cos(angle) - letter.width / 2
        y = cy + radius * math.sin(angle) - letter.height / 2
        image.alpha_composite(letter, (int(x), int(y)))
    return image


def text_image(lines: list[str], width_pt: float, height_pt: float, size_pt: float = 10):
    image, draw = _canvas(width_pt, height_pt)
    font = _font("Regular", size_pt)
    y = 0
    for line in lines:
        w = draw.textlength(line, font=font)
        draw.text(
            (image.width - w - 2 * SCALE, y), line, font=font, fill=BLACK
        )  # right-aligned: top right corner
        y += font.size * 1.2
    return image
