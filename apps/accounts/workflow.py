"""The account lifecycle: active ⇄ suspended, either → deactivated (leaving staff), back to active."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import workflow
from apps.core.workflow import Transition, TransitionError
from apps.organizations.roles import Role

from .models import AccountStatus as S
from .models import AccountStatusChange, DeactivationReason, User

MANAGERS = {Role.ADMINISTRATOR}


def _keep_status_on_account(user: User, step) -> None:
    """The account list, the account report and the indicators read the latest date, reason and note."""
    target = step.transition.target
    if step.actor is not None and step.actor.pk == user.pk and target != S.ACTIVE:
        raise TransitionError(_("You cannot suspend or deactivate your own account."))
    reason = step.params.get("reason") or ""
    if target == S.DEACTIVATED and reason not in DeactivationReason.values:
        raise TransitionError({"reason": [_("Choose a reason for deactivation.")]})
    user.status_changed_on = step.params.get("on_date") or timezone.localdate(step.at)
    user.deactivation_reason = reason if target == S.DEACTIVATED else ""
    user.status_note = step.note
    step.changes["reason"] = reason or None


ACCOUNT = workflow.Machine(
    "account",
    User,
    [  # the audit verbs name the new status, as they always have
        Transition(action, label, sources, target, MANAGERS, verb=f"account_{target}")
        for action, label, sources, target in [
            ("suspend", _("Suspend"), {S.ACTIVE}, S.SUSPENDED),
            ("deactivate", _("Deactivate"), {S.ACTIVE, S.SUSPENDED}, S.DEACTIVATED),
            ("reactivate", _("Reactivate"), {S.SUSPENDED, S.DEACTIVATED}, S.ACTIVE),
        ]
    ],
    initial={S.ACTIVE},
    history=AccountStatusChange,
    history_fk="user",
    roles_of=lambda actor, _user: actor.roles,
    effects=dict.fromkeys(("suspend", "deactivate", "reactivate"), _keep_status_on_account),
)
