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


@dataclass(frozen=True)
class Counter:
    """One figure on the staff home: "3 văn bản chờ tôi duyệt", with where to see them.

    `tone`: "danger" (overdue), "warning" (due this week) or "" (plain).
    """

    label: str | Promise
    value: int
    url: str = ""
    tone: str = ""


# module key -> user -> counters. Each app registers its own (core imports no domain app).
_mine: dict[str, Callable[[object], list[Counter]]] = {}
_overview: dict[str, Callable[[object], list[Counter]]] = {}


def register_counters(
    module_key: str,
    *,
    mine: Callable[[object], list[Counter]] | None = None,
    overview: Callable[[object], list[Counter]] | None = None,
) -> None:
    """`mine(user)`: the user's own pending, overdue and due-this-week items, on the module's card.
    `overview(user)`: the figures across the organisation for a leader, an empty list for others."""
    if mine is not None:
        _mine[module_key] = mine
    if overview is not None:
        _overview[module_key] = overview


def counters_for(user, modules: list[Module]) -> dict[str, list[Counter]]:
    return {m.key: list(_mine[m.key](user)) for m in modules if m.key in _mine}


def overview_for(user, modules: list[Module]) -> list[tuple[Module, list[Counter]]]:
    rows = []
    for module in modules:
        if module.key in _overview:
            counters = list(_overview[module.key](user))
            if counters:
                rows.append((module, counters))
    return rows
