from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render

from apps.core import access
from apps.core.export import xlsx_response
from apps.core.pagination import paginate

from .models import AuditEvent


def can_view_log(user) -> bool:
    # The whole log spans every organisation, so only those whose reach is everything see it.
    everything = access.get_rule("organizations.reach_everything")
    return user.has_perm("audit.view_auditevent") and everything.allows(user)


@login_required
def event_list(request):
    if not can_view_log(request.user):
        raise PermissionDenied
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
