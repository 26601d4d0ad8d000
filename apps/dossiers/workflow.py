"""The dossier state machine: the one transition table (legal-rules A1).

Each action lists the states it may start from, the state it leads to (None: stays) and the roles
that may take it. `services.apply()` is the only code that changes `Dossier.state`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.organizations.roles import Role

from .models import State

S = State
DESK = frozenset({Role.ONE_STOP_OFFICER, Role.ADMINISTRATOR})
APPLICANT = "applicant"  # the dossier's own applicant (account or verified contact)


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: frozenset[str]
    target: str | None  # None: the state does not change (assignment, extension)
    roles: frozenset[str]


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", _("Submit"), frozenset({S.DRAFT}), S.SUBMITTED, frozenset({APPLICANT}) | DESK),
        Transition("receive", _("Receive (form 01)"), frozenset({S.SUBMITTED}), S.RECEIVED, DESK),
        Transition(
            "request_supplement",
            _("Request a supplement (form 02)"),
            frozenset({S.SUBMITTED, S.IN_PROCESS}),
            S.SUPPLEMENT_REQUESTED,
            DESK | {Role.SPECIALIST, Role.UNIT_HEAD},
        ),
        Transition(
            "supplement",
            _("Supplement provided"),
            frozenset({S.SUPPLEMENT_REQUESTED}),
            None,  # back to where it came from: submitted or in process
            frozenset({APPLICANT}) | DESK,
        ),
        Transition("refuse", _("Refuse (form 03)"), frozenset({S.SUBMITTED}), S.REFUSED, DESK),
        Transition(
            "transfer", _("Transfer to the competent unit"), frozenset({S.RECEIVED}), S.IN_PROCESS, DESK
        ),
        Transition(
            "assign",
            _("Assign"),
            frozenset({S.IN_PROCESS}),
            None,
            frozenset({Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR}),
        ),
        Transition(
            "propose",
            _("Submit for approval"),
            frozenset({S.IN_PROCESS}),
            S.REVIEW,
            frozenset({Role.SPECIALIST, Role.UNIT_HEAD, Role.ADMINISTRATOR}),
        ),
        Transition(
            "send_back",
            _("Send back for rework"),
            frozenset({S.REVIEW}),
            S.IN_PROCESS,
            frozenset({Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR}),
        ),
        Transition(
            "approve",
            _("Approve"),
            frozenset({S.REVIEW}),
            S.APPROVED,
            frozenset({Role.LEADER, Role.ADMINISTRATOR}),
        ),
        Transition(
            "issue_result",
            _("Issue the result"),
            frozenset({S.APPROVED}),
            S.RESULT_READY,
            frozenset({Role.SPECIALIST, Role.CLERK, Role.LEADER, Role.ADMINISTRATOR}),
        ),
        Transition("return_result", _("Return the result"), frozenset({S.RESULT_READY}), S.RETURNED, DESK),
        Transition("close", _("Close"), frozenset({S.RETURNED}), S.CLOSED, DESK),
        Transition(
            "extend",
            _("Apologise and extend (form 04)"),
            frozenset({S.RECEIVED, S.IN_PROCESS, S.REVIEW, S.APPROVED}),
            None,
            frozenset({Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR}),
        ),
        Transition(
            "stop",
            _("Stop at the applicant's request (form 05)"),
            frozenset({S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.RECEIVED, S.IN_PROCESS, S.REVIEW}),
            S.WITHDRAWN,
            DESK,
        ),
        Transition(
            "not_eligible",
            _("Not eligible"),
            frozenset({S.IN_PROCESS, S.REVIEW}),
            S.NOT_ELIGIBLE,
            frozenset({Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR}),
        ),
    ]
}

TERMINAL = frozenset({S.REFUSED, S.CLOSED, S.WITHDRAWN, S.NOT_ELIGIBLE})
# States in which the processing clock runs (form 04 may be issued; overdue lists).
CLOCK_RUNNING = frozenset({S.RECEIVED, S.IN_PROCESS, S.REVIEW, S.APPROVED})


class TransitionError(Exception):
    """A refused transition; `str()` is a message for the user."""


def check(action: str, state: str) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Unknown action."))
    if state not in transition.sources:
        raise TransitionError(
            _("“%(action)s” is not possible while the dossier is “%(state)s”.")
            % {"action": transition.label, "state": State(state).label}
        )
    return transition


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
