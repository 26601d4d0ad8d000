"""Notification events of the module and their default Vietnamese templates (in-app)."""

from apps.accounts.roles import Role
from apps.core.notifications.models import Channel, NotificationTemplate
from apps.core.notifications.service import notify
from apps.organizations.models import Membership

TEMPLATES = [
    {
        "event": "itsec_incident_reported",
        "subject": "Sự cố ATTT mới: {{ code }}",
        "body": "{{ reporter }} ({{ unit }}) báo cáo sự cố: {{ title }}. Đề nghị phân loại và xử lý.",
    },
    {
        "event": "itsec_incident_closed",
        "subject": "Sự cố {{ code }} đã được xử lý xong",
        "body": "Sự cố “{{ title }}” anh/chị báo cáo đã được đóng. Bài học kinh nghiệm: {{ lessons }}",
    },
]


def ensure_templates() -> int:
    created = 0
    for spec in TEMPLATES:
        _t, was = NotificationTemplate.objects.get_or_create(
            event=spec["event"],
            channel=Channel.IN_APP,
            defaults={"subject": spec["subject"], "body": spec["body"]},
        )
        created += was
    return created


def incident_reported(incident) -> None:
    """Tell the IT officers of the reporter's agency (inside the service's transaction)."""
    agency = incident.organization.agency()
    officers = (
        Membership.objects.filter(
            role=Role.IT_OFFICER,
            is_active=True,
            organization__path__startswith=agency.path,
            user__is_active=True,
        )
        .select_related("user")
        .distinct()
    )
    context = {
        "code": incident.code,
        "title": incident.title,
        "reporter": incident.reported_by.full_name,
        "unit": incident.organization.name,
    }
    for m in officers:
        notify("itsec_incident_reported", user=m.user, channel=Channel.IN_APP, context=context)


def incident_closed(incident) -> None:
    notify(
        "itsec_incident_closed",
        user=incident.reported_by,
        channel=Channel.IN_APP,
        context={"code": incident.code, "title": incident.title, "lessons": incident.lessons_learned},
    )
