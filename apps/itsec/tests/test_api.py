"""API: assets, systems and incidents, scoped per caller (object level: outside scope is 404)."""

import pytest

from apps.accounts.models import ApiClient
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db


def token_for(org, scopes):
    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name="Hệ thống giám sát", organization=org, scopes=scopes, token_prefix=prefix, token_hash=digest
    )
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


@pytest.fixture
def world(make_user, tree):
    specialist = make_user(Role.SPECIALIST, username="cv")
    it = make_user(Role.IT_OFFICER, username="it")
    mine = factories.asset(tree["tech"], code="MT-CV", assigned_to=specialist)
    office = factories.asset(tree["office"], code="MT-VP")
    other = factories.asset(tree["other_unit"], code="MT-YT")
    incident = factories.incident(tree["tech"], specialist, code="SC-1")
    incident.assets.add(mine)
    other_reporter = make_user(Role.SPECIALIST, username="cv-yt", unit="other_unit")
    other_incident = factories.incident(tree["other_unit"], other_reporter, code="SC-YT")
    system = factories.system(tree["agency"])
    other_system = factories.system(tree["other_agency"], name="HIS Sở Y tế")
    return locals()


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(r.get("code") or r.get("name") for r in response.json()["results"])


def test_it_officer_sees_the_agency(client, world):
    c = verified_client(client, world["it"])
    assert codes(c.get("/api/v1/itsec/assets/")) == ["MT-CV", "MT-VP"]
    assert codes(c.get("/api/v1/itsec/assets/", {"q": "MT-V"})) == ["MT-VP"]
    assert c.get("/api/v1/itsec/assets/MT-YT/").status_code == 404
    assert c.get("/api/v1/itsec/assets/MT-CV/").json()["status"] == "in_use"
    assert codes(c.get("/api/v1/itsec/incidents/")) == ["SC-1"]
    assert c.get("/api/v1/itsec/incidents/SC-YT/").status_code == 404
    assert c.get("/api/v1/itsec/incidents/SC-1/").json()["assets"] == ["MT-CV"]
    assert codes(c.get("/api/v1/itsec/systems/")) == ["Cổng thông tin"]
    assert c.get(f"/api/v1/itsec/systems/{world['other_system'].pk}/").status_code == 404


def test_specialist_sees_only_their_own(client, world):
    c = verified_client(client, world["specialist"])
    assert codes(c.get("/api/v1/itsec/assets/")) == ["MT-CV"]
    assert c.get("/api/v1/itsec/assets/MT-VP/").status_code == 404
    assert codes(c.get("/api/v1/itsec/incidents/")) == ["SC-1"]
    assert c.get("/api/v1/itsec/incidents/SC-YT/").status_code == 404
    assert codes(c.get("/api/v1/itsec/systems/")) == []
    assert c.get(f"/api/v1/itsec/systems/{world['system'].pk}/").status_code == 404


def test_tokens_need_the_scope_and_see_their_subtree(client, world, tree):
    agency = token_for(tree["agency"], ["itsec:read"])
    assert codes(client.get("/api/v1/itsec/assets/", **agency)) == ["MT-CV", "MT-VP"]
    assert client.get("/api/v1/itsec/assets/MT-YT/", **agency).status_code == 404
    assert codes(client.get("/api/v1/itsec/incidents/", **agency)) == ["SC-1"]
    assert (
        client.get("/api/v1/itsec/assets/", **token_for(tree["agency"], ["dossiers:read"])).status_code == 403
    )
    assert client.get("/api/v1/itsec/assets/").status_code in (401, 403)


def test_api_is_read_only(client, world):
    c = verified_client(client, world["it"])
    assert c.post("/api/v1/itsec/assets/", {"code": "X"}).status_code in (403, 405)
    assert c.delete("/api/v1/itsec/assets/MT-CV/").status_code in (403, 405)
