"""Default Vietnamese notification templates of the tasks module; created by the seeder, never overwritten."""

from apps.core.notifications.models import Channel, NotificationTemplate

_SIGN = "\n\nTrân trọng,\n{{ department_name }}\n\nThư này được gửi tự động, vui lòng không trả lời.\n"
_TASK = "Nhiệm vụ: {{ task.title }}\nĐơn vị thực hiện: {{ unit }}\nThời hạn: {{ due_date|date:'d/m/Y' }}\n"

TEMPLATES = {
    "task_assigned": (
        "Nhiệm vụ mới được giao: {{ task.title }}",
        "Kính gửi {{ user.full_name }},\n\n{{ actor.full_name }} đã giao nhiệm vụ.\n"
        + _TASK
        + "{% if task.source_reference %}Căn cứ: {{ task.source_reference }}\n{% endif %}"
        "{% if task.expected_result %}Kết quả cần đạt: {{ task.expected_result }}\n{% endif %}",
    ),
    "task_due_soon": (
        "Nhiệm vụ sắp đến hạn: {{ task.title }}",
        "Kính gửi {{ user.full_name }},\n\nNhiệm vụ sau sắp đến hạn hoàn thành.\n" + _TASK,
    ),
    "task_overdue": (
        "Nhiệm vụ đã quá hạn: {{ task.title }}",
        "Kính gửi {{ user.full_name }},\n\nNhiệm vụ sau đã quá hạn hoàn thành.\n" + _TASK,
    ),
    "task_escalated": (
        "Nhiệm vụ của đơn vị quá hạn: {{ task.title }}",
        "Kính gửi {{ user.full_name }},\n\n"
        "Nhiệm vụ sau của đơn vị đã quá hạn, đề nghị đôn đốc thực hiện.\n" + _TASK,
    ),
    "task_extension_requested": (
        "Đề nghị gia hạn nhiệm vụ: {{ task.title }}",
        "Kính gửi {{ user.full_name }},\n\n{{ actor.full_name }} đề nghị gia hạn đến "
        "{{ extension.requested_due_date|date:'d/m/Y' }}.\nLý do: {{ extension.reason }}\n" + _TASK,
    ),
    "task_extension_decided": (
        "{% if approved %}Đồng ý{% else %}Không đồng ý{% endif %} gia hạn nhiệm vụ: {{ task.title }}",
        "Kính gửi {{ user.full_name }},\n\nĐề nghị gia hạn đã được "
        "{% if approved %}chấp thuận{% else %}từ chối{% endif %}.\n"
        "{% if extension.decision_note %}Ý kiến: {{ extension.decision_note }}\n{% endif %}" + _TASK,
    ),
    "task_completion_reported": (
        "Báo cáo hoàn thành nhiệm vụ: {{ task.title }}",
        "Kính gửi {{ user.full_name }},\n\n{{ actor.full_name }} đã báo cáo hoàn thành nhiệm vụ.\n" + _TASK,
    ),
    "task_reviewed": (
        "{% if accepted %}Nhiệm vụ được nghiệm thu{% else %}Nhiệm vụ bị trả lại{% endif %}: {{ task.title }}",
        "Kính gửi {{ user.full_name }},\n\n{% if accepted %}Kết quả nhiệm vụ đã được chấp nhận."
        "{% else %}Kết quả nhiệm vụ bị trả lại để hoàn thiện.{% endif %}\n"
        "{% if note %}Ý kiến: {{ note }}\n{% endif %}" + _TASK,
    ),
    "meeting_invitation": (
        "Giấy mời họp: {{ meeting.title }}",
        "Kính gửi {{ user.full_name }},\n\nKính mời anh/chị dự cuộc họp: {{ meeting.title }}\n"
        "Thời gian: {{ meeting.starts_at|date:'H:i d/m/Y' }} – {{ meeting.ends_at|date:'H:i d/m/Y' }}\n"
        "{% if meeting.room %}Địa điểm: {{ meeting.room.name }}\n{% elif meeting.location %}"
        "Địa điểm: {{ meeting.location }}\n{% endif %}"
        "{% if online_url %}Phòng họp trực tuyến: {{ online_url }}\n{% endif %}"
        "{% if meeting.chair %}Chủ trì: {{ meeting.chair }}\n{% endif %}"
        "Tệp lịch (.ics) đính kèm để thêm vào lịch của anh/chị.",
    ),
    "meeting_changed": (
        "Thay đổi lịch họp: {{ meeting.title }}",
        "Kính gửi {{ user.full_name }},\n\nCuộc họp {{ meeting.title }} đổi sang "
        "{{ meeting.starts_at|date:'H:i d/m/Y' }} – {{ meeting.ends_at|date:'H:i d/m/Y' }}.\n"
        "{% if online_url %}Phòng họp trực tuyến: {{ online_url }}\n{% endif %}Tệp lịch (.ics) mới đính kèm.",
    ),
    "meeting_cancelled": (
        "Hủy cuộc họp: {{ meeting.title }}",
        "Kính gửi {{ user.full_name }},\n\nCuộc họp {{ meeting.title }} lúc "
        "{{ meeting.starts_at|date:'H:i d/m/Y' }} đã bị hủy.\n{% if note %}Lý do: {{ note }}\n{% endif %}",
    ),
    "report_period_opened": (
        "Mở kỳ báo cáo: {{ period.label }}",
        "Kính gửi {{ user.full_name }},\n\n"
        "Kỳ báo cáo {{ period.label }} ({{ period.template.name }}) đã mở.\n"
        "Số liệu tính từ {{ period.cutoff_from|date:'d/m/Y' }} đến {{ period.cutoff_to|date:'d/m/Y' }}.\n"
        "Hạn gửi báo cáo: {{ period.due_date|date:'d/m/Y' }}.",
    ),
    "report_due_soon": (
        "Sắp đến hạn gửi báo cáo: {{ period.label }}",
        "Kính gửi {{ user.full_name }},\n\n"
        "Báo cáo {{ period.label }} ({{ period.template.name }}) của {{ report.organization }} "
        "chưa được gửi.\n"
        "Hạn gửi báo cáo: {{ period.due_date|date:'d/m/Y' }}.",
    ),
    "report_overdue": (
        "Báo cáo đã quá hạn: {{ period.label }}",
        "Kính gửi {{ user.full_name }},\n\n"
        "Báo cáo {{ period.label }} ({{ period.template.name }}) của {{ report.organization }} "
        "đã quá hạn gửi ({{ period.due_date|date:'d/m/Y' }}), đề nghị gửi ngay.",
    ),
    "report_reviewed": (
        "{% if accepted %}Báo cáo được chấp nhận{% else %}Báo cáo bị trả lại{% endif %}: "
        "{{ report.period.label }}",
        "Kính gửi {{ user.full_name }},\n\nBáo cáo {{ report.period.label }} của {{ report.organization }} "
        "{% if accepted %}đã được chấp nhận{% else %}bị trả lại để chỉnh sửa{% endif %}.\n"
        "{% if comment %}Ý kiến: {{ comment }}\n{% endif %}",
    ),
}


def ensure_default_templates() -> int:
    created = 0
    for event, (subject, body) in TEMPLATES.items():
        _obj, made = NotificationTemplate.objects.get_or_create(
            event=event, channel=Channel.EMAIL, defaults={"subject": subject, "body": body + _SIGN}
        )
        created += made
    return created
