"""HTML template + data → PDF with WeasyPrint, laid out per Decree 30/2020 (Appendix I)."""

from django.template.loader import render_to_string

# Times New Roman is the legal font; Liberation Serif is metric-compatible, covers Vietnamese and
# installs from Debian (fonts-liberation2), so a server without Microsoft fonts renders the same layout.
FONT_STACK = '"Times New Roman", "Liberation Serif", "DejaVu Serif", serif'

PAGE_SIZES = {"A4": "A4", "A5": "A5", "A4-landscape": "A4 landscape"}


def render_pdf(template_name: str, context: dict, *, page_size: str = "A4") -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango at import time

    if page_size not in PAGE_SIZES:
        raise ValueError(f"Unknown page size {page_size!r}; use one of {', '.join(PAGE_SIZES)}")
    html = render_to_string(
        template_name, {**context, "page_size": PAGE_SIZES[page_size], "font_stack": FONT_STACK}
    )
    return HTML(string=html).write_pdf()
