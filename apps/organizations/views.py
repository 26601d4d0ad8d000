from django.shortcuts import get_object_or_404, render

from apps.core import access
from apps.core.export import xlsx_response

from .access import ORGANIZATION_VIEWER
from .models import Membership
from .selectors import organization_tree_for


@access.require(ORGANIZATION_VIEWER)
def tree(request):
    nodes = list(organization_tree_for(request.user))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "co-cau-to-chuc.xlsx",
            "Cơ cấu tổ chức",
            ["Mã", "Tên", "Loại", "Trực thuộc", "Số thành viên"],
            (
                (o.code, o.name, o.get_kind_display(), o.parent.name if o.parent_id else "", o.member_count)
                for o in organization_tree_for(request.user).select_related("parent")
            ),
        )
    base = min((n.depth for n in nodes), default=0)
    for node in nodes:
        node.indent = node.depth - base
    return render(request, "organizations/tree.html", {"nodes": nodes})


@access.require(ORGANIZATION_VIEWER)
def detail(request, pk):
    org = get_object_or_404(organization_tree_for(request.user), pk=pk)
    members = (
        Membership.objects.filter(organization=org, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    return render(request, "organizations/detail.html", {"org": org, "members": members})
