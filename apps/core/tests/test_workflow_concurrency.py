"""Two people act on the same object at once, for every registered machine (PostgreSQL).

Each thread loads its own copy of the object, as two browser tabs would, and applies the sample's
action with the version its form showed. Exactly one change wins; the other is refused with the
engine's Vietnamese message, and the loser leaves neither a history row nor an audit event. A move
that keeps the state of an entity without a version may rightly be taken by both.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from apps.core import workflow

from .test_workflow_machines import IDS, MACHINES, _events, _history, _samples

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel transactions are tested on PostgreSQL")


def _both_at_once(machine, obj, action, actor, params):
    version = getattr(obj, machine.version_field) if machine.version_field else None
    barrier = threading.Barrier(2)
    won, refused, other = [], [], []

    def tab():
        try:
            mine = type(obj)._default_manager.get(pk=obj.pk)
            barrier.wait()
            with translation.override("vi"):
                won.append(
                    workflow.apply(mine, action, actor, expected_version=version, machine=machine, **params)
                )
        except workflow.TransitionError as exc:
            refused.append(str(exc))
        except Exception as exc:  # noqa: BLE001 — anything else is a failure, asserted below
            other.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return won, refused, other


@pytest.mark.parametrize("machine", MACHINES, ids=IDS)
def test_two_people_at_once_exactly_one_wins(machine, tree, users):
    obj, action, actor, params = _samples()[machine.name](tree, users)
    transition = machine.transitions[action]
    leaves_its_sources = transition.target is not None and transition.target not in transition.sources
    # Without a version to compare and with the state unchanged, taking the move twice is no
    # conflict (a second progress note, a second reassignment): both are kept, each recorded.
    one_winner = bool(machine.version_field or leaves_its_sources)
    verb = transition.verb or f"{machine.name}_{action}"
    history_before, events_before = _history(machine, obj), _events(obj, verb)

    won, refused, other = _both_at_once(machine, obj, action, actor, params)

    assert other == []
    winners = 1 if one_winner else 2
    assert len(won) == winners and len(refused) == 2 - winners, (won, refused)
    for message in refused:
        assert "tải lại" in message.lower() or "không" in message.lower(), message
    obj.refresh_from_db()
    if transition.target:
        assert getattr(obj, machine.field) == transition.target
    assert _history(machine, obj) == history_before + winners
    assert _events(obj, verb) == events_before + winners
