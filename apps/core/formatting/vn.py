"""Vietnamese conventions for numbers, percentages, dates, money and amounts in words.

Pure functions: no model or settings access, so documents, exports and templates all format alike.
Numbers use "." for thousands and "," for decimals ("1.234.567,50"); dates are dd/mm/yyyy in
Asia/Ho_Chi_Minh; amounts in words follow administrative usage ("Bốn trăm lẻ năm triệu đồng").
"""

import datetime
import decimal
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral
from zoneinfo import ZoneInfo

from django.utils import timezone

__all__ = [
    "VN_TZ",
    "amount_in_words",
    "format_date",
    "format_datetime",
    "format_million",
    "format_money",
    "format_number",
    "format_percent",
    "long_date",
    "number_to_words",
    "place_date_line",
    "share",
]

# Fixed rather than the request's active zone: a document must not change with who renders it.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

EMPTY_SHARE = "—"

# Enough precision that a percentage is rounded once (by quantize), not twice.
_CONTEXT = decimal.Context(prec=60, rounding=ROUND_HALF_UP)

_MILLION = Decimal(1_000_000)


# --- numbers ---------------------------------------------------------------------------------


def _to_decimal(value) -> Decimal:
    if isinstance(value, bool):  # bool is an int; formatting True as "1" would hide a bug
        raise TypeError("expected a number, got bool")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, Integral):
        result = Decimal(int(value))
    elif isinstance(value, float):
        # Via str so that 2.675 rounds like the 2.675 the user sees, not its binary neighbour.
        result = Decimal(repr(value))
    else:
        raise TypeError(f"expected int, float or Decimal, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"cannot format {value!r}")
    return result


def _render(number: Decimal) -> str:
    if number.is_zero():
        number = abs(number)  # no "-0,00" after rounding a tiny negative
    # Python groups with "," and marks decimals with "."; Vietnamese swaps the two.
    return format(number, ",f").translate(str.maketrans(",.", ".,"))


def _round(number: Decimal, decimals: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_CONTEXT)


def format_number(value, decimals: int = 0) -> str:
    """`1234567` → "1.234.567"; `format_number(1234.5, 2)` → "1.234,50". None → ""."""
    if value is None:
        return ""
    return _render(_round(_to_decimal(value), decimals))


def format_percent(value, decimals: int = 2) -> str:
    """A value already in percent: `57.4` → "57,40%". None → ""."""
    if value is None:
        return ""
    return format_number(value, decimals) + "%"


def share(part, whole, decimals: int = 2) -> str:
    """part/whole as a percentage: `share(3, 54)` → "5,56%"; a zero whole → "—"."""
    if part is None or whole is None:
        return ""
    whole_d = _to_decimal(whole)
    if whole_d.is_zero():
        return EMPTY_SHARE
    ratio = _CONTEXT.divide(_CONTEXT.multiply(_to_decimal(part), Decimal(100)), whole_d)
    return format_percent(ratio, decimals)


# --- dates -----------------------------------------------------------------------------------


def _local(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value, VN_TZ)
    return value  # naive datetimes are taken to be local already


def format_date(value: datetime.date | None) -> str:
    """`date(2021, 10, 6)` → "06/10/2021"; aware datetimes are shown in Vietnamese time."""
    if value is None:
        return ""
    value = _local(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: datetime.date | None) -> str:
    """Time first, as Vietnamese notices write it: "14:05 06/10/2021". A plain date gives the date."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        return format_date(value)
    value = _local(value)
    return f"{value.hour:02d}:{value.minute:02d} {format_date(value)}"


def long_date(value: datetime.date | None) -> str:
    """The date in words-and-numbers form: "ngày 06 tháng 10 năm 2021".

    Decree 30/2020 (Appendix I) pads days below 10 and months 1 and 2 only ("ngày 05 tháng 01",
    "tháng 3"), so that a handwritten digit cannot be added in front of the printed one.
    """
    if value is None:
        return ""
    value = _local(value)
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def place_date_line(place: str, value: datetime.date | None) -> str:
    """The place-and-date line of an administrative document: "Đắk Lắk, ngày 06 tháng 10 năm 2021"."""
    if value is None:
        return place or ""
    date_text = long_date(value)
    return f"{place}, {date_text}" if place else date_text


# --- money -----------------------------------------------------------------------------------


def format_money(value) -> str:
    """`267_000_000` → "267.000.000 đồng" (the đồng has no subunit, so no decimals)."""
    if value is None:
        return ""
    return f"{format_number(value)} đồng"


def format_million(value_in_dong) -> str:
    """Budget tables count in millions: 405_000_000 → "405 triệu đồng", 117_500_000 → "117,5 triệu đồng"."""
    if value_in_dong is None:
        return ""
    millions = _CONTEXT.divide(_to_decimal(value_in_dong), _MILLION)
    if millions == millions.to_integral_value():
        millions = millions.quantize(Decimal(1))
    else:
        millions = millions.normalize(_CONTEXT)  # exact value, without trailing zeros
    return f"{_render(millions)} triệu đồng"


# --- amounts in words ------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_UNITS = ("", "nghìn", "triệu")  # above that, whole blocks of "tỷ" (see _words)
_BILLION = 10**9


def _triple(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 1000. `full`: a group after a higher one, which must say its hundreds."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            # "lẻ" marks the missing tens after hundreds: 105 "một trăm lẻ năm" (the plan's usage).
            words += ["lẻ", _DIGITS[units]] if words else [_DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])  # 11 "mười một", never "mốt"
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append("tư")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _below_billion(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 10**9; zero groups are skipped, later groups say "không trăm"."""
    groups = [(n // 1000**i) % 1000 for i in range(len(_GROUP_UNITS))]
    words: list[str] = []
    for index in reversed(range(len(groups))):
        group = groups[index]
        if not group:
            continue
        words += _triple(group, full=full or bool(words))
        if _GROUP_UNITS[index]:
            words.append(_GROUP_UNITS[index])
    return words


def _words(n: int) -> list[str]:
    # Vietnamese counts above a billion in billions ("hai nghìn tỷ", "một triệu tỷ"), so recurse on
    # the number of billions rather than naming ever larger groups.
    high, low = divmod(n, _BILLION)
    words: list[str] = []
    if high:
        words += _words(high) + ["tỷ"]
    if low:
        words += _below_billion(low, full=bool(words))
    return words


def _as_int(n) -> int:
    # Money columns are Decimal; an integral Decimal is an integer amount. Floats are refused
    # because a binary fraction should never become words on an official document.
    if isinstance(n, Integral) and not isinstance(n, bool):
        return int(n)
    if isinstance(n, Decimal) and n.is_finite() and n == n.to_integral_value():
        return int(n)
    raise ValueError(f"number_to_words needs an integer, got {n!r}")


def number_to_words(n: int) -> str:
    """Lowercase Vietnamese words: 21 → "hai mươi mốt", 1_005 → "một nghìn không trăm lẻ năm"."""
    n = _as_int(n)
    if n < 0:
        return "âm " + number_to_words(-n)
    if n == 0:
        return _DIGITS[0]
    return " ".join(_words(n))


def amount_in_words(n: int, unit: str = "đồng") -> str:
    """The "Bằng chữ" line: 405_000_000 → "Bốn trăm lẻ năm triệu đồng"."""
    words = number_to_words(n)
    text = f"{words} {unit}" if unit else words
    return text[0].upper() + text[1:]
