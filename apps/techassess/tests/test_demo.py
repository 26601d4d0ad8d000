import time

import pytest

from apps.accounts.demo import seed_foundation
from apps.organizations.models import Organization
from apps.techassess.demo import seed_techassess
from apps.techassess.indicators import assessment_figures
from apps.techassess.models import AssessmentResult, Enterprise, Survey

pytestmark = pytest.mark.django_db


class Period:
    def __init__(self, start_year, end_year):
        import datetime

        self.start = datetime.date(start_year, 1, 1)
        self.end = datetime.date(end_year, 12, 31)


def test_demo_seeder_is_fast_idempotent_and_illustrative(settings):
    settings.TECHASSESS_UNIT_CODE = "skhcn-qlcn"
    seed_foundation()
    started = time.monotonic()
    counts = seed_techassess()
    assert time.monotonic() - started < 20
    assert counts["enterprises"] == 60 and counts["surveys"] == 120 and counts["results"] == 120
    assert Enterprise.objects.values("vsic_code").distinct().count() == 5
    again = seed_techassess()
    assert again["enterprises"] == again["surveys"] == again["results"] == 0
    assert counts["demo_account_surveys"] == 1 and again["demo_account_surveys"] == 0
    assert Survey.objects.filter(status="accepted").count() == 120 and AssessmentResult.objects.count() == 120
    draft = Survey.objects.get(enterprise__owner__username="congdan")
    assert draft.status == "draft" and len(draft.sections_saved) == 2
    assert all(r.illustrative for r in AssessmentResult.objects.all())

    figures = assessment_figures(Organization.objects.get(code="skhcn"), Period(2022, 2024))
    assert figures.enterprises_assessed == 60
    assert figures.by_year == {2022: 60, 2024: 60}
    assert sum(figures.class_distribution.values()) == 60
    assert len(figures.class_distribution) >= 3  # the demo spreads over several classes
    assert figures.illustrative
