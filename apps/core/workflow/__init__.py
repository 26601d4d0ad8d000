"""The one state-machine engine (DESIGN.md: "State machines are explicit, and there is one engine").

Each stateful entity declares one `Machine` of `Transition`s in its app's `workflow.py`, next to its
model; `apply()` is the only code that moves a status. Shaped after the dossier workflow, the best of
the copies it replaces:

    row lock → version check → table check → role check → effect → save → history row
    → audit event (through `core.events`, so core never imports audit) → hooks → on-commit hooks

An effect may raise `TransitionError` to refuse the move; the whole step then rolls back, so no
state, history row or audit event is left half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import events

SYSTEM = "system"  # the role of scheduled work (escalations, reminders): `apply(..., actor=None)`
ANYONE = "anyone"  # the caller has already decided who may act (e.g. the object's owner)


class TransitionError(ValidationError):
    """A refused move; `str()` is a message for the user."""

    def __str__(self) -> str:
        return " ".join(str(m) for m in self.messages)


class StaleVersion(TransitionError):
    """Someone else acted first: the caller's form showed an older version."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any  # a lazy Vietnamese-translatable label: the button and the history line
    sources: frozenset[str]
    target: str | None  # None: the state stays (or the effect sets it, e.g. "back to where it was")
    roles: frozenset[str] = frozenset()
    verb: str = ""  # audit verb; default "<machine>_<action>"

    def __init__(self, action, label, sources, target, roles=(), verb=""):
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "sources", frozenset(sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "roles", frozenset(roles))
        object.__setattr__(self, "verb", verb)


@dataclass
class Step:
    """What an effect and the hooks see of one move; the effect may fill `history` and `changes`."""

    machine: Machine
    transition: Transition
    obj: models.Model
    actor: Any
    note: str
    at: dt.datetime
    from_state: str
    history: models.Model | None
    params: dict[str, Any]
    changes: dict[str, Any] = field(default_factory=dict)
    event: str = ""  # a notification event name an effect may choose for the hooks


Effect = Callable[[models.Model, Step], Any]


class Machine:
    """The transition table of one model's status field, with its history model and hooks.

    roles_of(actor, obj) -> set of role codes the actor holds *for this object* (the app decides:
    organisation roles, "applicant", "assignee"…). Transitions whose roles include ANYONE skip the
    role check: the calling service has checked ownership itself.
    """

    def __init__(
        self,
        name: str,
        model: type[models.Model],
        transitions: Iterable[Transition],
        *,
        field: str = "status",
        initial: Iterable[str] = (),
        terminal: Iterable[str] = (),
        history: type[models.Model] | None = None,
        history_fk: str = "",
        version_field: str | None = None,
        roles_of: Callable[[Any, models.Model], set[str]] | None = None,
        effects: dict[str, Effect] | None = None,
        on_applied: Iterable[Callable[[Step], None]] = (),
        after_commit: Iterable[Callable[[Step], None]] = (),
        noun: Any = None,
        refusal: Any = None,
    ):
        self.name = name
        self.model = model
        self.field = field
        self.transitions = {t.action: t for t in transitions}
        self.initial = frozenset(initial)
        self.terminal = frozenset(terminal)
        self.history = history
        self.history_fk = history_fk
        self.version_field = version_field
        self.roles_of = roles_of
        self.effects = dict(effects or {})
        self.on_applied = list(on_applied)
        self.after_commit = list(after_commit)
        self.noun = noun or model._meta.verbose_name
        # The wording of an illegal move, when the pages of this entity say it their own way;
        # it may name %(action)s, %(noun)s, %(from)s (= %(state)s) and %(to)s.
        self.refusal = refusal
        if history is not None and not history_fk:
            raise ValueError(f"Machine {name}: history_fk names the history row's link to {model.__name__}")
        register(self)
        # The audit timeline names each move by its button label.
        events.register_labels({t.verb or f"{name}_{t.action}": t.label for t in self.transitions.values()})

    # ----------------------------------------------------------------- reading the table
    @property
    def states(self) -> list[tuple[str, Any]]:
        return list(self.model._meta.get_field(self.field).choices or [])

    def state_label(self, state: str) -> str:
        return str(dict(self.states).get(state, state))

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def action_to(self, target: str) -> str:
        """The action that leads to `target`, for forms that let the user pick the new state."""
        actions = [t.action for t in self.transitions.values() if t.target == target]
        if len(actions) != 1:  # none, or ambiguous: the form must post the action itself
            raise TransitionError(_("Unknown action."), code="unknown_action")
        return actions[0]

    def allowed(self, obj, actor) -> list[Transition]:
        """The moves this actor may take now (buttons on a detail page)."""
        state = getattr(obj, self.field)
        return [t for t in self.actions_from(state) if self._may(actor, obj, t)]

    def check(self, action: str, state: str) -> Transition:
        transition = self.transitions.get(action)
        if transition is None:
            raise TransitionError(_("Unknown action."), code="unknown_action")
        if state not in transition.sources:
            message = self.refusal or _("“%(action)s” is not possible while the %(noun)s is “%(state)s”.")
            current = self.state_label(state)
            target = self.state_label(transition.target) if transition.target else current
            raise TransitionError(
                message
                % {
                    "action": transition.label,
                    "noun": self.noun,
                    "state": current,
                    "from": current,
                    "to": target,
                },
                code="illegal",
            )
        return transition

    def _may(self, actor, obj, transition: Transition, vouched: Iterable[str] = ()) -> bool:
        if ANYONE in transition.roles or transition.roles & set(vouched):
            return True
        if actor is None:
            return SYSTEM in transition.roles
        if getattr(actor, "is_superuser", False):
            return True
        if self.roles_of is None:
            return False
        return bool(transition.roles & set(self.roles_of(actor, obj)))

    def __repr__(self) -> str:
        return f"<Machine {self.name}: {self.model.__name__}.{self.field}, {len(self.transitions)} moves>"


_REGISTRY: dict[str, Machine] = {}


def register(machine: Machine) -> None:
    existing = _REGISTRY.get(machine.name)
    if existing is not None and existing.model is not machine.model:
        raise ValueError(f"Two machines named {machine.name}")
    _REGISTRY[machine.name] = machine


def machines() -> list[Machine]:
    return sorted(_REGISTRY.values(), key=lambda m: m.name)


def machine_for(obj_or_model) -> Machine:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    found = [m for m in _REGISTRY.values() if m.model is model or m.model is model._meta.concrete_model]
    if len(found) != 1:
        raise LookupError(f"{model.__name__} has {len(found)} machines; pass machine=")
    return found[0]


def apply(
    obj: models.Model,
    action: str,
    actor=None,
    note: str = "",
    expected_version: int | None = None,
    effect: Effect | None = None,
    *,
    machine: Machine | None = None,
    at: dt.datetime | None = None,
    vouched: Iterable[str] = (),
    assign: dict[str, Any] | None = None,
    **params,
) -> models.Model:
    """Move `obj` by `action`; the move is made on a locked fresh copy of the row, and the caller's
    `obj` is brought up to date from it (its fields; cached relations reload) and returned.

    Raises TransitionError (illegal move, stale version, or an effect's refusal) and PermissionDenied.
    `effect` runs after the machine's own effect for this action; both may raise TransitionError.
    `assign`: fields set on the locked row in the same step, after the machine's effect.
    `vouched`: roles the calling service has itself verified the actor holds for this move (e.g. a
    dossier's applicant proven by a code sent to their contact, who may have no account).
    `params` reach the effects as `step.params`.
    """
    machine = machine or machine_for(obj)
    at = at or timezone.now()
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if (
            machine.version_field
            and expected_version not in (None, "")
            and getattr(locked, machine.version_field) != int(expected_version)
        ):
            raise StaleVersion(
                _("Someone else has already acted on this %(noun)s (it is now “%(state)s”). Reload the page.")
                % {"noun": machine.noun, "state": machine.state_label(getattr(locked, machine.field))},
                code="stale",
            )
        from_state = getattr(locked, machine.field)
        transition = machine.check(action, from_state)
        if not machine._may(actor, locked, transition, vouched):
            raise PermissionDenied(_("You may not take this action."))
        history = None
        if machine.history is not None:
            history = machine.history(
                **{machine.history_fk: locked},
                action=action,
                from_state=from_state,
                to_state=transition.target or from_state,
                actor=actor if getattr(actor, "pk", None) else None,
                at=at,
                note=note,
            )
        step = Step(machine, transition, locked, actor, note, at, from_state, history, params)
        run = machine.effects.get(action)
        if run is not None:
            run(locked, step)
        for name, value in (assign or {}).items():
            setattr(locked, name, value)
        if effect is not None:
            effect(locked, step)
        if transition.target:
            setattr(locked, machine.field, transition.target)
        to_state = getattr(locked, machine.field)
        if machine.version_field:
            setattr(locked, machine.version_field, (getattr(locked, machine.version_field) or 0) + 1)
        locked.save()
        if history is not None:
            history.to_state = to_state
            history.save()
        events.emit(
            transition.verb or f"{machine.name}_{action}",
            locked,
            actor=actor,
            note=note or str(transition.label),
            changes={machine.field: [from_state, to_state], **step.changes},
        )
        for hook in machine.on_applied:
            hook(step)
        for hook in machine.after_commit:
            transaction.on_commit(lambda hook=hook: hook(step))
    if obj is not locked:
        for f in type(locked)._meta.concrete_fields:  # setting an FK id drops a stale cached object
            setattr(obj, f.attname, getattr(locked, f.attname))
    return obj


def create(obj: models.Model, actor=None, note: str = "", *, machine: Machine | None = None, verb: str = ""):
    """Save a new stateful object in its initial state with its first history row and audit event."""
    machine = machine or machine_for(obj)
    state = getattr(obj, machine.field)
    if machine.initial and state not in machine.initial:
        raise TransitionError(
            _("A new %(noun)s cannot start as “%(state)s”.")
            % {"noun": machine.noun, "state": machine.state_label(state)},
            code="illegal_start",
        )
    with transaction.atomic():
        obj.save()
        if machine.history is not None:
            machine.history.objects.create(
                **{machine.history_fk: obj},
                action="create",
                from_state="",
                to_state=state,
                actor=actor if getattr(actor, "pk", None) else None,
                at=timezone.now(),
                note=note,
            )
        events.emit(
            verb or f"{machine.name}_created",
            obj,
            actor=actor,
            note=note,
            changes={machine.field: [None, state]},
        )
    return obj


def reachable(machine: Machine) -> set[str]:
    """States reachable from the initial ones through the table (for the walk-every-machine test)."""
    seen = set(machine.initial)
    frontier = list(seen)
    while frontier:
        state = frontier.pop()
        for t in machine.actions_from(state):
            if t.target and t.target not in seen:
                seen.add(t.target)
                frontier.append(t.target)
    return seen
