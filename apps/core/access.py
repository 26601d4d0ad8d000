"""Who may use each URL: one kind of rule, one `require` decorator, one registry read by the
every-URL permission test (DESIGN.md: "Every URL declares who may use it").

A rule is a named predicate on the signed-in user:

    from apps.core import access

    ITSEC_STAFF = access.rule("itsec.staff", is_staff_member, _("IT and security staff"))

    @access.require(ITSEC_STAFF)
    def asset_list(request): ...

Function views are wrapped by `require`; class-based views (DRF) carry `access_rule = RULE`.
`require` runs before the view looks anything up, so a visitor without the rule never learns
whether an object exists: anonymous → the login page, signed in without the rule → 403. Object
scope (this dossier, this unit) stays the view's own business and answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    name: str
    test: Callable[[Any], bool]  # user → may use the route (the user may be anonymous)
    label: Any = ""
    public: bool = False  # anonymous visitors pass too (the portal, the catalogue, lookups)

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return False
        return bool(self.test(user))


_RULES: dict[str, Rule] = {}


def rule(name: str, test: Callable[[Any], bool], label="", *, public: bool = False) -> Rule:
    found = Rule(name, test, label, public)
    _RULES[name] = found
    return found


def get_rule(name: str) -> Rule:
    """A rule by name, for a layer that cannot import the app defining it (audit asks organizations')."""
    return _RULES[name]


PUBLIC = rule("public", lambda user: True, _("Everyone, also without signing in"), public=True)
SIGNED_IN = rule("signed_in", lambda user: True, _("Anyone signed in"))
# API endpoints only integration clients (API tokens) use: a signed-in person is refused.
API_CLIENT = rule(
    "api_client",
    lambda user: getattr(user, "client", None) is not None,
    _("Integration clients (API token), never a signed-in person"),
)


def require(access_rule: Rule):
    """Gate a function view by a rule; the rule is kept on the view for the registry test."""

    def decorate(view):
        @wraps(view)
        def gated(request, *args, **kwargs):
            if not access_rule.allows(request.user):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied(_("You may not open this page."))
            return view(request, *args, **kwargs)

        gated.access_rule = access_rule
        return gated

    return decorate


def rule_of(callback) -> Rule | None:
    """The rule a resolved URL's view declares (function, class-based or DRF view)."""
    found = getattr(callback, "access_rule", None)
    for holder in ("view_class", "cls"):
        klass = getattr(callback, holder, None)
        if found is None and klass is not None:
            found = getattr(klass, "access_rule", None)
    return found


# Third-party route families that carry their own gate (Django admin, Wagtail's admin): their
# namespace or path prefix maps to the rule that describes that gate.
_FOREIGN: dict[str, Rule] = {}


def declare_foreign(prefix: str, access_rule: Rule) -> None:
    _FOREIGN[prefix] = access_rule


def foreign_rule(namespace: str, route: str) -> Rule | None:
    for prefix, found in _FOREIGN.items():
        if namespace.startswith(prefix) or route.startswith(prefix):
            return found
    return None
