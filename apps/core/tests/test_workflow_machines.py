"""Walk every registered state machine (DESIGN.md: one engine, one table per entity).

Each app that declares a Machine provides, in `apps/<app>/tests/workflow_samples.py`, a mapping
`SAMPLES = {machine_name: make}` where `make(tree, users)` returns `(obj, action, actor, params)`:
an object sitting in a source state of `action`, an actor allowed to take it and the action's
parameters. A machine without a sample fails here, so no entity escapes the walk.
"""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import translation

from apps.core import workflow
from apps.core.workflow.models import HistoryEntry


def _modules(suffix: str):
    for config in django_apps.get_app_configs():
        name = f"{config.name}.{suffix}"
        if config.name.startswith("apps.") and importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def _samples() -> dict:
    found = {}
    for module in _modules("tests.workflow_samples"):
        found.update(module.SAMPLES)
    return found


def _machines():
    list(_modules("workflow"))  # importing each app's workflow module registers its machines
    return workflow.machines()


MACHINES = _machines()
IDS = [m.name for m in MACHINES]


def test_there_are_machines():
    assert MACHINES, "no Machine registered"


@pytest.mark.parametrize("machine", MACHINES, ids=IDS)
def test_table_is_complete(machine):
    choices = {value for value, _label in machine.states}
    assert machine.initial, f"{machine.name}: declare its initial states"
    assert machine.initial <= choices
    for t in machine.transitions.values():
        assert t.sources <= choices, f"{machine.name}.{t.action}: unknown source state"
        assert t.target is None or t.target in choices, f"{machine.name}.{t.action}: unknown target"
        assert t.roles, f"{machine.name}.{t.action}: no roles (use SYSTEM or ANYONE explicitly)"
        with translation.override("vi"):
            vi = str(t.label)
        with translation.override("en"):
            en = str(t.label)
        assert vi and vi != en, f"{machine.name}.{t.action}: label “{en}” has no Vietnamese translation"
    unreachable = choices - workflow.reachable(machine)
    assert not unreachable, f"{machine.name}: states no transition reaches: {sorted(unreachable)}"


@pytest.mark.parametrize("machine", MACHINES, ids=IDS)
def test_history_model_is_the_one_base(machine):
    assert machine.history is not None, f"{machine.name}: no history model"
    assert issubclass(machine.history, HistoryEntry)


def _events(obj, verb):
    from apps.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), verb=verb
    ).count()


def _history(machine, obj):
    return machine.history.objects.filter(**{machine.history_fk: obj}).count()


@pytest.mark.parametrize("machine", MACHINES, ids=IDS)
def test_apply_writes_one_history_row_and_one_audit_event(machine, tree, users):
    make = _samples().get(machine.name)
    assert make is not None, f"{machine.name}: add a sample to apps/<app>/tests/workflow_samples.py"
    obj, action, actor, params = make(tree, users)
    transition = machine.transitions[action]
    verb = transition.verb or f"{machine.name}_{action}"
    history_before, events_before = _history(machine, obj), _events(obj, verb)
    moved = workflow.apply(obj, action, actor, note="kiểm tra", machine=machine, **params)
    assert _history(machine, moved) == history_before + 1
    assert _events(moved, verb) == events_before + 1
    if transition.target:
        assert getattr(moved, machine.field) == transition.target


@pytest.mark.parametrize("machine", MACHINES, ids=IDS)
def test_illegal_move_and_stale_version_are_refused_in_vietnamese(machine, tree, users):
    make = _samples()[machine.name]
    obj, action, actor, params = make(tree, users)
    state = getattr(obj, machine.field)
    illegal = [t for t in machine.transitions.values() if state not in t.sources]
    if illegal:
        with translation.override("vi"), pytest.raises(workflow.TransitionError) as refused:
            workflow.apply(obj, illegal[0].action, actor, machine=machine)
        message = str(refused.value)
        assert "không" in message.lower() or "Không" in message, message
    if machine.version_field:
        current = getattr(obj, machine.version_field)
        with translation.override("vi"), pytest.raises(workflow.StaleVersion) as stale:
            workflow.apply(obj, action, actor, expected_version=current - 1, machine=machine, **params)
        assert "tải lại" in str(stale.value).lower()


@pytest.mark.parametrize("machine", MACHINES, ids=IDS)
def test_a_stranger_may_not_move(machine, tree, users):
    make = _samples()[machine.name]
    obj, action, _actor, params = make(tree, users)
    if workflow.ANYONE in machine.transitions[action].roles:
        pytest.skip("ownership is checked by the calling service, not by the table")
    from apps.accounts.models import User

    stranger = User.objects.create(username="nguoi-la", full_name="Người lạ")
    with pytest.raises(PermissionDenied):
        workflow.apply(obj, action, stranger, machine=machine, **params)
