"""The unit head's "review and submit for signature" step of the procedure (issue #18.6): the
specialist submits to the head, who submits for the leader's signature or returns the dossier."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from apps.audit.models import AuditEvent
from apps.dossiers import services
from apps.dossiers.models import State, StatusChange
from apps.dossiers.workflow import TransitionError, needs_head_review
from apps.organizations.roles import Role
from apps.procedures.public import StepSpec
from conftest import verified_client

from .conftest import monday_9am, version

pytestmark = pytest.mark.django_db

# The demo catalogue's split (procedures.schema.default_steps): the head's step after the specialist's.
HEAD_REVIEW_STEPS = (
    StepSpec("tiep-nhan", "Tiếp nhận, chuyển hồ sơ", Role.ONE_STOP_OFFICER, Decimal("0.5")),
    StepSpec("tham-dinh", "Thẩm định hồ sơ", Role.SPECIALIST, Decimal("8.5")),
    StepSpec("xem-xet", "Xem xét, trình ký", Role.UNIT_HEAD, Decimal("0.5")),
    StepSpec("phe-duyet", "Phê duyệt kết quả", Role.LEADER, Decimal("0.5")),
)


def at(hours):
    return monday_9am() + dt.timedelta(hours=hours)


@pytest.fixture
def in_process(catalogue, submit, users, tree):
    import dataclasses

    catalogue.add(dataclasses.replace(version(3, unit_id=tree["tech"].pk), steps=HEAD_REVIEW_STEPS))
    dossier = submit(version_id=3)
    desk = users[Role.ONE_STOP_OFFICER]
    services.act(dossier.pk, "receive", actor=desk, at=at(1))
    services.act(dossier.pk, "transfer", actor=desk, at=at(2))
    return services.act(
        dossier.pk, "assign", actor=users[Role.UNIT_HEAD], at=at(3), handler=users[Role.SPECIALIST]
    )


def test_only_a_procedure_with_the_step_goes_through_the_head(in_process, submit):
    assert needs_head_review(in_process)
    assert not needs_head_review(submit())  # its unit-head step comes first: the head's assignment


def test_the_specialist_submits_to_the_head_who_submits_for_signature(in_process, users):
    specialist, head = users[Role.SPECIALIST], users[Role.UNIT_HEAD]
    with pytest.raises(TransitionError, match="unit head review"):
        services.act(in_process.pk, "propose", actor=specialist, at=at(4))  # not past the head
    dossier = services.act(in_process.pk, "propose_to_head", actor=specialist, at=at(4), note="Dự thảo")
    assert dossier.state == State.HEAD_REVIEW and dossier.current_handler == specialist
    dossier = services.act(dossier.pk, "head_submit", actor=head, at=at(5), note="Đồng ý, trình ký")
    assert dossier.state == State.REVIEW
    rows = list(dossier.history.filter(action__in=["propose_to_head", "head_submit"]).order_by("at"))
    assert [(r.action, r.from_state, r.to_state) for r in rows] == [
        ("propose_to_head", State.IN_PROCESS, State.HEAD_REVIEW),
        ("head_submit", State.HEAD_REVIEW, State.REVIEW),
    ]
    assert rows[1].actor == head and rows[1].actor_name == head.full_name
    assert rows[1].step_allowance_days == Decimal("0.5")  # the head's "Xem xét, trình ký" allowance
    for verb in ("dossier_propose_to_head", "dossier_head_submit"):
        assert AuditEvent.objects.filter(verb=verb, object_id=str(dossier.pk)).count() == 1
    dossier = services.act(dossier.pk, "approve", actor=users[Role.LEADER], at=at(6))
    assert dossier.state == State.APPROVED


def test_the_head_returns_it_to_the_specialist_with_a_reason(in_process, users):
    specialist, head = users[Role.SPECIALIST], users[Role.UNIT_HEAD]
    services.act(in_process.pk, "propose_to_head", actor=specialist, at=at(4))
    with pytest.raises(TransitionError):
        services.act(in_process.pk, "head_return", actor=head, at=at(5), note="")
    dossier = services.act(in_process.pk, "head_return", actor=head, at=at(5), note="Bổ sung căn cứ pháp lý")
    assert dossier.state == State.IN_PROCESS and dossier.current_handler == specialist
    back = StatusChange.objects.get(dossier=dossier, action="head_return")
    assert back.note == "Bổ sung căn cứ pháp lý" and back.handed_to == specialist


def test_other_roles_may_not_review_for_the_head(in_process, users):
    services.act(in_process.pk, "propose_to_head", actor=users[Role.SPECIALIST], at=at(4))
    for role in (Role.SPECIALIST, Role.ONE_STOP_OFFICER, Role.CLERK):
        for action in ("head_submit", "head_return"):
            with pytest.raises(PermissionDenied):
                services.act(in_process.pk, action, actor=users[role], at=at(5), note="x")
    in_process.refresh_from_db()
    assert in_process.state == State.HEAD_REVIEW
    assert not StatusChange.objects.filter(action__in=["head_submit", "head_return"]).exists()


def test_the_pages_offer_the_head_review_in_vietnamese(client, in_process, users, settings):
    settings.LANGUAGE_CODE = "vi"
    detail = reverse("dossiers:detail", args=[in_process.pk])
    with translation.override("vi"):
        verified_client(client, users[Role.SPECIALIST])
        page = client.get(detail).content.decode()
        assert 'data-action="propose_to_head"' in page and "Trình lãnh đạo phòng xem xét" in page
        assert 'data-action="propose"' not in page  # this procedure does not skip the head
        client.post(
            reverse("dossiers:act", args=[in_process.pk, "propose_to_head"]),
            {"version": in_process.version, "note": "Dự thảo giấy phép"},
        )
        verified_client(client, users[Role.UNIT_HEAD])
        box = client.get(reverse("dossiers:inbox") + "?box=unit_head")
        assert in_process.code in box.content.decode()
        page = client.get(detail).content.decode()
        assert "Chờ lãnh đạo phòng xem xét" in page
        assert 'data-action="head_submit"' in page and "Xem xét, trình ký" in page
        assert 'data-action="head_return"' in page and "Trả lại chuyên viên" in page
