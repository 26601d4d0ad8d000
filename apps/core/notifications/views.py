from django.shortcuts import render

from apps.core import access
from apps.core.pagination import paginate

from .models import Channel, MessageStatus, OutboxMessage


@access.require(access.SIGNED_IN)
def inbox(request):
    """The signed-in user's in-app notifications, newest first (a delivered message is an inbox item)."""
    items = OutboxMessage.objects.filter(
        recipient_user=request.user, channel=Channel.IN_APP, status=MessageStatus.SENT
    ).order_by("-created_at", "-pk")
    return render(request, "core/inbox.html", {"page": paginate(request, items)})
