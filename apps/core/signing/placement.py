"""Where the visible signature goes: between the signer's title line and name line (B4, box 7c).

Uses `pdftotext -bbox` (poppler) to find the signer's name on the document; returns None when
the name is not found, so the caller falls back to a default box.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
SEAL_DIAMETER = 100  # points (about 35 mm)


def _pages(pdf_bytes: bytes) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    tool = shutil.which("pdftotext")
    if not tool:
        return []
    try:
        result = subprocess.run(  # noqa: S603 — fixed argv, the PDF goes to stdin
            [tool, "-q", "-bbox", "-", "-"], input=pdf_bytes, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    text = result.stdout.decode("utf-8", "replace")
    pages = []
    for chunk in text.split("<page ")[1:]:
        size = PAGE.search("<page " + chunk)
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(w))
            for a, b, c, d, w in WORD.findall(chunk)
        ]
        pages.append((float(size.group(1)), float(size.group(2)), words))
    return pages


def signer_boxes(pdf_bytes: bytes, signer_name: str):
    """(page index, personal box, seal box) in PDF points, or None if the name is not on the document."""
    target = signer_name.split()
    if not target:
        return None
    pages = _pages(pdf_bytes)
    for index in range(len(pages) - 1, -1, -1):
        _width, height, words = pages[index]
        texts = [w[4] for w in words]
        for start in range(len(texts) - len(target), -1, -1):
            if texts[start : start + len(target)] != target:
                continue
            name_words = words[start : start + len(target)]
            x1 = min(w[0] for w in name_words)
            x2 = max(w[2] for w in name_words)
            name_top = min(w[1] for w in name_words)
            above = [w[3] for w in words if w[3] < name_top - 1 and w[2] > x1 - 40 and w[0] < x2 + 40]
            title_bottom = max(above) if above else name_top - 70
            centre = (x1 + x2) / 2
            top_pdf, bottom_pdf = height - title_bottom - 2, height - name_top + 2
            if top_pdf - bottom_pdf < 30:
                bottom_pdf = top_pdf - 30
            width = max(120.0, (x2 - x1) * 1.4)
            personal = (centre - width / 2, bottom_pdf, centre + width / 2, top_pdf)
            middle = (bottom_pdf + top_pdf) / 2
            seal_right = personal[0] + width / 3  # covers about a third of the signature, on its left
            seal = (
                seal_right - SEAL_DIAMETER,
                middle - SEAL_DIAMETER / 2,
                seal_right,
                middle + SEAL_DIAMETER / 2,
            )
            return index, personal, seal
    return None
