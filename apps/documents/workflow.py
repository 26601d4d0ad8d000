"""The state machines of the document registers (DESIGN.md: one engine, one table per entity).

Incoming documents follow the arrival → leader → unit → handler chain of Decree 30/2020, Appendix
IV; outgoing ones the draft → review → number → sign → issue chain. The services check scope (which
register, which unit, which reviewer is next); the tables decide which roles may take each move.
"""

from django.utils.translation import gettext_lazy as _

from apps.core import workflow
from apps.core.workflow import Transition as T
from apps.organizations.roles import Role
from apps.organizations.selectors import roles_of

from . import models as m

IN, OUT = m.IncomingStatus, m.OutgoingStatus
ADMIN = Role.ADMINISTRATOR


def _roles(actor, doc) -> set[str]:
    return roles_of(actor)


INCOMING = workflow.Machine(
    "incoming",
    m.IncomingDocument,
    [
        T(
            "submit",
            _("Submit to the leader"),
            {IN.REGISTERED},
            IN.SUBMITTED,
            {Role.CLERK, ADMIN},
            "incoming_submitted",
        ),
        T(
            "assign",
            _("Assign to a lead unit"),
            {IN.REGISTERED, IN.SUBMITTED},
            IN.ASSIGNED,
            {Role.LEADER, ADMIN},
            "incoming_assigned",
        ),
        T(
            "file",
            _("File for reference"),
            {IN.REGISTERED},
            IN.FILED,
            {Role.CLERK, Role.LEADER, ADMIN},
            "incoming_filed",
        ),
        # once before the leader, only the leader decides that it needs no handling
        T(
            "file_submitted",
            _("File for reference"),
            {IN.SUBMITTED},
            IN.FILED,
            {Role.LEADER, ADMIN},
            "incoming_filed",
        ),
        T(
            "assign_handler",
            _("Assign a handler"),
            {IN.ASSIGNED},
            IN.IN_PROGRESS,
            {Role.UNIT_HEAD, Role.LEADER, ADMIN},
            "incoming_handler_assigned",
        ),
        # a specialist completes only what they were given (the service checks the handler)
        T(
            "complete",
            _("Complete"),
            {IN.ASSIGNED, IN.IN_PROGRESS},
            IN.COMPLETED,
            {Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, ADMIN},
            "incoming_completed",
        ),
        # issuing the outgoing reply completes the document it answers, by the clerk who issues it
        T(
            "answer",
            _("Completed by the issued reply"),
            {IN.IN_PROGRESS},
            IN.COMPLETED,
            {Role.CLERK, ADMIN},
            "incoming_completed",
        ),
        # B6: the sender's recall cancels the delivered copy, whatever its status
        T(
            "recall",
            _("Cancel (recalled by the sender)"),
            set(IN) - {IN.RECALLED},
            IN.RECALLED,
            {Role.CLERK, Role.LEADER, ADMIN},
            "incoming_recalled",
        ),
    ],
    initial={IN.REGISTERED},
    terminal={IN.COMPLETED, IN.FILED, IN.RECALLED},
    history=m.IncomingStatusChange,
    history_fk="document",
    roles_of=_roles,
)

REVIEWERS = {Role.UNIT_HEAD, Role.LEADER, ADMIN}
OUTGOING = workflow.Machine(
    "outgoing",
    m.OutgoingDocument,
    [
        T(
            "submit",
            _("Submit for review"),
            {OUT.DRAFT},
            OUT.IN_REVIEW,
            {Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.CLERK, ADMIN},
            "outgoing_submitted",
        ),
        T("return", _("Return with comments"), {OUT.IN_REVIEW}, OUT.DRAFT, REVIEWERS, "outgoing_returned"),
        T("approve", _("Approve"), {OUT.IN_REVIEW}, OUT.APPROVED, REVIEWERS, "outgoing_approved"),
        T(
            "number",
            _("Give a number"),
            {OUT.APPROVED},
            OUT.NUMBERED,
            {Role.CLERK, ADMIN},
            "outgoing_numbered",
        ),
        # a personal signature: an administrator role alone does not sign
        T("sign", _("Sign"), {OUT.NUMBERED}, OUT.SIGNED, {Role.LEADER, Role.UNIT_HEAD}, "outgoing_signed"),
        T("issue", _("Issue"), {OUT.SIGNED}, OUT.ISSUED, {Role.CLERK, ADMIN}, "outgoing_issued"),
        T(
            "recall",
            _("Recall"),
            {OUT.ISSUED},
            OUT.RECALLED,
            {Role.CLERK, Role.LEADER, ADMIN},
            "outgoing_recalled",
        ),
    ],
    initial={OUT.DRAFT},
    terminal={OUT.RECALLED},
    history=m.OutgoingStatusChange,
    history_fk="document",
    roles_of=_roles,
)
