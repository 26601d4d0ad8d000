"""Default Vietnamese notification templates of the dossier events (created if missing, never overwritten)."""

from apps.core.notifications.models import Channel, NotificationTemplate

_STATUS = (
    "Mã hồ sơ: {{ code }}\nThủ tục: {{ dossier.procedure_name }}\nTrạng thái: {{ state }}\n"
    "{% if note %}Ghi chú: {{ note }}\n{% endif %}"
)
_FOOTER = (
    "\nTra cứu hồ sơ bằng mã hồ sơ và số điện thoại hoặc thư điện tử đã khai.\n\n"
    "Trân trọng,\n{{ department_name }}"
)

TEMPLATES = {
    "dossier_submitted": "Hồ sơ {{ code }} đã được nộp",
    "dossier_received": "Hồ sơ {{ code }} đã được tiếp nhận, hẹn trả {{ dossier.due_at|date:'H:i d/m/Y' }}",
    "dossier_supplement_requested": "Hồ sơ {{ code }} cần bổ sung, hoàn thiện",
    "dossier_supplemented": "Hồ sơ {{ code }} đã được bổ sung",
    "dossier_refuse": "Hồ sơ {{ code }} bị từ chối tiếp nhận",
    "dossier_result_ready": "Hồ sơ {{ code }} đã có kết quả",
    "dossier_return_result": "Kết quả hồ sơ {{ code }} đã được trả",
    "dossier_extended": "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}",
    "dossier_stop": "Thông báo dừng giải quyết hồ sơ {{ code }}",
    "dossier_not_eligible": "Hồ sơ {{ code }} không đủ điều kiện giải quyết",
}


def ensure_templates() -> int:
    made = 0
    for event, subject in TEMPLATES.items():
        _obj, created = NotificationTemplate.objects.get_or_create(
            event=event, channel=Channel.EMAIL, defaults={"subject": subject, "body": _STATUS + _FOOTER}
        )
        made += created
    _obj, created = NotificationTemplate.objects.get_or_create(
        event="dossier_contact_code",
        channel=Channel.EMAIL,
        defaults={
            "subject": "Mã xác minh nộp hồ sơ trực tuyến",
            "body": "Mã xác minh của anh/chị là {{ code }} (hiệu lực 10 phút). "
            "Không cung cấp mã này cho người khác.",
        },
    )
    return made + created
