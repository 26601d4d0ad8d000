"""Who hears of a dossier's events, and the default Vietnamese templates (created if missing, never
overwritten)."""

from apps.core.notifications.models import Channel, NotificationTemplate
from apps.core.notifications.service import notify
from apps.organizations.roles import Role

from .models import State

_STATUS = (
    "Mã hồ sơ: {{ code }}\nThủ tục: {{ dossier.procedure_name }}\nTrạng thái: {{ state }}\n"
    "{% if note %}Ghi chú: {{ note }}\n{% endif %}"
    "{% if supplement_items %}Thành phần cần bổ sung, hoàn thiện:\n"
    "{% for item in supplement_items %}- {{ item }}\n{% endfor %}{% endif %}"
    "{% if expected %}Việc anh/chị cần làm: {{ expected }}\n{% endif %}"
)
_FOOTER = (
    "\nTra cứu hồ sơ bằng mã hồ sơ và số điện thoại hoặc thư điện tử đã khai"
    "{% if user %}, hoặc đăng nhập tài khoản {{ user.username }} và mở mục “Hồ sơ của tôi”{% endif %}.\n\n"
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
    "dossier_transfer": "Hồ sơ {{ code }} đã được chuyển đến đơn vị giải quyết",
    "dossier_assign": "Hồ sơ {{ code }} đang được xử lý",
    "dossier_propose": "Hồ sơ {{ code }} đang chờ phê duyệt",
    "dossier_send_back": "Hồ sơ {{ code }} đang được xử lý",
    "dossier_head_submit": "Hồ sơ {{ code }} đang chờ phê duyệt",
    "dossier_approve": "Hồ sơ {{ code }} đã được phê duyệt",
    "dossier_close": "Hồ sơ {{ code }} đã kết thúc",
    "dossier_paid": "Đã nhận phí, lệ phí của hồ sơ {{ code }}",
}

# In the applicant's account (`/thong-bao/`): the steps that concern them, each saying what is
# expected of them. Only these events reach the in-app inbox; every event above goes by e-mail.
_IN_APP_BODY = (
    "Thủ tục: {{ dossier.procedure_name }}\nTrạng thái: {{ state }}\n"
    "{% if note %}Ghi chú: {{ note }}\n{% endif %}"
    "{% if supplement_items %}Thành phần cần bổ sung, hoàn thiện:\n"
    "{% for item in supplement_items %}- {{ item }}\n{% endfor %}{% endif %}"
    "{% if expected %}Việc anh/chị cần làm: {{ expected }}\n{% endif %}"
    "Xem chi tiết tại mục “Hồ sơ của tôi”."
)
IN_APP_EVENTS = (
    "dossier_submitted",
    "dossier_received",
    "dossier_supplement_requested",
    "dossier_supplemented",
    "dossier_refuse",
    "dossier_result_ready",
    "dossier_return_result",
    "dossier_extended",
    "dossier_stop",
    "dossier_not_eligible",
    "dossier_paid",
)

# What the applicant must do after each event (in the e-mail and the in-app message).
EXPECTED = {
    "dossier_supplement_requested": "bổ sung, hoàn thiện hồ sơ theo các thành phần nêu trên "
    "(mục “Hồ sơ của tôi” hoặc tra cứu hồ sơ, nút “Gửi hồ sơ bổ sung”).",
    "dossier_result_ready": "nhận kết quả tại Bộ phận Một cửa hoặc tải kết quả điện tử "
    "trong mục “Hồ sơ của tôi”.",
    "dossier_return_result": "đánh giá mức độ hài lòng về việc giải quyết hồ sơ.",
    "dossier_refuse": "hồ sơ không được tiếp nhận; xem lý do ở phần ghi chú.",
    "dossier_not_eligible": "hồ sơ không đủ điều kiện giải quyết; xem lý do ở phần ghi chú.",
}
FEE_DUE = "thanh toán phí, lệ phí {amount} đồng trực tuyến trong mục “Hồ sơ của tôi”."

# To the officer who must act next (e-mail and in-app).
TASK_SUBJECT = "Hồ sơ {{ code }} đang chờ anh/chị xử lý"
TASK_BODY = (
    "Mã hồ sơ: {{ code }}\nThủ tục: {{ dossier.procedure_name }}\nTrạng thái: {{ state }}\n"
    "{% if dossier.due_at %}Hạn trả kết quả: {{ dossier.due_at|date:'H:i d/m/Y' }}\n{% endif %}"
)


def ensure_templates() -> int:
    made = 0
    for event, subject in TEMPLATES.items():
        _obj, created = NotificationTemplate.objects.get_or_create(
            event=event, channel=Channel.EMAIL, defaults={"subject": subject, "body": _STATUS + _FOOTER}
        )
        made += created
    for event in IN_APP_EVENTS:
        _obj, created = NotificationTemplate.objects.get_or_create(
            event=event, channel=Channel.IN_APP, defaults={"subject": TEMPLATES[event], "body": _IN_APP_BODY}
        )
        made += created
    for channel in (Channel.EMAIL, Channel.IN_APP):
        _obj, created = NotificationTemplate.objects.get_or_create(
            event="dossier_task", channel=channel, defaults={"subject": TASK_SUBJECT, "body": TASK_BODY}
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


def on_post_migrate(sender, **kwargs) -> None:
    """Install the default templates with the database, not only with the demo data."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction

    if kwargs.get("using", DEFAULT_DB_ALIAS) != DEFAULT_DB_ALIAS:
        return
    try:
        with transaction.atomic():
            ensure_templates()
    except DatabaseError:  # a partial migrate: the notification tables are not there yet
        pass


def _state_label(dossier):
    """The status, lazily: the message is rendered in the platform's language (Vietnamese), not in
    the language of whoever's request caused it."""
    return State(dossier.state).label if dossier.state in State.values else dossier.state


def _expected(dossier, event: str) -> str:
    """What the applicant is to do after `event`, in Vietnamese ("" when nothing)."""
    if event in EXPECTED:
        return EXPECTED[event]
    if event in ("dossier_received", "dossier_submitted") and dossier.fee > 0 and not dossier.paid:
        from apps.core.formatting.vn import format_number

        return FEE_DUE.format(amount=format_number(dossier.fee))
    return ""


def notify_applicant(dossier, event: str, **context) -> None:
    """Tell the applicant: by e-mail to the dossier's contact address (else their account's), and in
    their account's notifications (`/thong-bao/`) for the events of IN_APP_EVENTS."""
    ctx = {
        "dossier": dossier,
        "code": dossier.code,
        "state": _state_label(dossier),
        "expected": _expected(dossier, event),
        **context,
    }
    if event == "dossier_supplement_requested" and "supplement_items" not in ctx:
        request = dossier.supplement_requests.filter(fulfilled_at__isnull=True).last()
        ctx["supplement_items"] = list(request.items) if request else []
    user = dossier.applicant_user if dossier.applicant_user_id else None
    address = dossier.applicant_email or (user.email if user is not None else "")
    if address:
        notify(event, user=user, recipient=address, context=ctx)
    if user is not None and event in IN_APP_EVENTS:
        notify(event, user=user, channel=Channel.IN_APP, context=ctx)


def _members(organization_ids, roles) -> list:
    from apps.organizations.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            organization_id__in=[i for i in organization_ids if i], role__in=roles, is_active=True
        ).select_related("user")
        if m.user.is_active
    ]


def next_actors(dossier, action: str) -> list:
    """The officers who must act next after `action` (they get a "dossier_task" notification)."""
    desk = [dossier.organization_id]
    unit = dossier.handling_unit
    leaders_at = [unit.pk, unit.agency().pk] if unit else [dossier.organization.agency().pk]
    handler = [dossier.current_handler] if dossier.current_handler_id else []
    if action in ("submit", "issue_result") or (action == "supplement" and dossier.state == State.SUBMITTED):
        return _members(desk, [Role.ONE_STOP_OFFICER])
    if action in ("transfer", "propose", "head_submit"):
        return _members(leaders_at, [Role.LEADER])
    if action == "propose_to_head" and unit:
        return _members([unit.pk], [Role.UNIT_HEAD])
    if action in ("assign", "send_back", "approve", "head_return") or action == "supplement":
        return handler
    return []


def notify_next(dossier, action: str) -> None:
    ctx = {"dossier": dossier, "code": dossier.code, "state": _state_label(dossier)}
    for user in {u.pk: u for u in next_actors(dossier, action)}.values():
        notify("dossier_task", user=user, context=ctx)
        notify("dossier_task", user=user, channel="in_app", context=ctx)
