"""The indicators contract (DESIGN.md): every figure a module publishes, in one registry.

Each domain app registers its figures from its own `indicators.py`:

    from apps.core import indicators

    @indicators.register("itsec.computers.with_antivirus", _("Máy tính có phần mềm diệt virus"), _("máy"))
    def computers_with_antivirus(organization, period: Period) -> int: ...

Every function takes `(organization, period: core.periods.Period)` and returns a plain value: an int,
a Decimal (shares are percentages, 57.40 for 57,40%), or None when there is nothing to count.
Point-in-time figures (assets in use, accounts) are taken at `period.end`. Keys are stable dotted
names: `plans` binds targets to them and the API publishes them, so a key is never renamed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.module_loading import autodiscover_modules

from .periods import Period

Value = int | Decimal | None
Fn = Callable[[Any, Period], Value]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any  # lazy translatable Vietnamese label
    unit: Any
    fn: Fn
    source: str  # the app that publishes it ("itsec")
    description: Any = ""

    def value(self, organization, period: Period) -> Value:
        return self.fn(organization, period)


_REGISTRY: dict[str, Indicator] = {}
_discovered = False


def register(key: str, label, unit, fn: Fn | None = None, source: str = "", *, description=""):
    """Register `fn` under `key`; usable as a call or, without `fn`, as a decorator."""

    def add(fn: Fn) -> Fn:
        app = source or key.split(".", 1)[0]
        existing = _REGISTRY.get(key)
        if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"Indicator {key} is registered twice")
        _REGISTRY[key] = Indicator(key, label, unit, fn, app, description)
        return fn

    return add(fn) if fn is not None else add


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("indicators")
        _discovered = True


def all_indicators() -> list[Indicator]:
    _discover()
    return sorted(_REGISTRY.values(), key=lambda i: i.key)


def get(key: str) -> Indicator:
    _discover()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"No indicator {key}") from None


def value(key: str, organization, period: Period) -> Value:
    return get(key).value(organization, period)


def evaluate(organization, period: Period, keys=None) -> list[tuple[Indicator, Value]]:
    """Every (or the named) indicator's value for one organisation and period."""
    chosen = all_indicators() if keys is None else [get(k) for k in keys]
    with evaluation():
        return [(ind, ind.value(organization, period)) for ind in chosen]


def percentage(part, whole) -> Decimal | None:
    """part/whole in % with two decimals, rounded half up like `formatting.vn.share` (31/54 → 57.41);
    None when the whole is zero or missing."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Many indicators are fields of one computed figure set (coverage, document figures…). During one
# `evaluate()` each set is computed once per (organisation, period); outside it nothing is cached,
# so a single `value()` always reads fresh data.
_memo: ContextVar[dict | None] = ContextVar("indicators_memo", default=None)


@contextmanager
def evaluation():
    """Share the figure sets computed by `shared` functions while the block runs."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def shared(fn):
    """Decorate a `(organization, period, *args)` figure-set function to compute it once per evaluation."""

    @functools.wraps(fn)
    def wrapper(organization, period, *args):
        cache = _memo.get()
        if cache is None:
            return fn(organization, period, *args)
        key = (fn, getattr(organization, "pk", organization), period, args)
        if key not in cache:
            cache[key] = fn(organization, period, *args)
        return cache[key]

    return wrapper
