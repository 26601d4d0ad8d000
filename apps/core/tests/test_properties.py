"""Property tests of the services (#16), a few generated examples each.

- every registered state machine: random moves by random actors leave one history row and one
  audit event per accepted move, and nothing at all for a refused one (refused in Vietnamese);
- amounts and dates written the Vietnamese way (`apps.core.formatting`) read back unchanged through
  the parsers that take them from users and spreadsheets.

The Excel export → import round trip with generated values is in
apps/itsec/tests/test_import_round_trip.py, next to the example-based one.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core import workflow
from apps.core.formatting.vn import format_date, format_money, format_number
from apps.core.tests.test_workflow_machines import IDS, MACHINES, _samples

# Vietnamese letters outside ASCII: a refusal written in Vietnamese has some.
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)

FEW = settings(
    max_examples=4,
    derandomize=True,  # the same walks on every run: a CI failure replays locally
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _row(obj) -> dict:
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()


def _trace(machine, obj) -> tuple[int, int]:
    """(history rows, business events) of this object. The field diffs django-auditlog adds to the
    same timeline ("fields_updated") follow every save and are not counted: a move is one event."""
    from apps.audit.models import AuditEvent

    history = machine.history.objects.filter(**{machine.history_fk: obj}).count()
    events = (
        AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .exclude(verb__startswith="fields_")
        .count()
    )
    return history, events


def _last_verb(obj) -> str:
    from apps.audit.models import AuditEvent

    return (
        AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .exclude(verb__startswith="fields_")
        .latest("pk")
        .verb
    )


@pytest.mark.django_db
@pytest.mark.parametrize("machine", MACHINES, ids=IDS)
def test_random_moves_by_random_actors(machine, tree, users):
    make = _samples()[machine.name]
    actions = sorted(machine.transitions)
    actors = [None, *users.values()]  # None: scheduled work (the SYSTEM role)
    moves = st.lists(
        st.tuples(st.sampled_from(actions), st.integers(0, len(actors) - 1)), min_size=1, max_size=6
    )

    @FEW
    @given(moves)
    def walk(steps):
        with transaction.atomic():  # a fresh object per example: everything is rolled back after it
            obj, _action, _actor, params = make(tree, users)
            for action, who in steps:
                actor = actors[who]
                row, (history, events) = _row(obj), _trace(machine, obj)
                try:
                    with translation.override("vi"):
                        # The sample's parameters serve every action: effects read only their own.
                        workflow.apply(obj, action, actor, note="kiểm tra", machine=machine, **params)
                except (workflow.TransitionError, PermissionDenied) as refused:
                    where = f"{machine.name}.{action} by {actor} from {row[machine.field]}"
                    assert VIETNAMESE.search(str(refused)), f"{where}: refused in English: {refused}"
                    assert _row(obj) == row, f"{where}: a refused move changed the object"
                    assert _trace(machine, obj) == (history, events), f"{where}: a refused move left a trace"
                    obj.refresh_from_db()
                else:
                    where = f"{machine.name}.{action} by {actor} from {row[machine.field]}"
                    assert _trace(machine, obj) == (history + 1, events + 1), where
                    transition = machine.transitions[action]
                    assert _last_verb(obj) == (transition.verb or f"{machine.name}_{action}"), where
                    if transition.target:
                        assert getattr(obj, machine.field) == transition.target, where
            transaction.set_rollback(True)

    walk()


# --- Vietnamese numbers and dates ----------------------------------------------------------------

DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
AMOUNTS = st.integers(min_value=0, max_value=10**12)  # VND: no subunit
DECIMALS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@FEW
@given(DATES)
def test_a_vietnamese_date_reads_back_in_forms_and_imports(day):
    from apps.itsec.importer import _date as itsec_date
    from apps.procedures.schema import _parse_date

    text = format_date(day)  # "06/10/2021"
    with translation.override("vi"):
        assert forms.DateField().clean(text) == day  # every date field of the staff forms
    assert itsec_date(text) == day
    assert _parse_date(text) == day


@FEW
@given(AMOUNTS)
def test_a_vietnamese_amount_reads_back_from_an_import(amount):
    from apps.itsec.importer import _convert
    from apps.techassess.importer import _number

    assert _convert("purchase_value", format_number(amount), {}) == amount  # "1.234.567"
    assert _convert("purchase_value", format_money(amount), {}) == amount  # "1.234.567 đồng"
    assert _number(format_number(amount)) == amount


@FEW
@given(DECIMALS)
def test_a_vietnamese_decimal_reads_back_in_the_dossier_form(value):
    from apps.procedures.schema import _clean_value

    text = format_number(value, 2)  # "1.234,50"
    assert Decimal(_clean_value({}, "number", text)) == value


@FEW
@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_a_vietnamese_amount_in_millions_reads_back_from_the_plan_appendix(millions):
    from apps.plans.importer import _money

    text = format_number(millions, 3)  # "1.234,500" triệu đồng
    assert _money(text) == int(millions * 1_000_000)
