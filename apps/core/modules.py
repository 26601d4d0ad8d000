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
