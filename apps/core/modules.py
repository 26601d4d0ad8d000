"""The staff home lists modules; each app registers its entry here (only modules that exist)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Module:
    key: str
    title: str | Promise
    description: str | Promise
    url_name: str
    icon: str  # a Tabler icon name, e.g. "users"
    allowed: Callable[[object], bool]


_registry: dict[str, Module] = {}


def register(module: Module) -> None:
    _registry[module.key] = module


def modules_for(user) -> list[Module]:
    return [m for m in _registry.values() if user.is_authenticated and m.allowed(user)]


@dataclass(frozen=True)
class Home:
    """The personal home of a signed-in person who holds no staff role (a citizen, an enterprise).

    An app registers it (the dossiers app: "Hồ sơ của tôi"); `core` only knows its URL name, so
    the foundation imports no domain app. Staff keep the workspace (`core:staff_home`).
    """

    key: str
    title: str | Promise
    url_name: str
    icon: str
    order: int = 100


_homes: dict[str, Home] = {}


def register_home(home: Home) -> None:
    _homes[home.key] = home


def is_personal(user) -> bool:
    """A signed-in person with no staff role: the citizens' pages are their home."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    return not getattr(user, "is_staff_member", True)


def home_for(user) -> Home | None:
    """The personal home `user` lands on after signing in, or None (staff, anonymous visitors)."""
    if not _homes or not is_personal(user):
        return None
    return min(_homes.values(), key=lambda h: (h.order, h.key))
