"""Every view and endpoint, for every role: 200/302 where allowed, 403 for a page the role may
not use, 404 for an object outside the role's scope."""

import pytest
from django.urls import reverse

from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db

MANAGERS = {Role.IT_OFFICER, Role.ADMINISTRATOR}
VIEWERS = MANAGERS | {Role.LEADER, Role.UNIT_HEAD}
STAFF = set(Role) - {Role.CITIZEN}


@pytest.fixture
def world(tree, make_user):
    other = make_user(Role.SPECIALIST, username="nguoi-khac")
    a = factories.asset(tree["tech"])
    i = factories.incident(tree["tech"], other)
    s = factories.system(tree["tech"], proposed_level=2)
    outside = factories.asset(tree["other_unit"], code="MT-NGOAI")
    task = factories.remediation(s)
    return {"asset": a, "incident": i, "system": s, "outside": outside, "task": task}


def _pages(w):
    a, i, s = w["asset"].pk, w["incident"].pk, w["system"].pk
    # (method, url, who may use it, other staff get 404 because they see only their own objects)
    return [
        ("get", reverse("itsec:index"), STAFF, False),
        ("get", reverse("itsec:asset_list"), STAFF, False),
        ("get", reverse("itsec:asset_list") + "?export=xlsx", STAFF, False),
        ("get", reverse("itsec:asset_create"), MANAGERS, False),
        ("get", reverse("itsec:asset_detail", args=[a]), VIEWERS, True),
        ("get", reverse("itsec:asset_edit", args=[a]), MANAGERS, False),
        ("post", reverse("itsec:asset_transition", args=[a]), MANAGERS, False),
        ("post", reverse("itsec:asset_service", args=[a]), MANAGERS, False),
        ("post", reverse("itsec:asset_bulk_edit"), MANAGERS, False),
        ("get", reverse("itsec:import_start"), MANAGERS, False),
        ("get", reverse("itsec:incident_list"), STAFF, False),
        ("get", reverse("itsec:incident_list") + "?export=xlsx", STAFF, False),
        ("get", reverse("itsec:incident_create"), STAFF, False),
        ("get", reverse("itsec:incident_stats"), VIEWERS, False),
        ("get", reverse("itsec:incident_detail", args=[i]), VIEWERS, True),
        ("post", reverse("itsec:incident_triage", args=[i]), MANAGERS, False),
        ("post", reverse("itsec:incident_step", args=[i]), MANAGERS, False),
        ("post", reverse("itsec:incident_close", args=[i]), MANAGERS, False),
        ("post", reverse("itsec:incident_reject", args=[i]), MANAGERS, False),
        ("get", reverse("itsec:incident_report_pdf", args=[i]), MANAGERS, False),
        ("get", reverse("itsec:system_list"), VIEWERS, False),
        ("get", reverse("itsec:system_create"), MANAGERS, False),
        ("get", reverse("itsec:system_detail", args=[s]), VIEWERS, False),
        ("get", reverse("itsec:system_edit", args=[s]), MANAGERS, False),
        ("post", reverse("itsec:system_classify", args=[s]), MANAGERS, False),
        ("post", reverse("itsec:system_level", args=[s, "submitted"]), MANAGERS, False),
        ("get", reverse("itsec:system_dossier", args=[s]), MANAGERS, False),
        ("get", reverse("itsec:system_assess", args=[s]), MANAGERS, False),
        ("post", reverse("itsec:remediation_done", args=[w["task"].pk]), MANAGERS, False),
        ("get", reverse("itsec:units"), MANAGERS, False),
        ("get", reverse("itsec:training"), VIEWERS, False),
    ]


def _expected(role, allowed_roles, staff_see_own):
    if role in allowed_roles:
        return {200, 302}
    if staff_see_own and role in STAFF:
        return {404}  # staff may open these pages, but this object is neither theirs nor assigned
    return {403}


@pytest.mark.parametrize("role", list(Role))
def test_permission_matrix(client, make_user, world, role):
    user = make_user(role, username=f"p-{role}")
    c = verified_client(client, user)
    for method, url, allowed, own in _pages(world):
        response = getattr(c, method)(url)
        assert response.status_code in _expected(role, allowed, own), (
            role,
            method,
            url,
            response.status_code,
        )


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.CLERK, Role.EDITOR, Role.ONE_STOP_OFFICER])
def test_plain_staff_see_only_their_own(client, make_user, tree, world, role):
    user = make_user(role, username=f"own-{role}")
    mine = factories.asset(tree["tech"], code="MT-CUA-TOI", assigned_to=user)
    my_incident = factories.incident(tree["tech"], user, code="SC-T-2")
    c = verified_client(client, user)
    assert c.get(reverse("itsec:asset_detail", args=[mine.pk])).status_code == 200
    assert c.get(reverse("itsec:asset_detail", args=[world["asset"].pk])).status_code == 404
    assert c.get(reverse("itsec:incident_detail", args=[my_incident.pk])).status_code == 200
    assert c.get(reverse("itsec:incident_detail", args=[world["incident"].pk])).status_code == 404
    listing = c.get(reverse("itsec:asset_list")).content.decode()
    assert "MT-CUA-TOI" in listing and "MT-T1" not in listing


@pytest.mark.parametrize("role", [Role.IT_OFFICER, Role.LEADER])
def test_other_agencies_are_out_of_reach(client, make_user, world, role):
    c = verified_client(client, make_user(role, username=f"far-{role}"))
    assert c.get(reverse("itsec:asset_detail", args=[world["outside"].pk])).status_code == 404
    assert "MT-NGOAI" not in c.get(reverse("itsec:asset_list")).content.decode()


def test_leader_views_but_cannot_change(client, make_user, world):
    c = verified_client(client, make_user(Role.LEADER, username="ld"))
    page = c.get(reverse("itsec:asset_detail", args=[world["asset"].pk])).content.decode()
    assert reverse("itsec:asset_edit", args=[world["asset"].pk]) not in page
    assert (
        c.post(
            reverse("itsec:asset_transition", args=[world["asset"].pk]), {"to_status": "broken"}
        ).status_code
        == 403
    )


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(reverse("itsec:asset_list"))
    assert response.status_code == 302
