"""An administrative document (Decree 30/2020 layout) described once, rendered to PDF or DOCX."""

import datetime
from dataclasses import dataclass, field

from apps.core.formatting.vn import format_number, place_date_line

from .docx import render_docx
from .pdf import render_pdf


@dataclass
class Table:
    headers: list[str]
    rows: list[list]  # cells: str, int/float/Decimal (formatted and right-aligned) or None


@dataclass
class Section:
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None


@dataclass
class Signer:
    position: str
    name: str
    authority: str = ""  # "KT. GIÁM ĐỐC", "TL. GIÁM ĐỐC"…


@dataclass
class AdministrativeDocument:
    agency: str
    doc_type: str  # "BÁO CÁO", "KẾ HOẠCH"…
    summary: str
    place: str
    date: datetime.date
    signer: Signer
    parent_agency: str = ""
    number_symbol: str = "      /BC-SKHCN"  # left open until the clerk issues a number
    sections: list[Section] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)

    def context(self) -> dict:
        return {
            "parent_agency": self.parent_agency.upper(),
            "agency": self.agency.upper(),
            "number_symbol": self.number_symbol,
            "place_date": place_date_line(self.place, self.date),
            "doc_type": self.doc_type.upper(),
            "summary": self.summary,
            "signer": self.signer,
            "recipients": self.recipients,
            "sections": self.sections,
        }


def _cell(value) -> dict:
    if isinstance(value, int | float) and not isinstance(value, bool) or type(value).__name__ == "Decimal":
        return {"text": format_number(value), "num": True}
    return {"text": "" if value is None else str(value), "num": False}


def to_pdf(document: AdministrativeDocument, *, page_size: str = "A4") -> bytes:
    context = document.context()
    context["sections"] = [
        {
            "heading": s.heading,
            "paragraphs": s.paragraphs,
            "table": {"headers": s.table.headers, "rows": [[_cell(c) for c in row] for row in s.table.rows]}
            if s.table
            else None,
        }
        for s in document.sections
    ]
    return render_pdf("core/documents/administrative.html", context, page_size=page_size)


def to_docx(document: AdministrativeDocument) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docxtpl import DocxTemplate

    from .docx import TEMPLATE_DIR

    # Tables are built as sub-documents: their column count varies from section to section.
    holder = DocxTemplate(str(TEMPLATE_DIR / "administrative.docx"))
    sections = []
    for s in document.sections:
        table_doc = None
        if s.table:
            table_doc = holder.new_subdoc()
            table = table_doc.add_table(rows=1, cols=len(s.table.headers))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, s.table.headers, strict=True):
                cell.text = header
                cell.paragraphs[0].runs[0].bold = True
            for row in s.table.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    data = _cell(value)
                    cell.text = data["text"]
                    if data["num"]:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        sections.append({"heading": s.heading, "paragraphs": s.paragraphs, "table_doc": table_doc})
    context = document.context()
    context["sections"] = sections
    return render_docx("administrative.docx", context, template=holder)
