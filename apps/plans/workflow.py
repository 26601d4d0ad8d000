"""The plan's and the appendix projects' state machines (moved only by `core.workflow.apply`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Machine, Transition

from .models import Plan, PlanHistory, PlanStatus, Project, ProjectHistory, ProjectStatus
from .selectors import roles_for

P = PlanStatus
S = ProjectStatus

PLANNER, LEADER, ADMIN = "planner", "leader", "administrator"


def _approved_plan_only(project, step):
    from apps.core.workflow import TransitionError

    if project.plan.status != P.APPROVED:
        raise TransitionError(
            _("A project's progress is tracked once its plan is approved."), code="not_approved"
        )


def _freeze(plan, step):
    # Approval fixes Part I: the approved version renders these figures forever after.
    from .figures import compute

    plan.frozen_figures = compute(plan)
    plan.frozen_at = timezone.now()


def _revise(plan, step):
    from .services import copy_as_new_version

    new = copy_as_new_version(plan, step.actor)
    step.changes["new_version"] = [None, new.version]
    step.params["new_plan"] = new


plan_machine = Machine(
    "plan",
    Plan,
    [
        Transition("submit", _("Submit for approval"), [P.DRAFT], P.SUBMITTED, roles=[PLANNER, ADMIN]),
        Transition("approve", _("Approve the plan"), [P.SUBMITTED], P.APPROVED, roles=[LEADER, ADMIN]),
        Transition("send_back", _("Send back for changes"), [P.SUBMITTED], P.DRAFT, roles=[LEADER, ADMIN]),
        Transition(
            "revise", _("Revise (new version)"), [P.APPROVED], P.REVISED, roles=[PLANNER, LEADER, ADMIN]
        ),
    ],
    initial=[P.DRAFT],
    terminal=[P.REVISED],
    history=PlanHistory,
    history_fk="plan",
    version_field="row_version",
    roles_of=lambda user, plan: roles_for(user, plan),
    effects={"approve": _freeze, "revise": _revise},
    noun=_("plan"),
)


project_machine = Machine(
    "plan_project",
    Project,
    [
        Transition(
            "start", _("Start the project"), [S.PLANNED], S.IN_PROGRESS, roles=[PLANNER, LEADER, ADMIN]
        ),
        Transition(
            "complete", _("Mark the project done"), [S.IN_PROGRESS], S.DONE, roles=[PLANNER, LEADER, ADMIN]
        ),
        Transition(
            "cancel", _("Cancel the project"), [S.PLANNED, S.IN_PROGRESS], S.CANCELLED, roles=[LEADER, ADMIN]
        ),
        Transition(
            "reopen", _("Reopen the project"), [S.DONE, S.CANCELLED], S.IN_PROGRESS, roles=[LEADER, ADMIN]
        ),
    ],
    initial=[S.PLANNED],
    history=ProjectHistory,
    history_fk="project",
    version_field="row_version",
    roles_of=lambda user, project: roles_for(user, project.plan),
    effects=dict.fromkeys(["start", "complete", "cancel", "reopen"], _approved_plan_only),
    noun=_("project"),
)
