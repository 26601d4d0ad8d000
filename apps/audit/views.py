from django.db.models import Q
from django.shortcuts import render

from apps.core import access
from apps.core.export import xlsx_response
from apps.core.pagination import paginate

from .access import AUDIT_LOG
from .models import AuditEvent


@access.require(AUDIT_LOG)
def event_list(request):
    q = request.GET.get("q", "").strip()
    events = AuditEvent.objects.select_related("actor", "content_type").order_by("-seq")
    if q:
        events = events.filter(
            Q(verb__icontains=q) | Q(object_repr__icontains=q) | Q(actor_repr__icontains=q) | Q(request_id=q)
        )
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
    return render(request, "audit/event_list.html", {"page": paginate(request, events), "q": q})
