from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def timeline(obj):
    """Events of one object, oldest first, with the actor loaded."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("seq")
    )
