"""Demo data: the registry of seeders, run by `manage.py seed_demo`.

Each app registers an idempotent seeder from its AppConfig.ready (the foundation's organisations and
accounts first, from `apps.accounts.demo`); core itself holds no demo data, so it depends on no app.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction

# Apps add their demo data here (from AppConfig.ready), run in `order`; the foundation has order 0.
_seeders: list[tuple[int, str, Callable[[], dict]]] = []


def register_seeder(name: str, fn: Callable[[], dict], *, order: int = 100) -> None:
    """`fn` must be idempotent and return counts of what it created, e.g. {"procedures": 54}."""
    _seeders[:] = [s for s in _seeders if s[1] != name] + [(order, name, fn)]


def seed() -> dict[str, int]:
    created: dict[str, int] = {}
    for _order, name, fn in sorted(_seeders, key=lambda s: s[0]):
        with transaction.atomic():
            for key, value in (fn() or {}).items():
                created[f"{name}.{key}"] = value
    return created


def demo_allowed() -> bool:
    return settings.DEBUG or settings.DEMO_MODE
