"""Fixed-window counters in Django's cache (Redis in production, so all app processes share them).

    LOOKUPS = Limit("dossiers.lookup.client", limit=10, window=15 * 60)
    if LOOKUPS.hit(client_ip(request)) > LOOKUPS.limit:
        return too_many(...)

`hit` is atomic (`cache.add` then `cache.incr`), so parallel requests cannot all slip under the
limit the way a read-then-write check lets them. Count before doing the work; `undo` gives a hit
back when the work turned out to be one that should not count (a correct answer).
Identities (addresses, codes, e-mail addresses) are hashed into the key: short, and no personal
data in the cache.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Limit:
    name: str  # key prefix, unique per counter
    limit: int  # hits allowed per window
    window: int  # seconds

    def _window(self, now: float | None) -> int:
        return int(now if now is not None else time.time()) // self.window

    def key(self, identity: str, now: float | None = None) -> str:
        digest = hashlib.sha256(str(identity).encode()).hexdigest()[:32]
        return f"ratelimit:{self.name}:{self.window}:{self._window(now)}:{digest}"

    def hit(self, identity: str, now: float | None = None) -> int:
        """Count one hit; returns the count in this window including it."""
        key = self.key(identity, now)
        if cache.add(key, 1, self.window):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired or evicted between add and incr
            cache.add(key, 1, self.window)
            return 1

    def undo(self, identity: str, now: float | None = None) -> None:
        """Give back one hit of this window (never below zero)."""
        key = self.key(identity, now)
        try:
            if cache.decr(key) < 0:
                cache.set(key, 0, self.window)
        except ValueError:
            pass

    def count(self, identity: str, now: float | None = None) -> int:
        return int(cache.get(self.key(identity, now)) or 0)

    def exceeded(self, identity: str, now: float | None = None) -> bool:
        """True once the window holds more hits than allowed."""
        return self.count(identity, now) > self.limit

    def retry_after(self, now: float | None = None) -> int:
        """Seconds until this window ends and the count starts again."""
        now = now if now is not None else time.time()
        return max(1, (self._window(now) + 1) * self.window - int(now))


def hit_in_turn(*checks: tuple[Limit, str]) -> Limit | None:
    """Hit each (limit, identity) in order and return the first one exceeded, or None.

    The ones after it are not hit: a client already over its own limit does not use up the
    allowance of the next identity (the victim's address, say).
    """
    for limit, identity in checks:
        if limit.hit(identity) > limit.limit:
            return limit
    return None


def message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts. Please try again in %(minutes)d minute.",
        "Too many attempts. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def mark_limited(response, seconds: int):
    """429 with Retry-After, for a page that rendered its own explanation."""
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response
