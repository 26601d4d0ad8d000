"""API: results and aggregates, read-only, scoped like the pages; token clients need techassess:read."""

import pytest

from apps.accounts.models import ApiClient
from apps.organizations.roles import Role
from apps.techassess import services
from apps.techassess.models import Survey
from conftest import verified_client

from .golden import MID_MECHANICAL, WEAK_WOOD

pytestmark = pytest.mark.django_db


def token_for(org, scopes):
    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name="Bộ KH&CN", organization=org, scopes=scopes, token_prefix=prefix, token_hash=digest
    )
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


@pytest.fixture
def results(methods, users, make_user):
    officer = users[Role.SPECIALIST]
    out = []
    for tax_code, vsic, answers, owner in (
        ("6000888001", "2592", MID_MECHANICAL, make_user(Role.CITIZEN, username="dn1")),
        ("6000888002", "1610", WEAK_WOOD, None),
    ):
        enterprise = services.register_enterprise(
            actor=officer,
            data={"name": f"DN {tax_code}", "tax_code": tax_code, "vsic_code": vsic, "commune": "Xã A"},
        )
        enterprise.owner = owner
        enterprise.save()
        survey = services.start_survey(actor=officer, enterprise=enterprise, year=2024)
        survey.answers = dict(answers)
        survey.save()
        services.submit(survey, actor=officer)
        out.append(services.accept(survey, actor=officer))
    return out


def test_token_clients_need_the_scope_and_see_their_subtree(client, results, tree):
    url = "/api/v1/techassess/results/"
    data = client.get(url, **token_for(tree["agency"], ["techassess:read"])).json()
    assert data["count"] == 2
    first = next(r for r in data["results"] if r["tax_code"] == "6000888001")
    assert first["total"] == "60.36" and first["class_code"] == "trung_binh_tien_tien"
    assert first["illustrative"] is True and first["note"].startswith("minh họa")
    assert client.get(url, **token_for(tree["agency"], ["dossiers:read"])).status_code == 403
    assert client.get(url, **token_for(tree["other_agency"], ["techassess:read"])).json()["count"] == 0
    assert client.get(url).status_code in (401, 403)
    detail = client.get(f"{url}{results[0].pk}/", **token_for(tree["agency"], ["techassess:read"])).json()
    assert len(detail["criteria"]) == 26 and detail["criteria"][0]["explanation"]
    other = token_for(tree["other_agency"], ["techassess:read"])
    assert client.get(f"{url}{results[0].pk}/", **other).status_code == 404


def test_people_see_what_the_pages_show(client, results, users):
    owner = results[0].survey.enterprise.owner
    c = verified_client(client, owner)
    data = c.get("/api/v1/techassess/results/").json()
    assert [r["tax_code"] for r in data["results"]] == ["6000888001"]
    assert c.get(f"/api/v1/techassess/results/{results[1].pk}/").status_code == 404
    assert c.get("/api/v1/techassess/aggregates/").status_code == 403
    client.logout()
    c = verified_client(client, users[Role.SPECIALIST])
    assert c.get("/api/v1/techassess/results/?vsic=16").json()["count"] == 1


def test_aggregates_follow_the_methodology_rule(client, results, users, tree):
    c = verified_client(client, users[Role.SPECIALIST])
    data = c.get("/api/v1/techassess/aggregates/?year=2024").json()
    assert data["illustrative"] is True and data["aggregation_method"] == "mean"
    assert data["province"]["count"] == 2
    assert data["province"]["total"] == pytest.approx((60.36 + 10.5) / 2, abs=0.01)
    assert {i["key"] for i in data["industries"]} == {"2592", "1610"}
    token = client.get(
        "/api/v1/techassess/aggregates/", **token_for(tree["agency"], ["techassess:read"])
    ).json()
    assert token["province"]["count"] == 2


def test_integration_clients_submit_surveys_for_review(client, methods, tree):
    headers = token_for(tree["agency"], ["techassess:write"])
    body = {
        "tax_code": "6000888010",
        "name": "Công ty TNHH Chế biến Nông sản Ea Súp",
        "vsic_code": "1079",
        "commune": "Xã Ea Súp",
        "year": 2025,
        "answers": {
            **{k: v for k, v in MID_MECHANICAL.items() if k != "equipment_avg_age"},
            "equipment_list": [
                {"name": "Máy sấy", "year": 2019, "origin": "asia", "quantity": 1, "value": 500}
            ],
        },
    }
    url = "/api/v1/techassess/surveys/"
    assert (
        client.post(
            url, body, content_type="application/json", **token_for(tree["agency"], ["techassess:read"])
        ).status_code
        == 403
    )
    response = client.post(url, body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    survey = Survey.objects.get(pk=response.json()["id"])
    assert survey.status == "submitted" and survey.entered_on_behalf
    assert survey.answers["equipment_list"][0]["origin"] == "asia"
    assert response.json()["illustrative"] is True
    again = client.post(url, body, content_type="application/json", **headers)
    assert again.status_code == 409 and Survey.objects.count() == 1
    bad = {
        **body,
        "tax_code": "123",
        "year": 2026,
        "answers": {**body["answers"], "automation_level": "robot", "robots": 3},
    }
    bad["answers"]["equipment_list"] = [
        {"name": "", "year": 2019, "origin": "asia", "quantity": 1, "value": 500}
    ]
    response = client.post(url, bad, content_type="application/json", **headers)
    assert response.status_code == 400
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["tax_code", "equipment_list!1:name", "automation_level", "robots"]
    assert Survey.objects.count() == 1
