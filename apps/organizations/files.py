"""The download rule of files whose purpose declares none: the uploader, or the organisation's scope."""

from apps.core.files.views import uploader_only

from .scoping import Action, restrict


def scoped_file_rule(user, stored_file) -> bool:
    if uploader_only(user, stored_file):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    scope = restrict(user, Action.VIEW)
    return scope.allows(stored_file, org_field="organization", owner_fields=("uploaded_by",))
