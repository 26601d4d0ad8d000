"""Issue #17 regressions in the dossiers module: idempotency keys are the submitter's own (17.1), one
rule of who reaches a dossier for the pages, the API and `/tep/<uuid>/` (17.6), the uploader of an
online submission and the schema of a blank signature verdict (17.12)."""

import base64

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.accounts.models import ApiClient
from apps.dossiers import services
from apps.dossiers.models import Dossier
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import APPLICANT, pdf_bytes, upload

pytestmark = pytest.mark.django_db

OTHER_APPLICANT = {
    "applicant_name": "Trần Thị Bích",
    "applicant_id_number": "066190009999",
    "applicant_address": "5 Phan Bội Châu, Buôn Ma Thuột",
    "applicant_phone": "0912000111",
    "applicant_email": "bich@example.vn",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def token_for(org, scopes, name="Cổng DVCQG"):
    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name=name, organization=org, scopes=scopes, token_prefix=prefix, token_hash=digest
    )
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


def api_body(key, applicant):
    pdf = base64.b64encode(pdf_bytes()).decode()
    return {
        "procedure_version_id": 1,
        "idempotency_key": key,
        **applicant,
        "form": {"purpose": "X-quang"},
        "documents": [
            {"code": "don", "filename": "don.pdf", "content_base64": pdf},
            {"code": "giayphep", "filename": "gp.pdf", "content_base64": pdf},
        ],
    }


def web_form(key, applicant):
    return {
        **applicant,
        "f_purpose": "X-quang",
        "idempotency_key": key,
        "doc_don": upload(),
        "doc_giayphep": upload("gp.pdf", "GP"),
    }


def assert_no_leak(text: str) -> None:
    for field in ("applicant_name", "applicant_id_number", "applicant_address", "applicant_phone"):
        assert APPLICANT[field] not in text, field
    assert APPLICANT["applicant_email"] not in text


# --------------------------------------------------------------------------- 17.1 idempotency key takeover
def test_17_1_api_client_of_another_agency_reusing_a_key_gets_a_fresh_dossier(client, catalogue, tree, media):
    first_client = token_for(tree["office"], ["dossiers:write", "dossiers:read"])
    second_client = token_for(tree["other_agency"], ["dossiers:write", "dossiers:read"], name="Sở Y tế")
    url = "/api/v1/dossiers/submit/"
    key = "000.00.19.H15-261123-0001"  # a national portal's number: predictable
    first = client.post(url, api_body(key, APPLICANT), content_type="application/json", **first_client)
    assert first.status_code == 201

    second = client.post(
        url, api_body(key, OTHER_APPLICANT), content_type="application/json", **second_client
    )
    assert second.status_code in (201, 409)
    assert_no_leak(second.content.decode())
    if second.status_code == 201:
        assert second.json()["code"] != first.json()["code"]
        assert second.json()["applicant_name"] == OTHER_APPLICANT["applicant_name"]
    original = Dossier.objects.get(code=first.json()["code"])
    assert original.applicant_name == APPLICANT["applicant_name"]

    # The key still does its job for the client that owns it: a retry is the same dossier.
    retry = client.post(url, api_body(key, APPLICANT), content_type="application/json", **first_client)
    assert retry.status_code == 200 and retry.json()["code"] == first.json()["code"]
    assert Dossier.objects.filter(idempotency_key=key).count() == (2 if second.status_code == 201 else 1)


def test_17_1_second_citizen_reusing_a_key_through_the_web_form_gets_nothing_of_the_first(
    client, users, make_user, catalogue, media
):
    verified_client(client, users[Role.CITIZEN])
    assert (
        client.post(reverse("dossiers:submit_online", args=[1]), web_form("k-17", APPLICANT)).status_code
        == 302
    )
    victim = Dossier.objects.get()
    client.logout()

    intruder = make_user(Role.CITIZEN, username="congdan-2")
    verified_client(client, intruder)
    response = client.post(reverse("dossiers:submit_online", args=[1]), web_form("k-17", OTHER_APPLICANT))
    assert response.status_code in (302, 409)
    assert victim.pk not in client.session.get("dossiers_status_ok", [])
    for name in ("status_detail", "status_receipt"):
        assert client.get(reverse(f"dossiers:{name}", args=[victim.pk])).status_code == 404, name
    assert client.post(reverse("dossiers:status_pay", args=[victim.pk])).status_code == 404
    assert client.post(reverse("dossiers:status_rate", args=[victim.pk]), {"score": 1}).status_code == 404
    if response.status_code == 302:
        mine = Dossier.objects.exclude(pk=victim.pk).get()
        assert mine.applicant_user == intruder and mine.applicant_name == OTHER_APPLICANT["applicant_name"]
        assert_no_leak(client.get(response["Location"]).content.decode())
    victim.refresh_from_db()
    assert victim.applicant_user == users[Role.CITIZEN]


def test_17_1_a_verified_email_reusing_an_accounts_key_gets_a_fresh_dossier(client, users, catalogue, media):
    verified_client(client, users[Role.CITIZEN])
    client.post(reverse("dossiers:submit_online", args=[1]), web_form("k-mail", APPLICANT))
    victim = Dossier.objects.get()
    client.logout()
    session = client.session
    session["dossiers_verified_contact"] = OTHER_APPLICANT["applicant_email"]
    session.save()
    response = client.post(reverse("dossiers:submit_online", args=[1]), web_form("k-mail", OTHER_APPLICANT))
    assert response.status_code in (302, 409)
    assert victim.pk not in client.session.get("dossiers_status_ok", [])
    assert client.get(reverse("dossiers:status_detail", args=[victim.pk])).status_code == 404


def test_17_1_the_service_scopes_the_key_to_its_submitter(submit, users, make_user):
    citizen = users[Role.CITIZEN]
    other = make_user(Role.CITIZEN, username="congdan-3")
    first = submit(key="same", applicant_user=citizen)
    assert submit(key="same", applicant_user=citizen).pk == first.pk  # the same person retrying
    theirs = submit(key="same", applicant_user=other, applicant=OTHER_APPLICANT)
    assert theirs.pk != first.pk and theirs.applicant_user == other
    officer = submit(key="same", channel="walk_in", actor=users[Role.ONE_STOP_OFFICER])
    assert officer.pk not in (first.pk, theirs.pk)
    # Nobody known (no account, no client, no verified contact): the key cannot be honoured at all.
    anonymous = submit(key="same")
    assert anonymous.pk not in (first.pk, theirs.pk, officer.pk) and anonymous.idempotency_key is None


# --------------------------------------------------------------------------- 17.6 one rule of reach
@pytest.mark.parametrize("role", [Role.CLERK, Role.IT_OFFICER, Role.EDITOR, Role.CITIZEN])
def test_17_6_non_dossier_staff_reach_no_dossier_through_api_or_file_view(client, users, submit, role):
    dossier = submit()
    stored = dossier.documents.exclude(file=None).first().file
    verified_client(client, users[role])
    # The pages refuse them ...
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 403
    # ... and so do the API and the file view now.
    listing = client.get("/api/v1/dossiers/")
    assert listing.status_code in (403, 404)
    assert APPLICANT["applicant_name"] not in listing.content.decode()
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code in (403, 404)
    assert client.get(reverse("core:file_download", args=[stored.pk])).status_code in (403, 404)


@pytest.mark.parametrize("role", [Role.CLERK, Role.IT_OFFICER])
def test_17_6_result_file_is_not_served_to_the_clerk_or_it_officer(client, users, submit, role):
    dossier = submit()
    desk = users[Role.ONE_STOP_OFFICER]
    services.act(dossier.pk, "receive", actor=desk)
    dossier.refresh_from_db()
    from apps.core.files.intake import accept_upload

    dossier.result_file = accept_upload(upload("kq.pdf", "KQ"), purpose="dossier_file", user=desk)
    dossier.save(update_fields=["result_file"])
    verified_client(client, users[role])
    assert client.get(reverse("core:file_download", args=[dossier.result_file_id])).status_code == 404
    verified_client(client, desk)
    assert client.get(reverse("core:file_download", args=[dossier.result_file_id])).status_code == 200


def test_17_6_the_one_stop_officer_still_gets_list_detail_and_attachment(client, users, submit):
    dossier = submit()
    stored = dossier.documents.exclude(file=None).first().file
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    listing = client.get("/api/v1/dossiers/")
    assert listing.status_code == 200 and [d["code"] for d in listing.json()["results"]] == [dossier.code]
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200
    download = client.get(reverse("core:file_download", args=[stored.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 200


def test_17_6_the_applicant_still_downloads_their_own_attachment(client, users, catalogue, media):
    citizen = users[Role.CITIZEN]
    verified_client(client, citizen)
    client.post(reverse("dossiers:submit_online", args=[1]), web_form("own", APPLICANT))
    stored = Dossier.objects.get().documents.exclude(file=None).first().file
    assert client.get(reverse("core:file_download", args=[stored.pk])).status_code == 200


def test_17_6_pages_api_and_files_ask_one_rule(monkeypatch, client, users, submit):
    """Pages, API and the file view all go through `selectors.reach_q`: closing it closes all three."""
    from apps.dossiers import selectors

    dossier = submit()
    stored = dossier.documents.exclude(file=None).first().file
    officer = users[Role.ONE_STOP_OFFICER]
    verified_client(client, officer)
    from django.db.models import Q

    monkeypatch.setattr(selectors, "reach_q", lambda user, action="view": Q(pk__in=[]))
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 404
    assert client.get("/api/v1/dossiers/").json()["count"] == 0
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    assert client.get(reverse("core:file_download", args=[stored.pk])).status_code == 404


# --------------------------------------------------------------------------- 17.12 uploader, schema
def test_17_12_online_submission_records_the_signed_in_citizen_as_uploader(client, users, catalogue, media):
    citizen = users[Role.CITIZEN]
    verified_client(client, citizen)
    assert (
        client.post(reverse("dossiers:submit_online", args=[1]), web_form("up", APPLICANT)).status_code == 302
    )
    files = [d.file for d in Dossier.objects.get().documents.exclude(file=None)]
    assert len(files) == 2 and all(f.uploaded_by_id == citizen.pk for f in files)


def test_17_12_walk_in_files_are_uploaded_by_the_officer(submit, users):
    officer = users[Role.ONE_STOP_OFFICER]
    dossier = submit(channel="walk_in", actor=officer)
    assert {d.file.uploaded_by_id for d in dossier.documents.exclude(file=None)} == {officer.pk}


def _openapi_to_jsonschema(node):
    """OpenAPI 3.0 `nullable` → JSON Schema's type list, so that jsonschema can check a response."""
    if isinstance(node, list):
        return [_openapi_to_jsonschema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _openapi_to_jsonschema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def _check_against_schema(schema: dict, component: str, data: dict) -> None:
    import jsonschema

    document = _openapi_to_jsonschema({"components": schema["components"]})
    document["$ref"] = f"#/components/schemas/{component}"
    jsonschema.validate(data, document)


def test_17_12_blank_signature_verdict_is_part_of_the_schema(client, make_user, tree):
    from apps.documents import services as document_services
    from apps.documents.catalogue import ensure_document_types
    from apps.documents.models import DocumentType

    ensure_document_types()
    clerk = make_user(Role.CLERK, username="vanthu-17")
    doc = document_services.register_incoming(
        clerk,
        organization=tree["agency"],
        doc_type=DocumentType.objects.order_by("pk").first(),
        sender_name="Sở Tài chính",
        summary="Công văn chưa có tệp",
    )
    assert doc.signature_verdict == ""
    verified_client(client, clerk)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for name in ("Incoming", "IncomingDetail"):
        prop = schema["components"]["schemas"][name]["properties"]["signature_verdict"]
        allowed = _openapi_to_jsonschema({"components": schema["components"], **prop})
        import jsonschema

        jsonschema.validate("", allowed)  # "" is what the API gives before any check
        jsonschema.validate("valid", allowed)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate("bogus", allowed)
    detail = client.get(f"/api/v1/documents/incoming/{doc.pk}/").json()
    assert detail["signature_verdict"] == ""
    _check_against_schema(schema, "IncomingDetail", detail)
    listing = client.get("/api/v1/documents/incoming/").json()
    _check_against_schema(schema, "Incoming", listing["results"][0])


def test_17_12_dossier_responses_agree_with_the_schema(client, users, submit):
    submit()
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for item in client.get("/api/v1/dossiers/").json()["results"]:
        _check_against_schema(schema, "Dossier", item)
