"""API: token scopes, organisation scoping, submission idempotency, staff actions."""

import base64

import pytest

from apps.accounts.models import ApiClient
from apps.dossiers.models import Dossier
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import APPLICANT, pdf_bytes

pytestmark = pytest.mark.django_db


def token_for(org, scopes):
    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name="Cổng DVCQG", organization=org, scopes=scopes, token_prefix=prefix, token_hash=digest
    )
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


def test_status_needs_the_read_scope_and_the_right_organisation(client, submit, tree):
    dossier = submit()
    url = f"/api/v1/dossiers/{dossier.code}/"
    assert client.get(url, **token_for(tree["agency"], ["dossiers:read"])).json()["state"] == "submitted"
    assert client.get(url, **token_for(tree["agency"], ["accounts:read"])).status_code == 403
    assert client.get(url, **token_for(tree["other_agency"], ["dossiers:read"])).status_code == 404
    assert client.get(url).status_code in (401, 403)


def test_list_is_scoped(client, submit, tree):
    submit()
    mine = client.get("/api/v1/dossiers/", **token_for(tree["agency"], ["dossiers:read"])).json()
    other = client.get("/api/v1/dossiers/", **token_for(tree["other_agency"], ["dossiers:read"])).json()
    assert mine["count"] == 1 and other["count"] == 0


def test_submission_is_idempotent(client, catalogue, tree, media):
    headers = token_for(tree["office"], ["dossiers:write"])
    pdf = base64.b64encode(pdf_bytes()).decode()
    body = {
        "procedure_version_id": 1,
        "idempotency_key": "dvcqg-001",
        **APPLICANT,
        "form": {"purpose": "X-quang"},
        "documents": [
            {"code": "don", "filename": "don.pdf", "content_base64": pdf},
            {"code": "giayphep", "filename": "gp.pdf", "content_base64": pdf},
        ],
    }
    first = client.post("/api/v1/dossiers/submit/", body, content_type="application/json", **headers)
    second = client.post("/api/v1/dossiers/submit/", body, content_type="application/json", **headers)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["code"] == second.json()["code"]
    assert Dossier.objects.count() == 1


def test_submission_with_missing_document_is_refused(client, catalogue, tree, media):
    headers = token_for(tree["office"], ["dossiers:write"])
    body = {"procedure_version_id": 1, "idempotency_key": "k", **APPLICANT, "form": {"purpose": "X"}}
    response = client.post("/api/v1/dossiers/submit/", body, content_type="application/json", **headers)
    assert response.status_code == 400 and "doc_don" in response.json()
    assert Dossier.objects.count() == 0


def test_staff_action_refuses_an_illegal_transition(client, submit, users):
    dossier = submit()
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/return_result/", {}, content_type="application/json"
    )
    assert response.status_code == 409 and "not possible" in response.json()["detail"]
    ok = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/receive/",
        {"version": dossier.version},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "received"
