"""Template filters for Vietnamese formatting: `{% load vn %}` then `{{ total|vn_money }}`.

Filters never raise: a missing or malformed value renders as "" so one bad cell cannot break a
page or a generated document.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import template

from apps.core.formatting import vn

register = template.Library()


def _number(value):
    """The value as a number, or None when it is empty or not numeric."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, str) and value.strip():
        try:  # form data and query parameters arrive as strings
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _apply(func, value, *args) -> str:
    number = _number(value)
    if number is None:
        return ""
    try:
        return func(number, *args)
    except (TypeError, ValueError, ArithmeticError):
        return ""


def _date(func, value) -> str:
    if not isinstance(value, datetime.date):
        return ""
    return func(value)


@register.filter
def vn_number(value, decimals=0):
    """1234567 → "1.234.567"; `{{ x|vn_number:2 }}` → "1.234,50"."""
    try:
        decimals = int(decimals)
    except (TypeError, ValueError):
        return ""
    return _apply(vn.format_number, value, decimals)


@register.filter
def vn_percent(value, decimals=2):
    """A value already in percent: 57.4 → "57,40%"."""
    try:
        decimals = int(decimals)
    except (TypeError, ValueError):
        return ""
    return _apply(vn.format_percent, value, decimals)


@register.filter
def vn_date(value):
    """dd/mm/yyyy: "06/10/2021"."""
    return _date(vn.format_date, value)


@register.filter
def vn_datetime(value):
    """Time then date: "14:05 06/10/2021"."""
    return _date(vn.format_datetime, value)


@register.filter
def vn_long_date(value):
    """For document headers: "ngày 06 tháng 10 năm 2021"."""
    return _date(vn.long_date, value)


@register.filter
def vn_money(value):
    """Amount in đồng: "267.000.000 đồng"."""
    return _apply(vn.format_money, value)


@register.filter
def vn_million(value):
    """An amount in đồng shown in millions: "405 triệu đồng"."""
    return _apply(vn.format_million, value)


@register.filter
def vn_words(value):
    """Amount in words with the unit: "Bốn trăm lẻ năm triệu đồng"."""
    return _apply(vn.amount_in_words, value)
