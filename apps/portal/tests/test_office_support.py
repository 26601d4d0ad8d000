"""Shared fixtures of the editorial-office tests (imported by the test_office_* modules)."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.organizations.roles import Role

__all__ = ["english", "frame", "mail_templates", "office", "topic"]


@pytest.fixture
def english(settings):
    """These tests compare messages with their English source text (the msgids)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def office(make_user, tree):
    """An editor, a leader, the head and a specialist of the technology unit, staff of another unit."""
    return {
        "editor": make_user(Role.EDITOR, username="bientap"),
        "leader": make_user(Role.LEADER, username="lanhdao"),
        "head": make_user(Role.UNIT_HEAD, username="tp-qlcn", unit="tech"),
        "specialist": make_user(Role.SPECIALIST, username="cv-qlcn", unit="tech"),
        "other_staff": make_user(Role.SPECIALIST, username="cv-vp", unit="office"),
        "citizen": make_user(Role.CITIZEN, username="congdan"),
    }


@pytest.fixture
def frame(db):
    """A frame with three genres (values of the test, not law) and two base salaries."""
    from apps.portal.models import BaseSalary, RoyaltyFrame, RoyaltyGenre

    BaseSalary.objects.create(effective_from=dt.date(2019, 7, 1), amount=1_490_000)
    BaseSalary.objects.create(effective_from=dt.date(2023, 7, 1), amount=1_800_000)
    f = RoyaltyFrame.objects.create(
        name="Khung thử", effective_from=dt.date(2020, 1, 1), is_demonstration=True
    )
    genres = {
        code: RoyaltyGenre.objects.create(
            frame=f, code=code, name=name, min_coefficient=Decimal(low), max_coefficient=Decimal(high)
        )
        for code, name, low, high in [
            ("tin", "Tin", "1.0", "2.5"),
            ("anh", "Ảnh", "1.2", "1.8"),
            ("nghien-cuu", "Bài nghiên cứu", "3.0", "4.0"),
        ]
    }
    return {"frame": f, **genres}


@pytest.fixture
def topic(db):
    from apps.portal.models import QuestionTopic

    return QuestionTopic.objects.create(name="Sở hữu trí tuệ")


@pytest.fixture
def mail_templates(db):
    from apps.portal.questions_notifications import ensure_default_templates

    ensure_default_templates()
