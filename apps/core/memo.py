"""Answers computed once per request (e.g. "which memberships does this user hold", asked by the
navigation, the scope checks and the page itself several times in one request).

Only inside a request (`RequestMemoMiddleware`): services called from a shell, a task or a test
always read fresh rows. Whoever changes the underlying rows calls `forget()`.
"""

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def remember(key: Hashable, compute: Callable[[], Any]) -> Any:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget() -> None:
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
