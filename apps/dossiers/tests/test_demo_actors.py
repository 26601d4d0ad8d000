"""The seeded demo (the real demo catalogue): every open dossier waits for someone one can sign in as
(issue #18.6) — no dossier is routed to a unit without a demo account."""

import pytest

from apps.dossiers.models import Dossier, State
from apps.dossiers.selectors import user_roles_for
from apps.dossiers.views import _handlers
from apps.dossiers.workflow import DOSSIER, needs_head_review
from apps.organizations.roles import Role

pytestmark = pytest.mark.django_db

# The moves that take a dossier forward (not the refusals, stops, extensions or supplements).
FORWARD = {
    "receive",
    "transfer",
    "assign",
    "propose",
    "propose_to_head",
    "head_submit",
    "approve",
    "issue_result",
    "return_result",
    "close",
    "supplement",
}


@pytest.fixture
def demo(media, settings):
    from apps.accounts.demo import seed_foundation
    from apps.dossiers import seed
    from apps.procedures.demo import seed_procedures

    seed_foundation()
    seed_procedures()
    seed.seed()


def demo_logins():
    """Accounts one can sign in as in the demo, without the administrator (who may do anything)."""
    from apps.accounts.models import User

    return [
        u
        for u in User.objects.filter(is_active=True, is_superuser=False).exclude(
            memberships__role=Role.ADMINISTRATOR
        )
        if u.has_usable_password()
    ]


def forward_moves(user, dossier) -> set[str]:
    roles = user_roles_for(user, dossier)
    moves = {t.action for t in DOSSIER.actions_from(dossier.state) if t.roles & roles} & FORWARD
    if needs_head_review(dossier) and not roles & {Role.UNIT_HEAD}:
        moves.discard("propose")
    return moves


def test_every_open_dossier_of_the_demo_has_someone_to_move_it(demo):
    logins = demo_logins()
    open_dossiers = Dossier.objects.exclude(state__in=[State.DRAFT, *DOSSIER.terminal])
    assert open_dossiers.count() >= 10
    stuck = []
    for dossier in open_dossiers.select_related("handling_unit", "current_handler"):
        movers = {u.username: forward_moves(u, dossier) for u in logins}
        movers = {name: moves for name, moves in movers.items() if moves}
        if dossier.state == State.SUPPLEMENT_REQUESTED:
            continue  # the applicant's turn (the desk may also hand the supplement in)
        if not movers:
            stuck.append((dossier.code, dossier.state, "nobody may move it"))
            continue
        # the assigned handler signs in and works on it
        handler = dossier.current_handler
        if dossier.state == State.IN_PROCESS and handler and handler.username not in movers:
            stuck.append((dossier.code, dossier.state, f"{dossier.current_handler} cannot act"))
        if dossier.handling_unit_id:
            # whoever assigns it has a demo account to choose in the unit that handles it
            choices = {m.user.username for m in _handlers(dossier)}
            if not choices & {u.username for u in logins}:
                stuck.append((dossier.code, dossier.state, f"no demo account in {dossier.handling_unit}"))
        if dossier.state == State.RECEIVED:
            unit = dossier.procedure_snapshot.get("competent_unit_id")
            heads = [u for u in logins if u.memberships.filter(role=Role.UNIT_HEAD, organization_id=unit)]
            if not heads:
                stuck.append((dossier.code, dossier.state, "transferred to a unit without a demo head"))
    assert stuck == []
    assert Dossier.objects.filter(state=State.HEAD_REVIEW).exists()
