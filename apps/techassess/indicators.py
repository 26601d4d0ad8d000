"""Indicators of the technology assessment module.

Each function takes an organisation (its subtree is counted: results belong to the handling unit)
and a period (any object with `start` and `end` dates; the survey year is the year of `start`
through the year of `end`), and returns named values. Only the latest result of each survey counts.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Max

from apps.core import indicators as registry
from apps.core.periods import Period

from .models import AssessmentResult


@dataclass(frozen=True)
class AssessmentFigures:
    enterprises_assessed: int  # distinct enterprises with an accepted, scored survey in the period
    by_year: dict[int, int]  # survey year -> enterprises assessed
    class_distribution: dict[str, int]  # class name -> enterprises (latest year in the period)
    illustrative: bool  # True when any counted result was computed with a demonstration methodology


def _results(organization, period):
    qs = AssessmentResult.objects.filter(
        organization__path__startswith=organization.path,
        year__gte=period.start.year,
        year__lte=period.end.year,
    )
    latest = qs.values("survey").annotate(last=Max("pk")).values("last")
    return AssessmentResult.objects.filter(pk__in=latest).select_related("survey")


def assessment_figures(organization, period) -> AssessmentFigures:
    results = list(_results(organization, period))
    by_year: dict[int, set] = {}
    for r in results:
        by_year.setdefault(r.year, set()).add(r.survey.enterprise_id)
    last_year = max(by_year) if by_year else None
    classes = Counter(r.class_name for r in results if r.year == last_year)
    return AssessmentFigures(
        enterprises_assessed=len({r.survey.enterprise_id for r in results}),
        by_year={year: len(ids) for year, ids in sorted(by_year.items())},
        class_distribution=dict(classes),
        illustrative=any(r.illustrative for r in results),
    )


def enterprises_assessed_per_year(organization, period) -> dict[int, int]:
    return assessment_figures(organization, period).by_year


def class_distribution(organization, period) -> dict[str, int]:
    return assessment_figures(organization, period).class_distribution


# ---------------------------------------------------------------- the registry (DESIGN.md contract)

_figures = registry.shared(assessment_figures)


@registry.register(
    "techassess.enterprises_assessed",
    "Doanh nghiệp được đánh giá trình độ công nghệ (Thông tư 17/2019/TT-BKHCN)",
    "doanh nghiệp",
)
def enterprises_assessed(organization, period: Period) -> int:
    return _figures(organization, period).enterprises_assessed
