"""Default Vietnamese e-mail templates of the citizen questions; created by the seeder, never overwritten."""

from apps.core.notifications.models import Channel, NotificationTemplate

_SIGN = "\n\nTrân trọng,\n{{ department_name }}\n\nThư này được gửi tự động, vui lòng không trả lời.\n"
_HEAD = "Kính gửi {{ question.asker_name }},\n\n"

TEMPLATES = {
    "portal_question_received": (
        "Đã nhận câu hỏi {{ question.code }}",
        _HEAD + "Cổng thông tin điện tử đã nhận câu hỏi của anh/chị.\n"
        "Mã câu hỏi: {{ question.code }}\nTiêu đề: {{ question.title }}\n"
        "Thời hạn trả lời dự kiến: {{ question.due_at|date:'d/m/Y' }}\n",
    ),
    "portal_question_published": (
        "Câu hỏi {{ question.code }} đã được trả lời",
        _HEAD + "Câu hỏi của anh/chị đã được trả lời và đăng trên Cổng thông tin điện tử.\n"
        "Mã câu hỏi: {{ question.code }}\nXem câu trả lời: {{ url }}\n",
    ),
    "portal_question_answered": (
        "Trả lời câu hỏi {{ question.code }}",
        _HEAD + "Cơ quan trả lời câu hỏi của anh/chị như sau.\n\n"
        "Câu hỏi ({{ question.code }}): {{ question.title }}\n{{ question.body }}\n\n"
        "Trả lời:\n{{ question.answer }}\n",
    ),
    "portal_question_rejected": (
        "Câu hỏi {{ question.code }} không được tiếp nhận",
        _HEAD
        + "Câu hỏi {{ question.code }} ({{ question.title }}) không được tiếp nhận.\nLý do: {{ note }}\n",
    ),
}


def ensure_default_templates() -> int:
    made_count = 0
    for event, (subject, body) in TEMPLATES.items():
        _obj, made = NotificationTemplate.objects.get_or_create(
            event=event, channel=Channel.EMAIL, defaults={"subject": subject, "body": body + _SIGN}
        )
        made_count += made
    return made_count
