"""Report pre-fill reads other modules' figures through the indicators registry; keys stored before
the registry existed keep reading the same figure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core import indicators
from apps.core.periods import Period
from apps.organizations.roles import Role
from apps.tasks import reporting

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
START, END = datetime.date(THIS_YEAR, 1, 1), datetime.date(THIS_YEAR, 12, 31)  # accounts made today


def _row(code, source_key):
    return {
        "code": code,
        "label": code,
        "kind": "integer",
        "unit": "",
        "required": False,
        "min_value": None,
        "max_value": None,
        "formula": "",
        "source_key": source_key,
        "order": None,
    }


def test_legacy_keys_read_the_registered_figure(tree, make_user):
    make_user(Role.SPECIALIST, username="cv1")
    make_user(Role.UNIT_HEAD, username="tp1")
    sources = reporting.indicator_sources()
    period = Period(START, END)
    for old, new in reporting.LEGACY_SOURCE_KEYS.items():
        assert sources[old](tree["agency"], START, END) == indicators.value(new, tree["agency"], period), old
    assert sources["accounts.active_at_end"](tree["agency"], START, END) == 2
    assert sources["accounts.idesk_accounts.active"](tree["other_agency"], START, END) == 0


def test_every_registered_indicator_is_a_prefill_source():
    sources = reporting.indicator_sources()
    assert {ind.key for ind in indicators.all_indicators()} <= set(sources)
    assert reporting.indicator_source("khong.co") is None
    reporting.validate_indicators([_row("may", "itsec.computers.for_work"), _row("cu", "itsec.servers")])
    with pytest.raises(ValidationError):
        reporting.validate_indicators([_row("x", "khong.co")])
