"""Values as a Vietnamese reader expects them: never "None", raw codes, JSON or `\\u` escapes.

Shared by the history timeline (`core.history`) and by pages that show an applicant's answers to a
form schema (`answers`). Pure presentation: a value that cannot be understood is shown as text
rather than raising, so one odd row cannot break a detail page.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.core.formatting import vn

EMPTY = "—"
_MAX = 500  # characters of one value in a timeline: long texts are cut with an ellipsis
_EMPTY_MARKERS = (None, "", "None", "null")


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def is_empty(value) -> bool:
    return value in _EMPTY_MARKERS or value == [] or value == {}


def format_moment(value) -> str:
    """dd/mm/yyyy HH:MM in Vietnamese time; a plain date gives dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, vn.VN_TZ)
        return f"{vn.format_date(value)} {value.hour:02d}:{value.minute:02d}"
    return vn.format_date(value)


def _parse_datetime(value) -> dt.datetime | None:
    """django-auditlog stores a datetime as naive UTC text ("2026-11-19 03:10:00")."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value, *, group: bool = True) -> str:
    """Vietnamese digits with as many decimals as the value has: "1.500.000", "0,5"; a year or a
    register number (`group=False`) keeps its digits together: "2021"."""
    number = _decimal(value)
    if number is None:
        return str(value)
    number = number.normalize()
    decimals = max(0, -number.as_tuple().exponent)
    if not group and decimals == 0:
        return str(int(number))
    return vn.format_number(number, decimals)


def humanize_key(key) -> str:
    """A JSON key or an unknown change key as a label: its translation when there is one."""
    text = str(key).replace("_", " ").strip()
    return capfirst(_(text)) if text else ""


def _cut(text: str) -> str:
    return text if len(text) <= _MAX else text[: _MAX - 1].rstrip() + "…"


def _maybe_json(value):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def plain(value) -> str:
    """Any JSON-like value as readable text: "Key: value; Other key: a, b"; "" when empty."""
    value = _maybe_json(value)
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            text = plain(item)
            if _year_key(key) and isinstance(item, int | float) and not isinstance(item, bool):
                text = format_number(item, group=False)  # "Năm: 2017", not "2.017"
            if text:
                parts.append(f"{humanize_key(key)}: {text}")
        return _cut("; ".join(parts))
    if isinstance(value, list | tuple | set | frozenset):
        return _cut(", ".join(t for t in (plain(v) for v in value) if t))
    return _cut(str(value))


def _year_key(key) -> bool:
    return "year" in str(key).lower().split("_")


def _ungrouped(field: models.Field) -> bool:
    name = field.name.lower()
    return any(word in name for word in ("year", "number", "code", "seq"))


def field_label(model, name: str) -> tuple[models.Field | None, str]:
    """The model field behind a change key and its Vietnamese label (the verbose name)."""
    try:
        field = model._meta.get_field(name) if model is not None else None
    except Exception:  # noqa: BLE001 - FieldDoesNotExist, or a key that is not a field name
        field = None
    if field is None:
        return None, humanize_key(name)
    if not hasattr(field, "verbose_name"):  # a reverse relation: never a value of its own
        return field, humanize_key(name)
    if getattr(field, "_verbose_name", "") is None:  # Django's default: the name, untranslated
        return field, capfirst(_(str(field.verbose_name)))
    return field, capfirst(str(field.verbose_name))


def field_value(field: models.Field | None, value, related: dict | None = None) -> str:
    """One stored value of a model field (as django-auditlog or a business event recorded it) the
    way a reader expects it: choice labels, Có/Không, dd/mm/yyyy, Vietnamese numbers, the related
    object's name (from `related`: {(model, str(pk)): text}, loaded in one query per model)."""
    if is_empty(value):
        return ""
    if field is None:
        return plain(value)
    if getattr(field, "choices", None):
        labels = {str(k): str(v) for k, v in field.flatchoices}
        items = _maybe_json(value)
        if isinstance(items, list):
            return ", ".join(labels.get(str(v), str(v)) for v in items)
        return labels.get(str(value), str(value))
    if isinstance(field, models.BooleanField):
        return yes_no(value in (True, "True", "true", "1", 1))
    if field.is_relation and getattr(field, "related_model", None) is not None:
        key = (field.related_model, str(value))
        if related and key in related:
            return related[key]
        return str(value)
    if isinstance(field, models.DateTimeField):
        moment = _parse_datetime(value)
        return format_moment(moment) if moment else str(value)
    if isinstance(field, models.DateField):
        day = _parse_date(value)
        return vn.format_date(day) if day else str(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        return format_number(value)
    if isinstance(field, models.IntegerField):
        return format_number(value, group=not _ungrouped(field))
    if isinstance(field, models.JSONField):
        return plain(value)
    return plain(value)


# --- an applicant's answers to a form schema ----------------------------------------------------


@dataclass(frozen=True)
class Answer:
    name: str
    label: str
    value: str  # "" when not answered
    url: str = ""  # a file answer's download link
    multiline: bool = False


def _spec(field) -> dict:
    if isinstance(field, dict):
        return field
    return {k: getattr(field, k, None) for k in ("name", "label", "type", "choices")}


def answer_value(kind: str, value, choices=()) -> str:
    if is_empty(value):
        return ""
    if kind in ("boolean", "checkbox", "bool") or isinstance(value, bool):
        return yes_no(value in (True, "True", "true", "1", 1, "on", "yes"))
    if kind == "date":
        day = _parse_date(value)
        return vn.format_date(day) if day else str(value)
    if kind == "datetime":
        moment = _parse_datetime(value)
        return format_moment(moment) if moment else str(value)
    if kind == "number":
        return format_number(value)
    if kind in ("choice", "select", "multiple") and choices:
        labels = {}
        for choice in choices:
            if isinstance(choice, list | tuple) and len(choice) == 2:
                labels[str(choice[0])] = str(choice[1])
        items = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in items)
    return plain(value)


def answers(fields, data) -> list[Answer]:
    """Label–value pairs of the answers `data` gave to the form `fields` (a procedure version's
    form schema: dicts or objects with name, label, type, choices), in the schema's order; answers
    to fields the schema no longer has follow, under their humanised key."""
    data = dict(data or {})
    rows = []
    for raw in fields or ():
        spec = _spec(raw)
        name = spec.get("name")
        if not name:
            continue
        value = data.pop(name, None)
        kind = spec.get("type") or "text"
        url = ""
        if isinstance(value, dict) and value.get("url"):
            url, value = str(value["url"]), value.get("name") or _("File")
        rows.append(
            Answer(
                name,
                str(spec.get("label") or humanize_key(name)),
                answer_value(kind, value, spec.get("choices") or ()),
                url,
                kind == "textarea",
            )
        )
    for name, value in data.items():
        rows.append(Answer(name, humanize_key(name), answer_value("text", value)))
    return rows
