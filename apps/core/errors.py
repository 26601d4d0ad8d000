"""Errors written for the user: a "not found" that says why, in words the user may read.

A view raises `ExplainedNotFound(message, title=...)` where a plain 404 would leave a user lost
although telling them why leaks nothing (e.g. a dossier of their own unit not yet assigned to
them). The 404 page shows the message of this exception only, never the text of another Http404
(those are developers' words: "No Dossier matches the given query.").
"""

from __future__ import annotations

from django.http import Http404


class ExplainedNotFound(Http404):
    def __init__(self, message, *, title=None):
        super().__init__(message)
        self.message = message
        self.title = title
