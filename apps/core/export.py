"""Excel export of list pages."""

from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from .rendering.xlsx import XLSX_TYPE, render_xlsx


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    response = HttpResponse(render_xlsx(title, headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
