"""Concurrency on PostgreSQL: distinct codes under parallel submissions; one winner of two officers."""

import threading

import pytest
from django.db import connection, connections

from apps.dossiers import services
from apps.dossiers.models import Dossier, State
from apps.dossiers.workflow import TransitionError
from apps.organizations.roles import Role

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel transactions are tested on PostgreSQL")


def run_parallel(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_fifty_parallel_submissions_get_fifty_distinct_codes(catalogue, tree, users, media):
    officer = users[Role.ONE_STOP_OFFICER]

    def submit(i):
        return services.create_dossier(
            version_id=2,
            desk=tree["office"],
            channel="walk_in",
            applicant=APPLICANT,
            form_data={"purpose": f"Hồ sơ {i}"},
            uploads={},
            actor=officer,
            check_documents=False,
        ).code

    codes, errors = run_parallel(50, submit)
    assert errors == []
    assert len(codes) == 50 and len(set(codes)) == 50
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 51))
    assert Dossier.objects.count() == 50


def test_two_officers_at_once_exactly_one_wins(catalogue, tree, users, make_user, media):
    first = users[Role.ONE_STOP_OFFICER]
    second = make_user(Role.ONE_STOP_OFFICER, username="desk-b")
    dossier = services.create_dossier(
        version_id=2,
        desk=tree["office"],
        channel="walk_in",
        applicant=APPLICANT,
        form_data={"purpose": "X"},
        uploads={},
        actor=first,
        check_documents=False,
    )
    officers = [(first, "receive", ""), (second, "refuse", "Không thuộc thẩm quyền")]

    def act(i):
        officer, action, note = officers[i]
        return services.act(
            dossier.pk, action, actor=officer, expected_version=dossier.version, note=note
        ).state

    states, errors = run_parallel(2, act)
    assert len(states) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionError)
    dossier.refresh_from_db()
    assert dossier.state == states[0] and dossier.state in (State.RECEIVED, State.REFUSED)
    assert dossier.history.exclude(action="submit").count() == 1


def test_one_draft_submitted_from_two_tabs_at_once_is_one_dossier(catalogue, tree, users, media):
    from apps.dossiers.models import StatisticsEntry

    from .conftest import upload

    draft = services.save_draft(
        version_id=1,
        desk=tree["office"],
        data={**APPLICANT, "form": {"purpose": "X-quang"}},
        step=4,
        user=users[Role.CITIZEN],
        uploads={"don": upload(), "giayphep": upload("gp.pdf", "GP")},
    )

    def final_step(i):  # each tab has its own idempotency key: the draft's row lock decides
        return services.create_dossier(
            version_id=1,
            desk=tree["office"],
            channel="online",
            applicant=APPLICANT,
            form_data={"purpose": "X-quang"},
            uploads={},
            applicant_user=users[Role.CITIZEN],
            idempotency_key=f"tab-{i}",
            draft=draft,
        ).pk

    pks, errors = run_parallel(5, final_step)
    assert errors == [] and set(pks) == {draft.pk}
    dossier = Dossier.objects.get()
    assert dossier.state == State.SUBMITTED and dossier.code
    assert dossier.documents.exclude(file=None).count() == 2
    assert StatisticsEntry.objects.filter(kind="submitted").count() == 1
