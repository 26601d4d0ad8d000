"""Staff page listing every registered indicator for an organisation and period, with an Excel export.

The same figures and the same reach as the API (`indicators_api`): people whose "view" scope covers
organisations (leaders, unit heads, IT officers, clerks, administrators).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.export import xlsx_response

from .access import INDICATOR_VIEWER
from .indicators_api import PeriodError, choose_organization, parse_period, reachable_organizations, rows


@access.require(INDICATOR_VIEWER)
def indicator_list(request):
    reachable = reachable_organizations(request.user)
    organization = choose_organization(request.user, reachable, request.GET.get("organization"))
    if organization is None:
        raise Http404
    context = {"organizations": reachable.order_by("path"), "organization": organization}
    try:
        period = parse_period(request.GET)
    except PeriodError as exc:
        context.update(error=str(exc), period=parse_period({}))
        return render(request, "organizations/indicators.html", context, status=400)
    figures = rows(organization, period)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"chi-so-{organization.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
            "Chỉ số",
            [_("Indicator key"), _("Indicator name"), _("Unit"), _("Value"), _("Source module")],
            [(r["key"], r["label"], r["unit"], r["value"], r["source"]) for r in figures],
        )
    context.update(period=period, figures=figures, year=request.GET.get("year", ""))
    return render(request, "organizations/indicators.html", context)
