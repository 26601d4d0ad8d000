"""The history timeline every detail page shows: who, when, what changed, in Vietnamese.

It reads an object's audit events (`apps.audit.selectors.timeline(obj)`) and/or its status-history
rows (`core.workflow.models.HistoryEntry`) and turns them into `Entry`s:

* when — dd/mm/yyyy HH:MM, Vietnamese time;
* who — the person's full name and, where a lower layer knows it, their position and unit
  (`register_actor_details`: organizations registers memberships), "Hệ thống" for scheduled work;
* what — the move's label (the transition's button label, `core.events.verb_label`), then each
  changed field as "<verbose name>: <old> → <new>" with choice labels, Có/Không, Vietnamese dates
  and numbers and the related object's name; JSON is read as key: value text. Internal fields
  (reverse relations, ids, counters without a human label, timestamps kept by Django) are left out.
  django-auditlog's field diff saved by the same step is folded into the business event it belongs
  to, so one move is one entry.

core sits below audit (DESIGN.md layers): events are read by duck typing, never imported.
Loading costs a fixed number of queries whatever the number of rows: actors come with the events
(`select_related`), related objects and actors' units are loaded once per page, by model.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.core import events as core_events
from apps.core import readable

# A field diff and the business event of the same step are at most this far apart.
_SAME_STEP = dt.timedelta(seconds=5)


@dataclass(frozen=True)
class Change:
    label: str
    old: str  # "" when the field had no value
    new: str  # "" when the value was removed


@dataclass
class Entry:
    at: dt.datetime
    title: str
    actor: str
    actor_detail: str = ""
    note: str = ""
    changes: list[Change] = field(default_factory=list)
    initial: list[Change] = field(default_factory=list)  # a new record's first values

    @property
    def when(self) -> str:
        return readable.format_moment(self.at)


# --- who ----------------------------------------------------------------------------------------

ActorDetails = Callable[[list], dict]
_actor_details: list[ActorDetails] = []


def register_actor_details(func: ActorDetails) -> None:
    """`func(users) -> {user_pk: "Chuyên viên, Phòng Quản lý Công nghệ"}` in one query for all."""
    if func not in _actor_details:
        _actor_details.append(func)


def _details(users: list) -> dict:
    found: dict = {}
    if not users:
        return found
    for func in _actor_details:
        for pk, text in (func(users) or {}).items():
            found.setdefault(pk, text)
    return found


def person_name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or user.get_username()


def _system() -> str:
    return capfirst(_("system"))


# --- what -------------------------------------------------------------------------------------


def _model_of(event):
    ct_id = getattr(event, "content_type_id", None)
    if not ct_id:
        return None
    try:
        return ContentType.objects.get_for_id(ct_id).model_class()
    except ContentType.DoesNotExist:
        return None


def _hidden(model_field) -> bool:
    """Not for readers: reverse relations, keys, Django's own timestamps, unlabelled internals."""
    if model_field is None:
        return False
    if not getattr(model_field, "concrete", False) or getattr(model_field, "many_to_many", False):
        return True
    if getattr(model_field, "primary_key", False):
        return True
    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
        return True
    if isinstance(model_field, models.IntegerField) and model_field.name.endswith("_id"):
        return True  # another module's row by number (a procedure version): its name is shown apart
    # A field nobody gave a label to is plumbing (a version counter, a snapshot, a search text),
    # except a status with choices (its label comes from the translation of its name).
    return getattr(model_field, "_verbose_name", None) is None and not model_field.choices


def _pair(value):
    """A recorded change as (old, new, is_pair): [old, new] from a diff or a move, else a value."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1], True
    return None, value, False


@dataclass
class _Raw:
    at: dt.datetime
    title: str
    actor: object
    actor_repr: str
    note: str
    model: type[models.Model] | None
    changes: dict = field(default_factory=dict)
    initial: dict = field(default_factory=dict)
    ready: list = field(default_factory=list)  # changes already in words (status-history rows)


def _is_diff(event) -> bool:
    return event.verb in ("fields_created", "fields_updated")


def _same_step(diff, event) -> bool:
    return (
        diff.content_type_id == event.content_type_id
        and str(diff.object_id) == str(event.object_id)
        and (diff.request_id or "") == (event.request_id or "")
        and diff.actor_id in (None, event.actor_id)
        and abs(event.at - diff.at) <= _SAME_STEP
    )


def _raw_from(event, model, diffs=()) -> _Raw:
    raw = _Raw(
        at=event.at,
        title=_title(event.verb),
        actor=event.actor if event.actor_id else None,
        actor_repr=event.actor_repr,
        note=event.note or "",
        model=model,
    )
    for diff in (*diffs, event):
        created = diff.verb == "fields_created"
        for key, value in (diff.changes or {}).items():
            old, new, _is_pair = _pair(value)
            if created and readable.is_empty(old):
                raw.initial[key] = new
            else:
                raw.initial.pop(key, None)
                raw.changes[key] = (old, new)
    if raw.note and raw.note in _spellings(event.verb):
        raw.note = ""  # a move without a note records its own label (in the language of the day)
    return raw


def _spellings(verb: str) -> set[str]:
    from django.conf import settings
    from django.utils import translation

    label = core_events._labels.get(verb)
    if label is None:
        return set()
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(str(label))
    return found


def _title(verb: str) -> str:
    label = str(core_events.verb_label(verb))
    return label if label != verb else capfirst(verb.replace("_", " "))


def _from_events(events) -> list[_Raw]:
    rows: list[_Raw] = []
    pending: list = []

    def flush():
        for diff in pending:
            rows.append(_raw_from(diff, _model_of(diff)))
        pending.clear()

    for event in events:
        if _is_diff(event):
            pending.append(event)
            continue
        mine = [d for d in pending if _same_step(d, event)]
        pending[:] = [d for d in pending if d not in mine]
        flush()
        rows.append(_raw_from(event, _model_of(event), mine))
    flush()
    return rows


def _machine_of_history(row):
    from apps.core.workflow import machines

    for machine in machines():
        if machine.history is type(row):
            return machine
    return None


def _from_history(history) -> list[_Raw]:
    rows = list(history)
    if not rows:
        return []
    # The actor, unless the caller loaded it: one query for all rows, never one per row.
    actor_field = type(rows[0])._meta.get_field("actor")
    missing = {r.actor_id for r in rows if r.actor_id and not actor_field.is_cached(r)}
    users = get_user_model()._base_manager.in_bulk(missing) if missing else {}
    out = []
    for row in rows:
        machine = _machine_of_history(row)
        actor = users.get(row.actor_id) if row.actor_id in users else (row.actor if row.actor_id else None)
        if machine is not None and row.action in machine.transitions:
            title = str(machine.transitions[row.action].label)
        elif row.action == "create":
            created = f"{machine.name}_created" if machine is not None else ""
            title = _title(created) if created in core_events._labels else _("Record created")
        else:
            verb = f"{machine.name}_{row.action}" if machine is not None else row.action
            title = _title(verb) if verb in core_events._labels else readable.humanize_key(row.action)
        raw = _Raw(
            at=row.at,
            title=title,
            actor=actor,
            actor_repr=getattr(row, "actor_name", "") or "",
            note=row.note or "",
            model=machine.model if machine else None,
        )
        if machine is not None:
            label = readable.field_label(machine.model, machine.field)[1]
            states = {str(k): str(v) for k, v in machine.states}
        else:
            label = capfirst(_("status"))
            states = {str(k): str(v) for k, v in type(row)._meta.get_field("to_state").flatchoices}
        old, new = (states.get(v, v) if v else "" for v in (row.from_state, row.to_state))
        if old != new:
            raw.ready.append(Change(label, old, new))
        out.append(raw)
    return out


def _related_names(raws: list[_Raw]) -> dict:
    """{(model, str(pk)): name} for every related object the changes name: one query per model."""
    wanted: dict = defaultdict(set)
    for raw in raws:
        for key, (old, new) in [*raw.changes.items(), *((k, (None, v)) for k, v in raw.initial.items())]:
            model_field, _label = readable.field_label(raw.model, key)
            if model_field is None or _hidden(model_field) or not model_field.is_relation:
                continue
            for value in (old, new):
                if not readable.is_empty(value) and not isinstance(value, list | dict):
                    wanted[model_field.related_model].add(str(value))
    names = {}
    user_model = get_user_model()
    for model, pks in wanted.items():
        try:
            objects = list(model._base_manager.filter(pk__in=pks))
        except (ValueError, TypeError, ValidationError):
            continue
        for obj in objects:
            text = person_name(obj) if model is user_model else str(obj)
            names[(model, str(obj.pk))] = text
    return names


def _changes(raw: _Raw, items: dict, related: dict, *, initial: bool) -> list[Change]:
    out = []
    for key, value in items.items():
        model_field, label = readable.field_label(raw.model, key)
        if _hidden(model_field):
            continue
        old, new = (None, value) if initial else value
        old_text = readable.field_value(model_field, old, related)
        new_text = readable.field_value(model_field, new, related)
        if not old_text and not new_text:
            continue
        if old_text == new_text:
            continue  # a value saved again unchanged ("0.50" → "0.5"), or a move within a state
        out.append(Change(label, old_text, new_text))
    return out


def timeline(events: Iterable = (), history: Iterable = ()) -> list[Entry]:
    """Readable entries, oldest first, from audit events (oldest first) and/or history rows."""
    raws = [*_from_events(events), *_from_history(history)]
    raws.sort(key=lambda r: r.at)
    related = _related_names(raws)
    people = {r.actor.pk: r.actor for r in raws if r.actor is not None}
    details = _details(list(people.values()))
    entries = []
    for raw in raws:
        changes = raw.ready + _changes(raw, raw.changes, related, initial=False)
        note = raw.note
        if note and any(note == c.new for c in changes):
            note = ""  # the note only repeats a value the entry already shows (a dossier's code)
        entries.append(
            Entry(
                at=raw.at,
                title=raw.title,
                actor=person_name(raw.actor) or raw.actor_repr or _system(),
                actor_detail=details.get(raw.actor.pk, "") if raw.actor is not None else "",
                note=note,
                changes=changes,
                initial=_changes(raw, raw.initial, related, initial=True),
            )
        )
    return entries
