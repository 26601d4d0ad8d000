"""Bounded integers from the address bar: ids in URL paths and numbers in query strings.

A database id is a 64-bit signed integer. A larger number typed into a URL reaches the query and
the database driver refuses to bind it (SQLite: OverflowError; PostgreSQL: "out of range"), which
answers 500 instead of "not found". So paths take ids through the `id` converter (`<id:pk>`,
registered once in `CoreConfig.ready`), which does not match a number beyond that range (404),
and views read numeric query parameters with `int_param`, which treats such a number like any
other non-integer (the filter is ignored).
"""

from __future__ import annotations

import re

from django.urls.converters import IntConverter

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# ASCII digits only: int() also accepts "1_000", " 12 " and other scripts' digits, and
# str.isdigit() accepts "²", which int() then refuses.
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}", re.ASCII)


class IdConverter(IntConverter):
    """`<id:name>`: like `<int:name>`, but only up to the largest id the database can hold."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > INT64_MAX:
            raise ValueError("beyond the 64-bit id range")  # the resolver takes this as "no match"
        return number


def int_param(value, default: int | None = None) -> int | None:
    """An integer from a query string or form, or `default` when absent, malformed or out of the
    64-bit signed range (the range of every integer column)."""
    if value is None:
        return default
    text = str(value).strip()
    if not _INTEGER.fullmatch(text):
        return default
    number = int(text)
    return number if INT64_MIN <= number <= INT64_MAX else default
