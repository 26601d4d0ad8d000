#!/usr/bin/env python
"""Builds the docxtpl templates under apps/core/rendering/docx_templates/ (run after editing this file).

The templates are generated, not hand-edited in Word, so that their Jinja tags stay intact and
every change is reviewable here. Layout per Decree 30/2020, Appendix I.
"""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent / "apps" / "core" / "rendering" / "docx_templates"


def para(container, text="", *, bold=False, italic=False, size=13, align=None, upper=False, space_after=0):
    p = container.add_paragraph()
    run = p.add_run(text.upper() if upper else text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    return p


def administrative() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    doc.styles["Normal"].font.size = Pt(13)

    heading = doc.add_table(rows=1, cols=2)
    heading.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = heading.rows[0].cells
    left.paragraphs[0].text = ""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    para(left, "{{ parent_agency }}", size=12.5, align=centre, upper=False)
    para(left, "{{ agency }}", bold=True, size=12.5, align=centre)
    para(left, "Số: {{ number_symbol }}", size=13, align=centre)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12.5, align=centre)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13.5, align=centre)
    para(right, "{{ place_date }}", italic=True, size=13.5, align=centre)

    para(doc, "{{ doc_type }}", bold=True, size=14, align=centre)
    para(doc, "{{ summary }}", bold=True, size=14, align=centre, space_after=12)
    para(doc, "{%p for section in sections %}")
    para(doc, "{{ section.heading }}", bold=True, size=13.5, space_after=4)
    para(doc, "{%p for paragraph in section.paragraphs %}")
    body = para(doc, "{{ paragraph }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
    body.paragraph_format.first_line_indent = Cm(1.27)
    para(doc, "{%p endfor %}")
    para(doc, "{{p section.table_doc }}")
    para(doc, "{%p endfor %}")

    closing = doc.add_table(rows=1, cols=2)
    recipients, signer = closing.rows[0].cells
    recipients.paragraphs[0].text = ""
    para(recipients, "Nơi nhận:", bold=True, italic=True, size=12)
    para(recipients, "{%p for r in recipients %}")
    para(recipients, "- {{ r }}", size=11)
    para(recipients, "{%p endfor %}")
    para(signer, "{{ signer.authority }}", bold=True, size=13.5, align=centre)
    para(signer, "{{ signer.position }}", bold=True, size=13.5, align=centre, space_after=60)
    para(signer, "{{ signer.name }}", bold=True, size=13.5, align=centre)
    return doc


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    administrative().save(OUT / "administrative.docx")
    print(f"wrote {OUT / 'administrative.docx'}")
