import datetime

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from apps.core import access
from apps.core.export import xlsx_response
from apps.core.pagination import paginate
from apps.core.text import normalize

from .access import AUDIT_LOG
from .models import AuditEvent

# Content types of other packages that belong to one of the platform's modules (the portal runs on Wagtail).
_MODULE_ALSO = {"portal": ("wagtailcore", "wagtailimages", "wagtaildocs")}


def modules() -> list[tuple[str, str]]:
    """(app label, its name) of every module of the platform, for the module filter."""
    return sorted(
        ((c.label, str(c.verbose_name)) for c in django_apps.get_app_configs() if c.name.startswith("apps.")),
        key=lambda m: m[1],
    )


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the platform's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _people(text: str) -> Q:
    """Events of the accounts whose name or user name holds every word of `text` (without regard
    to diacritics), or whose recorded name does (an account since removed)."""
    words = normalize(text).split()
    ids = [
        pk
        for pk, username, full_name in get_user_model()
        ._base_manager.exclude(full_name="", username="")
        .values_list("pk", "username", "full_name")
        if all(w in normalize(f"{full_name} {username}") for w in words)
    ]
    return Q(actor_id__in=ids) | Q(actor_repr__icontains=text)


def filtered(params) -> tuple[dict, object]:
    """The GET filters (search, person, module, date range) as shown in the form, and the events."""
    f = {k: params.get(k, "").strip() for k in ("q", "person", "module", "date_from", "date_to")}
    events = AuditEvent.objects.select_related("actor", "content_type").order_by("-id")
    if f["q"]:
        q = f["q"]
        events = events.filter(
            Q(verb__icontains=q) | Q(object_repr__icontains=q) | Q(actor_repr__icontains=q) | Q(request_id=q)
        )
    if f["person"]:
        events = events.filter(_people(f["person"]))
    labels = dict(modules())
    if f["module"] in labels:
        events = events.filter(content_type__app_label__in=(f["module"], *_MODULE_ALSO.get(f["module"], ())))
    else:
        f["module"] = ""
    start, end = _date(f["date_from"]), _date(f["date_to"])
    if start and end and end < start:
        start, end = end, start
        f["date_from"], f["date_to"] = start.isoformat(), end.isoformat()
    if start:
        events = events.filter(at__gte=_day_start(start))
    else:
        f["date_from"] = ""
    if end:
        events = events.filter(at__lt=_day_start(end + datetime.timedelta(days=1)))
    else:
        f["date_to"] = ""
    return f, events


@access.require(AUDIT_LOG)
def event_list(request):
    f, events = filtered(request.GET)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "nhat-ky.xlsx",
            "Nhật ký",
            [
                "Số",
                "Thời điểm",
                "Người thực hiện",
                "Địa chỉ IP",
                "Sự kiện",
                "Đối tượng",
                "Ghi chú",
                "Yêu cầu",
            ],
            (
                (e.seq, e.at, e.actor_repr, e.ip_address, e.verb, e.object_repr, e.note, e.request_id)
                for e in events.iterator()
            ),
        )
    return render(
        request,
        "audit/event_list.html",
        {
            "page": paginate(request, events),
            "q": f["q"],
            "f": f,
            "modules": modules(),
            "filtered": any(f.values()),
        },
    )
