"""The platform's notification events and their default Vietnamese templates.

`EVENTS` documents, for each event, the context variables its sender passes (shown to
administrators as help when they edit a template). `ensure_default_templates()` creates the
default templates that do not exist yet and never touches one an administrator has edited; the
demo seed and deployments call it (no data migration).
"""

from .models import Channel, NotificationTemplate

# Variables every template receives (service.base_context).
COMMON_VARIABLES = {
    "user": "tài khoản người nhận (user.full_name, user.username, user.email)",
    "platform_name": "tên nền tảng",
    "department_name": "tên cơ quan",
}

EVENTS = {
    "account_created": {
        "description": "Tài khoản mới được tạo",
        "variables": {
            "organization": "đơn vị của tài khoản",
            "role": "vai trò được giao (tên hiển thị)",
            "actor": "người tạo tài khoản",
            "login_url": "địa chỉ trang đăng nhập (đầy đủ), nếu có",
        },
    },
    "account_deactivated": {
        "description": "Tài khoản bị ngừng hoạt động (chuyển công tác, nghỉ hưu, thôi việc…)",
        "variables": {
            "reason": "lý do ngừng hoạt động (tên hiển thị)",
            "on_date": "ngày ngừng hoạt động (dùng {{ on_date|date:'d/m/Y' }})",
            "note": "ghi chú của người quản trị",
            "actor": "người thực hiện",
        },
    },
}

DEFAULT_TEMPLATES = [
    {
        "event": "account_created",
        "channel": Channel.EMAIL,
        "subject": "Tài khoản của anh/chị trên hệ thống {{ platform_name }} đã được tạo",
        "body": """Kính gửi {{ user.full_name|default:user.username }},

Tài khoản của anh/chị trên hệ thống {{ platform_name }} đã được tạo.

Tên đăng nhập: {{ user.username }}
{% if organization %}Đơn vị: {{ organization }}
{% endif %}{% if role %}Vai trò: {{ role }}
{% endif %}{% if login_url %}Trang đăng nhập: {{ login_url }}
{% endif %}
Mật khẩu ban đầu do người quản trị cung cấp trực tiếp, không gửi qua thư này. \
Khi đăng nhập lần đầu, anh/chị vui lòng đổi mật khẩu và thiết lập xác thực hai lớp.

Trân trọng,
{{ department_name }}

Thư này được gửi tự động, vui lòng không trả lời.
""",
    },
    {
        "event": "account_created",
        "channel": Channel.IN_APP,
        "subject": "Chào mừng anh/chị đến với hệ thống {{ platform_name }}",
        "body": """Tài khoản {{ user.username }} đã được tạo\
{% if organization %} tại {{ organization }}{% endif %}.
Anh/chị vui lòng đổi mật khẩu và thiết lập xác thực hai lớp nếu chưa thực hiện.""",
    },
    {
        "event": "account_deactivated",
        "channel": Channel.EMAIL,
        "subject": "Tài khoản của anh/chị trên hệ thống {{ platform_name }} đã ngừng hoạt động",
        "body": """Kính gửi {{ user.full_name|default:user.username }},

Tài khoản {{ user.username }} của anh/chị trên hệ thống {{ platform_name }} đã ngừng hoạt động\
{% if on_date %} từ ngày {{ on_date|date:"d/m/Y" }}{% endif %}.
{% if reason %}Lý do: {{ reason }}
{% endif %}{% if note %}Ghi chú: {{ note }}
{% endif %}
Anh/chị không còn đăng nhập được vào hệ thống. Nếu cho rằng đây là nhầm lẫn, \
vui lòng liên hệ bộ phận quản trị hệ thống của {{ department_name }}.

Trân trọng,
{{ department_name }}

Thư này được gửi tự động, vui lòng không trả lời.
""",
    },
]


def ensure_default_templates() -> int:
    """Create the default templates that are missing; returns how many were created."""
    created = 0
    for spec in DEFAULT_TEMPLATES:
        _template, was_created = NotificationTemplate.objects.get_or_create(
            event=spec["event"],
            channel=spec["channel"],
            defaults={"subject": spec["subject"], "body": spec["body"], "is_active": True},
        )
        created += was_created
    return created


def variables_help(event: str | None = None) -> str:
    """A plain-text list of the variables a template may use (all events when `event` is None)."""
    lines = [
        "Biến dùng được trong mọi mẫu: "
        + "; ".join(f"{{{{ {k} }}}} — {v}" for k, v in COMMON_VARIABLES.items())
    ]
    for slug, spec in EVENTS.items():
        if event is not None and slug != event:
            continue
        variables = "; ".join(f"{{{{ {k} }}}} — {v}" for k, v in spec["variables"].items())
        lines.append(f"{slug} ({spec['description']}): {variables}")
    return "\n".join(lines)
