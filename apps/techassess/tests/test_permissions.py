"""Every page of the module for every role (enterprise accounts are citizens; officers are specialists
and unit heads of the handling unit)."""

import pytest
from django.urls import reverse

from apps.organizations.roles import Role
from apps.techassess import services
from conftest import verified_client

from .golden import MID_MECHANICAL

pytestmark = pytest.mark.django_db

OFFICERS = {Role.SPECIALIST, Role.UNIT_HEAD, Role.ADMINISTRATOR}
SUPERVISORS = OFFICERS | {Role.LEADER}


@pytest.fixture
def world(methods, users, make_user):
    owner = make_user(Role.CITIZEN, username="chu-dn")
    enterprise = services.register_enterprise(
        actor=owner,
        data={"name": "DN Kiểm thử", "tax_code": "6000000009", "vsic_code": "2592", "commune": "Xã A"},
    )
    survey = services.start_survey(actor=owner, enterprise=enterprise, year=2024)
    survey.answers = dict(MID_MECHANICAL)
    survey.save()
    services.submit(survey, actor=owner)
    result = services.accept(survey, actor=users[Role.SPECIALIST])
    return {"survey": survey, "result": result, "enterprise": enterprise, "methods": methods}


def expected(role, page):
    if page in ("home",):
        return 200 if role in SUPERVISORS | {Role.CITIZEN} else 403
    if page in ("aggregates", "methodologies", "methodology"):
        return 200 if role in SUPERVISORS else 403
    if page == "register":
        return 200 if role in OFFICERS | {Role.CITIZEN} else 403
    if page in ("survey", "result", "pdf", "enterprise"):
        if role == Role.CITIZEN:
            return 404  # another enterprise's records
        return 200 if role in SUPERVISORS else 403
    raise AssertionError(page)


PAGES = [
    "home",
    "aggregates",
    "methodologies",
    "methodology",
    "register",
    "survey",
    "result",
    "pdf",
    "enterprise",
]


def url(page, world):
    return {
        "home": reverse("techassess:home"),
        "aggregates": reverse("techassess:aggregates"),
        "methodologies": reverse("techassess:methodology_list"),
        "methodology": reverse("techassess:methodology_detail", args=[world["methods"]["tt17"].pk]),
        "register": reverse("techassess:enterprise_register"),
        "survey": reverse("techassess:survey_detail", args=[world["survey"].pk]),
        "result": reverse("techassess:result_detail", args=[world["result"].pk]),
        "pdf": reverse("techassess:result_pdf", args=[world["result"].pk]),
        "enterprise": reverse("techassess:enterprise_detail", args=[world["enterprise"].pk]),
    }[page]


@pytest.mark.parametrize("role", list(Role))
def test_page_access_per_role(client, world, users, role):
    c = verified_client(client, users[role])
    got = {page: c.get(url(page, world)).status_code for page in PAGES if page != "pdf"}
    want = {page: expected(role, page) for page in PAGES if page != "pdf"}
    if role == Role.LEADER:
        want["enterprise"] = 200
    assert got == want


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.CLERK, Role.SPECIALIST])
def test_pdf_access(client, world, users, role):
    c = verified_client(client, users[role])
    assert c.get(url("pdf", world)).status_code == expected(role, "pdf")


@pytest.mark.parametrize("role", list(Role))
def test_post_actions_per_role(client, world, users, role):
    """Review, activation and recomputation: who may, and nothing changes for who may not."""
    c = verified_client(client, users[role])
    tt17 = world["methods"]["tt17"]
    response = c.post(reverse("techassess:methodology_activate", args=[tt17.pk]))
    assert response.status_code == (302 if role == Role.ADMINISTRATOR else 403)
    tt17.refresh_from_db()
    assert tt17.status == "draft"  # refused either way: tables missing
    before = world["survey"].results.count()
    response = c.post(reverse("techassess:survey_recompute", args=[world["survey"].pk]))
    if role in SUPERVISORS:
        assert response.status_code == 302 and world["survey"].results.count() == before + 1
    else:
        assert response.status_code in (403, 404) and world["survey"].results.count() == before


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(reverse("techassess:home"))
    assert response.status_code == 302 and "dang-nhap" in response.url


def test_list_queries_are_bounded(client, world, users, django_assert_max_num_queries):
    c = verified_client(client, users[Role.SPECIALIST])
    with django_assert_max_num_queries(30):
        c.get(reverse("techassess:home"))
