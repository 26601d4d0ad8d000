"""Read queries of the module, already scoped to the user."""

import statistics
from collections import Counter, defaultdict

from django.db.models import Max

from . import permissions
from .models import AssessmentResult, Enterprise, Survey


def can_use_module(user) -> bool:
    return getattr(user, "is_authenticated", False) and (
        permissions.is_enterprise_account(user)
        or permissions.is_officer(user)
        or permissions.can_view_aggregates(user)
    )


def surveys_for(user):
    qs = Survey.objects.select_related("enterprise", "methodology", "organization")
    return permissions.filter_surveys(user, qs).order_by("-year", "enterprise__name", "pk")


def enterprises_for(user):
    return permissions.filter_enterprises(user, Enterprise.objects.select_related("organization")).order_by(
        "name"
    )


def scoped_results(user):
    """Results a person (row scoping) or an API client (its organisation's subtree) may read."""
    client = getattr(user, "client", None)
    qs = AssessmentResult.objects.all()
    if client is not None:
        ids = list(client.organization.subtree().values_list("pk", flat=True))
        return qs.filter(organization__in=ids)
    return permissions.filter_results(user, qs)


def latest_results(user=None, *, methodology=None, year=None):
    """The latest result of each survey (a recomputation replaces the earlier one in aggregates)."""
    qs = AssessmentResult.objects.all()
    if user is not None:
        qs = scoped_results(user)
    if methodology is not None:
        qs = qs.filter(methodology=methodology)
    if year is not None:
        qs = qs.filter(year=year)
    latest = qs.values("survey").annotate(last=Max("pk")).values("last")
    return AssessmentResult.objects.filter(pk__in=latest).select_related("survey__enterprise", "methodology")


def _aggregate(values: list[float], weights: list[float], method: str) -> float:
    if not values:
        return 0.0
    if method == "median":
        return statistics.median(values)
    if method == "weighted_mean" and sum(weights) > 0:
        return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)
    return sum(values) / len(values)


def summarise(results: list[AssessmentResult], definition: dict) -> dict:
    """Count, class distribution and per-group/total/coefficient averages by the methodology's rule."""
    spec = definition.get("aggregation") or {}
    method = spec.get("method") or "mean"
    weight_key = spec.get("weight")
    weights = [float(r.survey.answers.get(weight_key) or 0) if weight_key else 1.0 for r in results]
    groups = {}
    for g in definition.get("groups") or []:
        groups[g["code"]] = round(
            _aggregate([r.groups[g["code"]]["points"] for r in results], weights, method), 2
        )
    classes = Counter(r.klass for r in results)
    return {
        "count": len(results),
        "total": round(_aggregate([float(r.total) for r in results], weights, method), 2),
        "coefficient": round(_aggregate([float(r.coefficient) for r in results], weights, method), 3),
        "groups": groups,
        "classes": [
            {"code": c["code"], "name": c.get("name_vi", c["code"]), "count": classes.get(c["code"], 0)}
            for c in (definition.get("classification") or {}).get("classes") or []
        ],
    }


def sector_average(result: AssessmentResult) -> dict | None:
    peers = list(
        latest_results(methodology=result.methodology, year=result.year).filter(vsic_code=result.vsic_code)
    )
    if len(peers) < 2:
        return None
    return summarise(peers, result.methodology.definition)


def aggregates(user, *, year=None, methodology=None) -> dict:
    from .services import current_methodology

    methodology = methodology or current_methodology()
    if methodology is None:
        return {"methodology": None, "years": [], "illustrative": False}
    all_years = list(latest_results(user, methodology=methodology))
    years = sorted({r.year for r in all_years})
    year = year or (years[-1] if years else None)
    results = [r for r in all_years if r.year == year]
    definition = methodology.definition
    by_industry = defaultdict(list)
    by_commune = defaultdict(list)
    names = {}
    for r in results:
        by_industry[r.vsic_code].append(r)
        names[r.vsic_code] = r.survey.enterprise.industry_name or ""
        by_commune[r.commune].append(r)
    return {
        "methodology": methodology,
        "illustrative": methodology.illustrative,
        "year": year,
        "years": years,
        "province": summarise(results, definition),
        "industries": [
            {"key": k, "name": names[k], "label": f"{k} {names[k]}".strip(), **summarise(v, definition)}
            for k, v in sorted(by_industry.items())
        ],
        "communes": [
            {"key": k, "name": k, **summarise(v, definition)} for k, v in sorted(by_commune.items())
        ],
        "trend": [{"year": y, **summarise([r for r in all_years if r.year == y], definition)} for y in years],
        "group_codes": [g["code"] for g in definition.get("groups") or []],
    }
