"""Downloads of stored files: always through a permission check, never straight from MEDIA.

Who may download a file depends on what it is for. An app registers the rule for its purpose
with `register_access_rule(purpose, fn)` (e.g. dossiers: whoever may see the dossier); a
registered rule replaces the default for that purpose and may call `default_access_rule` itself.
The default: the uploader, or a user whose "view" scope reaches the file's organisation.
A user who may not download gets 404, so the file's existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from apps.core import access

from .models import StoredFile

AccessRule = Callable[[object, StoredFile], bool]

_ACCESS_RULES: dict[str, AccessRule] = {}


def register_access_rule(purpose: str, rule: AccessRule) -> None:
    """Decide who may download files of `purpose`: rule(user, stored_file) -> bool."""
    _ACCESS_RULES[purpose] = rule


def uploader_only(user, stored_file: StoredFile) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return stored_file.uploaded_by_id is not None and stored_file.uploaded_by_id == user.pk


# Files of a purpose without a rule: organizations replaces this with its row scoping at start-up
# (core sits below organizations, so it cannot import the scoping itself).
_default_rule: list[AccessRule] = [uploader_only]


def set_default_access_rule(rule: AccessRule) -> None:
    _default_rule[0] = rule


def default_access_rule(user, stored_file: StoredFile) -> bool:
    return bool(_default_rule[0](user, stored_file))


# purpose → fn(request, stored_file), called once a download is allowed (dossiers: audit a staff
# member's download of an applicant's file).
_DOWNLOAD_HOOKS: dict[str, Callable[[object, StoredFile], None]] = {}


def register_download_hook(purpose: str, hook: Callable[[object, StoredFile], None]) -> None:
    _DOWNLOAD_HOOKS[purpose] = hook


def can_download(user, stored_file: StoredFile) -> bool:
    rule = _ACCESS_RULES.get(stored_file.purpose, default_access_rule)
    return bool(rule(user, stored_file))


@require_GET
@access.require(access.SIGNED_IN)
def download(request, pk):
    stored = get_object_or_404(StoredFile, pk=pk)
    if not can_download(request.user, stored):
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    hook = _DOWNLOAD_HOOKS.get(stored.purpose)
    if hook is not None:
        hook(request, stored)
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
