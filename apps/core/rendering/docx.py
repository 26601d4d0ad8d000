"""Word template (docxtpl) + data → DOCX, with Times New Roman declared as the font."""

from io import BytesIO
from pathlib import Path

from docx.oxml.ns import qn

TEMPLATE_DIR = Path(__file__).resolve().parent / "docx_templates"
LEGAL_FONT = "Times New Roman"


def _declare_font(document, font: str = LEGAL_FONT) -> None:
    """Sets the font on every style, including the East-Asian/complex-script slots Word reads."""
    for style in document.styles:
        if not hasattr(style, "font") or style.font is None:
            continue
        style.font.name = font
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), font)


def render_docx(template_name: str, context: dict, *, template=None) -> bytes:
    """Renders a template of docx_templates/. Pass `template` when the context holds its sub-documents."""
    from docxtpl import DocxTemplate

    if template is None:
        path = TEMPLATE_DIR / template_name
        if not path.is_file():
            raise FileNotFoundError(f"DOCX template not found: {path}")
        template = DocxTemplate(str(path))
    template.render(context, autoescape=True)
    _declare_font(template.docx)
    buffer = BytesIO()
    template.save(buffer)
    return buffer.getvalue()
