"""API permission shared by every app: token clients need the view's scope."""

from django.utils.translation import gettext as _
from rest_framework import permissions


class HasScope(permissions.BasePermission):
    """Token clients need the view's `required_scope`; signed-in people pass to row scoping."""

    message = _("This token does not have the required scope.")

    def has_permission(self, request, view):
        client = getattr(request.user, "client", None)
        if client is None:
            return bool(request.user and request.user.is_authenticated)
        return client.has_scope(getattr(view, "required_scope", ""))
