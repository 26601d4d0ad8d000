"""Notification events of the module and their default Vietnamese templates (in-app)."""

from apps.core.notifications.models import Channel, NotificationTemplate
from apps.core.notifications.service import notify
from apps.organizations.models import Membership
from apps.organizations.roles import Role

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
    {
        "event": "itsec_review_due",
        "subject": "Sắp đến hạn tự đánh giá ATTT: {{ system }}",
        "body": "Hệ thống “{{ system }}” (cấp độ {{ level }}) đến hạn tự đánh giá định kỳ ngày {{ due }}. "
        "Đề nghị chuẩn bị kiểm tra theo danh mục yêu cầu.",
    },
    {
        "event": "itsec_review_overdue",
        "subject": "Quá hạn tự đánh giá ATTT: {{ system }}",
        "body": "Hệ thống “{{ system }}” (cấp độ {{ level }}) đã quá hạn tự đánh giá định kỳ "
        "từ ngày {{ due }}. Đề nghị thực hiện và ghi nhận kết quả tự đánh giá.",
    },
    {
        "event": "itsec_remediation_overdue",
        "subject": "Quá hạn khắc phục ATTT: {{ system }}",
        "body": "Nhiệm vụ khắc phục “{{ task }}” ({{ code }}, hệ thống “{{ system }}”) đã quá hạn "
        "từ ngày {{ due }}. Đề nghị hoàn thành và cập nhật kết quả.",
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


def it_officers(organization):
    """Active IT officers of the organisation's agency."""
    agency = organization.agency() or organization
    return (
        Membership.objects.filter(
            role=Role.IT_OFFICER,
            is_active=True,
            organization__path__startswith=agency.path,
            user__is_active=True,
        )
        .select_related("user")
        .distinct()
    )


def review_reminder(system, *, overdue: bool) -> int:
    """Tell the IT officers of the owner's agency that a periodic self-assessment is due/overdue."""
    from apps.core.formatting.vn import format_date

    context = {
        "system": system.name,
        "level": system.approved_level or system.proposed_level or "—",
        "due": format_date(system.next_review_on),
    }
    event = "itsec_review_overdue" if overdue else "itsec_review_due"
    sent = 0
    for m in it_officers(system.organization):
        sent += notify(event, user=m.user, channel=Channel.IN_APP, context=context) is not None
    return sent


def incident_reported(incident) -> None:
    """Tell the IT officers of the reporter's agency (inside the service's transaction)."""
    context = {
        "code": incident.code,
        "title": incident.title,
        "reporter": incident.reported_by.full_name,
        "unit": incident.organization.name,
    }
    for m in it_officers(incident.organization):
        notify("itsec_incident_reported", user=m.user, channel=Channel.IN_APP, context=context)


def incident_closed(incident) -> None:
    notify(
        "itsec_incident_closed",
        user=incident.reported_by,
        channel=Channel.IN_APP,
        context={"code": incident.code, "title": incident.title, "lessons": incident.lessons_learned},
    )


def remediation_overdue(task) -> bool:
    from apps.core.formatting.vn import format_date

    answer = task.answer
    context = {
        "task": task.description[:200],
        "code": answer.requirement.code,
        "system": answer.assessment.system.name,
        "due": format_date(task.due_on),
    }
    return (
        notify("itsec_remediation_overdue", user=task.assigned_to, channel=Channel.IN_APP, context=context)
        is not None
    )
