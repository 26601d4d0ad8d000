"""Versions: draft → published → retired, effective-dated, one in force at a time."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.organizations.roles import Role
from apps.procedures import public, services
from apps.procedures.models import ProcedureVersion, VersionStatus
from apps.procedures.schema import default_steps

from .factories import make_published

pytestmark = pytest.mark.django_db


def test_new_version_never_changes_an_old_one():
    v1 = make_published(fee={"kind": "fixed", "amount": "1000000"})
    before = public.get_version(v1.pk)
    draft = services.create_draft(None, v1.procedure)
    assert draft.number == 2 and draft.fee == v1.fee and draft.status == VersionStatus.DRAFT
    services.update_draft(
        None,
        draft,
        name="Cấp giấy phép (sửa đổi)",
        processing_days=Decimal(5),
        steps=default_steps(Decimal(5)),
        fee={"kind": "fixed", "amount": "2000000"},
    )
    services.publish(None, draft)
    assert public.get_version(v1.pk) == before  # the dossier's version answers the same
    assert public.compute_fee(v1.pk, {}) == Decimal(1000000)
    assert public.current_version(v1.procedure_id).version_id == draft.pk
    assert public.compute_fee(draft.pk, {}) == Decimal(2000000)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED
    assert v1.effective_to == timezone.localdate() - datetime.timedelta(days=1)


def test_only_one_published_version_in_force_on_any_date():
    v1 = make_published()
    draft = services.create_draft(None, v1.procedure)
    start = timezone.localdate() + datetime.timedelta(days=30)
    services.publish(None, draft, effective_from=start)
    v1.refresh_from_db()
    # The old version stays in force until the day before the new one starts.
    assert v1.status == VersionStatus.PUBLISHED and v1.effective_to == start - datetime.timedelta(days=1)
    assert public.current_version(v1.procedure_id).version_id == v1.pk
    assert public.current_version(v1.procedure_id, on=start).version_id == draft.pk
    for day in (datetime.date(2020, 6, 1), timezone.localdate(), start, start + datetime.timedelta(days=400)):
        in_force = [
            v
            for v in ProcedureVersion.objects.filter(procedure=v1.procedure, status=VersionStatus.PUBLISHED)
            if v.effective_from <= day and (v.effective_to is None or v.effective_to >= day)
        ]
        assert len(in_force) == 1
    # When its end date passes, the scheduled job marks it retired.
    assert services.retire_expired(on=start) == 1
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED


def test_database_refuses_two_open_published_versions():
    v1 = make_published()
    draft = services.create_draft(None, v1.procedure)
    draft.status, draft.effective_from = VersionStatus.PUBLISHED, datetime.date(2021, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.save()


def test_a_new_version_must_start_after_the_one_in_force():
    v1 = make_published(effective_from=datetime.date(2020, 1, 1))
    draft = services.create_draft(None, v1.procedure)
    with pytest.raises(ValidationError) as exc:
        services.publish(None, draft, effective_from=datetime.date(2019, 6, 1))
    assert "effective_from" in exc.value.message_dict
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_illegal_transitions_are_refused_and_leave_no_trace():
    v1 = make_published()
    business = AuditEvent.objects.filter(verb__startswith="procedure_")
    events = business.count()
    with pytest.raises(ValidationError):
        services.publish(None, v1)  # already published
    services.retire(None, v1, note="Bãi bỏ")
    with pytest.raises(ValidationError):
        services.retire(None, v1)  # already retired
    with pytest.raises(ValidationError):
        services.update_draft(None, v1, name="x")  # frozen
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED and v1.name != "x"
    assert business.count() == events + 1  # only the retirement
    assert public.current_version(v1.procedure_id) is None


def test_one_draft_per_procedure():
    v1 = make_published()
    services.create_draft(None, v1.procedure)
    with pytest.raises(ValidationError):
        services.create_draft(None, v1.procedure)


def test_steps_must_add_up_and_publish_needs_processing_time():
    v1 = make_published()
    draft = services.create_draft(None, v1.procedure)
    with pytest.raises(ValidationError) as exc:
        services.update_draft(None, draft, processing_days=Decimal(12))  # steps still add up to 10
    assert "steps" in exc.value.message_dict
    draft.refresh_from_db()
    assert draft.processing_days == Decimal(10)
    services.update_draft(None, draft, processing_days=None, steps=[])
    with pytest.raises(ValidationError) as exc:
        services.publish(None, draft)
    assert "processing_days" in exc.value.message_dict


def test_bad_fee_rule_is_refused():
    v1 = make_published()
    draft = services.create_draft(None, v1.procedure)
    with pytest.raises(ValidationError) as exc:
        services.update_draft(
            None,
            draft,
            fee={"kind": "formula", "rate": "0.001", "base_field": "khong_co", "min": "9", "max": "1"},
        )
    assert len(exc.value.message_dict["fee"]) == 2


def test_transitions_write_history_and_audit_events(users):
    admin = users[Role.ADMINISTRATOR]
    v1 = make_published()
    draft = services.create_draft(admin, v1.procedure)
    services.publish(admin, draft, note="Theo quyết định mới")
    changes = list(draft.status_changes.values_list("from_state", "to_state", "actor", "note"))
    assert changes == [("", "draft", admin.pk, "v1"), ("draft", "published", admin.pk, "Theo quyết định mới")]
    verbs = list(
        AuditEvent.objects.filter(object_id=str(draft.pk), verb__startswith="procedure_")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["procedure_version_created", "procedure_version_published"]
    assert v1.status_changes.last().to_state == "retired"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_change_the_catalogue(users, role):
    v1 = make_published()
    with pytest.raises(PermissionDenied):
        services.create_draft(users[role], v1.procedure)
    with pytest.raises(PermissionDenied):
        services.retire(users[role], v1)
    assert v1.procedure.versions.count() == 1


def test_current_version_on_a_past_date_is_the_version_then_in_force():
    v1 = make_published(effective_from=datetime.date(2020, 1, 1))
    draft = services.create_draft(None, v1.procedure)
    services.publish(None, draft)
    assert public.current_version(v1.procedure_id, on=datetime.date(2021, 10, 4)).version_id == v1.pk
    assert public.current_version(v1.procedure_id).version_id == draft.pk
