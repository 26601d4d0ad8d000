import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.itsec import indicators, services
from apps.itsec.models import Incident, IncidentStatus
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "reporter": make_user(Role.SPECIALIST, username="cv"),
        "it": make_user(Role.IT_OFFICER, username="it"),
        "leader": make_user(Role.LEADER, username="ld"),
    }


def _report(user):
    return services.report_incident(
        user, title="Máy tính bị mã độc mã hoá", description="Tệp bị đổi đuôi", occurred_at=timezone.now()
    )


def test_full_flow_with_history_and_audit(people, tree, django_capture_on_commit_callbacks):
    from apps.core.notifications.models import OutboxMessage
    from apps.itsec.notifications import ensure_templates

    ensure_templates()
    incident = _report(people["reporter"])
    told = OutboxMessage.objects.filter(event="itsec_incident_reported")
    assert [m.recipient_user_id for m in told] == [
        people["it"].pk
    ]  # the IT officer of the agency, not the leader
    assert incident.code.startswith(f"SC-{timezone.localdate().year}-")
    assert incident.organization == tree["tech"]
    pc = factories.asset(tree["tech"])
    services.triage_incident(people["it"], incident, severity="high", category="malware", assets=[pc])
    services.add_step(people["it"], incident, action="Cách ly máy khỏi mạng")
    assert incident.status == IncidentStatus.RESPONDING
    services.add_step(people["it"], incident, action="Quét và khôi phục từ bản sao lưu")
    services.close_incident(people["it"], incident, lessons_learned="Sao lưu hằng tuần")
    closed = OutboxMessage.objects.get(event="itsec_incident_closed")
    assert closed.recipient_user_id == people["reporter"].pk and "Sao lưu hằng tuần" in closed.body
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert list(incident.assets.all()) == [pc]
    assert [h.to_state for h in incident.status_changes.all()] == [
        "reported",
        "triaged",
        "responding",
        "closed",
    ]
    verbs = list(AuditEvent.objects.filter(object_id=str(incident.pk)).values_list("verb", flat=True))
    for verb in ("incident_reported", "incident_triaged", "incident_step", "incident_closed"):
        assert verb in verbs
    stats = indicators.incidents(tree["agency"], datetime.date(2000, 1, 1), timezone.localdate())
    assert stats["total"] == 1 and stats["open"] == 0 and stats["by_category"] == {"malware": 1}


def test_transitions_are_enforced(people):
    incident = _report(people["reporter"])
    with pytest.raises(ValidationError):
        services.add_step(people["it"], incident, action="x")  # not triaged yet
    with pytest.raises(ValidationError):
        services.close_incident(people["it"], incident, lessons_learned="x")  # reported → closed not allowed
    services.triage_incident(people["it"], incident, severity="low", category="other")
    with pytest.raises(ValidationError):
        services.close_incident(people["it"], incident, lessons_learned="  ")
    services.close_incident(people["it"], incident, lessons_learned="Không có")
    with pytest.raises(ValidationError):
        services.add_step(people["it"], incident, action="muộn")


def test_only_the_it_officer_triages(people):
    incident = _report(people["reporter"])
    for who in ("reporter", "leader"):
        with pytest.raises(PermissionDenied):
            services.triage_incident(people[who], incident, severity="low", category="other")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REPORTED


def test_citizens_cannot_report(make_user):
    with pytest.raises(PermissionDenied):
        _report(make_user(Role.CITIZEN, username="dan"))
    assert not Incident.objects.exists()


def test_future_time_is_refused(people):
    with pytest.raises(ValidationError):
        services.report_incident(
            people["reporter"],
            title="x",
            description="y",
            occurred_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert not Incident.objects.exists()


def test_report_pdf_renders(client, people, tree):
    incident = _report(people["reporter"])
    services.triage_incident(people["it"], incident, severity="high", category="malware")
    services.add_step(people["it"], incident, action="Cách ly máy")
    response = verified_client(client, people["it"]).get(
        reverse("itsec:incident_report_pdf", args=[incident.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_incident_pages_through_http(client, people):
    c = verified_client(client, people["reporter"])
    response = c.post(
        reverse("itsec:incident_create"),
        {"title": "Trang web bị thay đổi", "description": "Giao diện lạ", "occurred_at": "2024-05-02T08:30"},
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "itsec:incident_detail", args=[incident.pk]
    )
    it = verified_client(client, people["it"])
    it.post(
        reverse("itsec:incident_triage", args=[incident.pk]), {"severity": "medium", "category": "defacement"}
    )
    it.post(reverse("itsec:incident_step", args=[incident.pk]), {"action": "Khôi phục giao diện"})
    it.post(reverse("itsec:incident_close", args=[incident.pk]), {"lessons_learned": "Đổi mật khẩu quản trị"})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    page = it.get(reverse("itsec:incident_detail", args=[incident.pk])).content.decode()
    assert "Khôi phục giao diện" in page and "Đổi mật khẩu quản trị" in page
