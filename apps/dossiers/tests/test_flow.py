"""The main flow through the services: submission, reception, processing, result, return."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.dossiers import services
from apps.dossiers.models import Dossier, State, StatusChange, SupplementRequest, Timeliness
from apps.dossiers.workflow import TRANSITIONS, TransitionError
from apps.organizations.roles import Role

from .conftest import monday_9am, upload

pytestmark = pytest.mark.django_db


def later(hours=1, days=0):
    return monday_9am() + dt.timedelta(days=days, hours=hours)


def run_to(dossier, users, state, tree):
    """Drive a submitted dossier to `state` with the right person at each step."""
    steps = [
        ("receive", Role.ONE_STOP_OFFICER, {}),
        ("transfer", Role.ONE_STOP_OFFICER, {}),
        ("assign", Role.LEADER, {"handler": users[Role.UNIT_HEAD]}),
        ("assign", Role.UNIT_HEAD, {"handler": users[Role.SPECIALIST]}),
        ("propose", Role.SPECIALIST, {}),
        ("approve", Role.LEADER, {}),
        ("issue_result", Role.SPECIALIST, {}),
        ("return_result", Role.ONE_STOP_OFFICER, {"method": "in_person"}),
        ("close", Role.ONE_STOP_OFFICER, {}),
    ]
    hour = 1
    for action, role, params in steps:
        if dossier.state not in TRANSITIONS[action].sources:
            continue
        dossier = services.act(dossier.pk, action, actor=users[role], at=later(hour), **params)
        hour += 1
        if dossier.state == state and action != "assign":
            return dossier
    return dossier


def test_online_submission_gets_a_code_and_history(submit):
    dossier = submit()
    assert dossier.state == State.SUBMITTED
    assert dossier.code.startswith("t-skhcn-261123-0001")
    assert dossier.documents.count() == 2
    assert dossier.fee == 500000
    assert dossier.procedure_snapshot["processing_days"] == "10"
    assert StatusChange.objects.filter(dossier=dossier, to_state=State.SUBMITTED).count() == 1


def test_daily_sequence_and_configurable_agency_identifier(submit, tree):
    from apps.dossiers.models import DeskSettings

    DeskSettings.objects.create(
        organization=tree["agency"], agency_identifier="000.00.00.H99", is_placeholder=True
    )
    first = submit()
    second = submit()
    next_day = submit(at=later(days=1))
    assert first.code == "000.00.00.H99-261123-0001"
    assert second.code == "000.00.00.H99-261123-0002"
    assert next_day.code == "000.00.00.H99-261124-0001"


def test_full_flow_sets_due_date_and_timeliness(submit, users, tree):
    dossier = submit()
    dossier = services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=later(0))
    # 10 working days from Monday 23/11/2026 09:00, with 24/11 a day off (holidays.VN) → 08/12 09:00
    assert timezone.localtime(dossier.due_at) == timezone.make_aware(dt.datetime(2026, 12, 8, 9, 0))
    dossier = run_to(dossier, users, State.CLOSED, tree)
    assert dossier.state == State.CLOSED
    assert dossier.result_number.startswith("001/26/KQ-")
    assert dossier.result_file is not None
    assert dossier.timeliness == Timeliness.EARLY
    assert dossier.handling_unit == tree["tech"]
    steps = list(dossier.history.values_list("action", flat=True))
    assert steps == [
        "submit",
        "receive",
        "transfer",
        "assign",
        "assign",
        "propose",
        "approve",
        "issue_result",
        "return_result",
        "close",
    ]
    flagged = dossier.history.exclude(step_timeliness="")
    assert flagged.count() >= 4


def test_returning_a_result_before_approval_is_refused(submit, users, tree):
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=later())
    with pytest.raises(TransitionError) as exc:
        services.act(dossier.pk, "return_result", actor=users[Role.ONE_STOP_OFFICER], at=later(2))
    assert "is not possible while the dossier is" in str(exc.value)
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
    assert not dossier.history.filter(action="return_result").exists()


def test_wrong_role_is_refused(submit, users):
    dossier = submit()
    with pytest.raises(PermissionDenied):
        services.act(dossier.pk, "receive", actor=users[Role.SPECIALIST], at=later())
    with pytest.raises(PermissionDenied):
        services.act(dossier.pk, "receive", actor=users[Role.CITIZEN], at=later())


def test_only_a_verified_or_signed_in_applicant_may_supplement(submit, users, tree):
    dossier = submit(applicant_user=users[Role.CITIZEN])
    services.act(
        dossier.pk,
        "request_supplement",
        actor=users[Role.ONE_STOP_OFFICER],
        note="Thiếu",
        items=["Bản sao"],
        at=later(0),
    )
    files = [("Bản sao", upload("bansao.pdf", "Ban sao"))]
    for stranger in (None, users[Role.SPECIALIST]):
        with pytest.raises(PermissionDenied):
            services.act(dossier.pk, "supplement", actor=stranger, files=files, at=later())
    dossier = services.act(dossier.pk, "supplement", actor=users[Role.CITIZEN], files=files, at=later())
    assert dossier.state == State.SUBMITTED
    assert dossier.history.last().actor_name == users[Role.CITIZEN].full_name


def test_officer_of_another_agency_cannot_act(submit, make_user):
    dossier = submit()
    stranger = make_user(Role.ONE_STOP_OFFICER, username="other-desk", unit="other_unit")
    with pytest.raises(PermissionDenied):
        services.act(dossier.pk, "receive", actor=stranger, at=later())


def test_stale_version_loses_with_a_message(submit, users):
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], expected_version=0, at=later())
    with pytest.raises(TransitionError) as exc:
        services.act(
            dossier.pk, "refuse", actor=users[Role.ONE_STOP_OFFICER], expected_version=0, note="x", at=later()
        )
    assert "Someone else has already acted" in str(exc.value)


def test_refusal_needs_a_reason_and_is_terminal(submit, users):
    dossier = submit(channel="walk_in", actor=users[Role.ONE_STOP_OFFICER])
    with pytest.raises(TransitionError):
        services.act(dossier.pk, "refuse", actor=users[Role.ONE_STOP_OFFICER], note=" ")
    dossier = services.act(
        dossier.pk, "refuse", actor=users[Role.ONE_STOP_OFFICER], note="Không thuộc thẩm quyền của Sở."
    )
    assert dossier.state == State.REFUSED
    with pytest.raises(TransitionError):
        services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])


def test_supplement_during_review_pauses_the_clock(submit, users, tree):
    dossier = submit()
    for action, role, params in [
        ("receive", Role.ONE_STOP_OFFICER, {}),
        ("transfer", Role.ONE_STOP_OFFICER, {}),
        ("assign", Role.UNIT_HEAD, {"handler": users[Role.SPECIALIST]}),
    ]:
        dossier = services.act(dossier.pk, action, actor=users[role], at=later(0), **params)
    due = dossier.due_at
    dossier = services.act(
        dossier.pk,
        "request_supplement",
        actor=users[Role.SPECIALIST],
        note="Thiếu bản vẽ mặt bằng.",
        items=["Bản vẽ mặt bằng phòng đặt thiết bị"],
        at=later(1),
    )
    assert dossier.state == State.SUPPLEMENT_REQUESTED
    assert SupplementRequest.objects.get(dossier=dossier).stage == "review"
    # Thursday 26/11 10:00 the applicant supplies it: two working days paused (24/11 is a day
    # off), so the due date moves from 08/12 to 10/12.
    dossier = services.act(
        dossier.pk,
        "supplement",
        applicant_verified=True,
        files=[("Bản vẽ mặt bằng", upload("banve.pdf", "Ban ve"))],
        at=later(1, days=3),
    )
    assert dossier.state == State.IN_PROCESS
    assert dossier.history.last().action == "supplement" and dossier.history.last().actor is None
    assert timezone.localtime(due).date() == dt.date(2026, 12, 8)
    assert timezone.localtime(dossier.due_at) == timezone.make_aware(dt.datetime(2026, 12, 10, 9, 0))
    with pytest.raises(TransitionError) as exc:
        services.act(
            dossier.pk,
            "request_supplement",
            actor=users[Role.SPECIALIST],
            note="x",
            items=["y"],
            at=later(3, days=2),
        )
    assert "once" in str(exc.value)


def test_extension_once_and_not_too_late(submit, users):
    dossier = submit()
    dossier = services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=later(0))
    dossier = services.act(dossier.pk, "transfer", actor=users[Role.ONE_STOP_OFFICER], at=later(0))
    new_due = dossier.due_at + dt.timedelta(days=7)
    # Due Tuesday 08/12: up to Monday 07/12 it is possible, on the due day it is too late.
    too_late = timezone.make_aware(dt.datetime(2026, 12, 8, 8, 0))
    with pytest.raises(TransitionError) as exc:
        services.act(
            dossier.pk, "extend", actor=users[Role.LEADER], note="Chờ ý kiến", new_due=new_due, at=too_late
        )
    assert "at least one working day before" in str(exc.value)
    in_time = timezone.make_aware(dt.datetime(2026, 12, 4, 8, 0))
    dossier = services.act(
        dossier.pk, "extend", actor=users[Role.LEADER], note="Chờ ý kiến", new_due=new_due, at=in_time
    )
    assert dossier.extended and dossier.due_at == new_due
    with pytest.raises(TransitionError):
        services.act(
            dossier.pk,
            "extend",
            actor=users[Role.LEADER],
            note="Lần hai",
            new_due=new_due + dt.timedelta(days=1),
            at=in_time,
        )


def test_stop_at_applicant_request(submit, users):
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=later())
    dossier = services.act(
        dossier.pk, "stop", actor=users[Role.ONE_STOP_OFFICER], note="Đơn xin dừng", at=later(2)
    )
    assert dossier.state == State.WITHDRAWN


def test_late_result_is_flagged_late(submit, users, tree):
    dossier = submit()
    dossier = services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=later(0))
    for action, role, params in [
        ("transfer", Role.ONE_STOP_OFFICER, {}),
        ("assign", Role.UNIT_HEAD, {"handler": users[Role.SPECIALIST]}),
        ("propose", Role.SPECIALIST, {}),
        ("approve", Role.LEADER, {}),
    ]:
        dossier = services.act(dossier.pk, action, actor=users[role], at=later(1), **params)
    dossier = services.act(dossier.pk, "issue_result", actor=users[Role.SPECIALIST], at=later(days=30))
    assert dossier.timeliness == Timeliness.LATE


def test_rating_only_after_return(submit, users, tree):
    dossier = submit()
    with pytest.raises(TransitionError):
        services.rate(dossier, score=5)
    dossier = services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=later(0))
    dossier = run_to(dossier, users, State.RETURNED, tree)
    assert dossier.state == State.RETURNED
    services.rate(dossier, score=4, comment="Nhanh")
    with pytest.raises(TransitionError):
        services.rate(dossier, score=5)


def test_draft_save_and_resume(catalogue, tree, media):
    draft = services.save_draft(version_id=1, desk=tree["office"], data={"applicant_name": "An"}, step=1)
    again = services.save_draft(
        version_id=1, desk=tree["office"], data={"form": {"purpose": "X"}}, step=2, draft=draft
    )
    assert again.pk == draft.pk and again.applicant_name == "An" and again.form_data == {"purpose": "X"}
    assert Dossier.objects.get(pk=draft.pk).state == State.DRAFT
