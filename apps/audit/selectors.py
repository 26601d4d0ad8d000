from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def timeline(obj):
    """Events of one object, oldest first, with the actor loaded."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("id")
    )


def events_of(verbs, obj=None):
    """Events with one of `verbs` (of one object when given), newest first. The list pages show the
    recorded names (`actor_repr`, `object_repr`), so no join grows with the rows."""
    events = AuditEvent.objects.filter(verb__in=list(verbs))
    if obj is not None:
        events = events.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return events.order_by("-id")
