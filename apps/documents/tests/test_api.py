"""API: registers read and search, document detail, object-level scoping, token scopes, schema."""

import datetime as dt

import pytest
from django.test import Client

from apps.accounts.models import ApiClient
from apps.documents import services
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db


def token_for(org, scopes):
    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name="Trục liên thông", organization=org, scopes=scopes, token_prefix=prefix, token_hash=digest
    )
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


@pytest.fixture
def registered(actors, tree, doc_types):
    def make(summary, **kw):
        return services.register_incoming(
            actors["clerk"],
            organization=tree["agency"],
            doc_type=doc_types["Công văn"],
            sender_name=kw.pop("sender_name", "UBND tỉnh Đắk Lắk"),
            summary=summary,
            document_date=dt.date(2022, 3, 1),
            **kw,
        )

    return make


def test_incoming_list_search_and_detail_for_staff(client, actors, registered):
    plan = registered("Kế hoạch chuyển đổi số tỉnh Đắk Lắk", number_symbol="10/KH-UBND")
    registered("Phòng chống dịch bệnh", sender_name="Sở Y tế", number_symbol="5/SYT")
    c = verified_client(client, actors["clerk"])
    body = c.get("/api/v1/documents/incoming/").json()
    assert body["count"] == 2
    found = c.get("/api/v1/documents/incoming/", {"q": "chuyen doi so dak lak"}).json()
    assert [d["number_symbol"] for d in found["results"]] == ["10/KH-UBND"]
    assert c.get("/api/v1/documents/incoming/", {"status": "completed"}).json()["count"] == 0
    detail = c.get(f"/api/v1/documents/incoming/{plan.pk}/").json()
    assert detail["arrival_number"] == 1 and detail["status"] == "registered"
    assert [h["to_state"] for h in detail["history"]] == ["registered"]


def test_object_level_scope_other_agency_and_classified(client, make_user, actors, tree, registered):
    doc = registered("Đề nghị báo cáo")
    secret = registered("Tài liệu mật", confidentiality="confidential")
    other = verified_client(Client(), actors["other_clerk"])
    assert other.get(f"/api/v1/documents/incoming/{doc.pk}/").status_code == 404
    assert other.get("/api/v1/documents/incoming/").json()["count"] == 0
    it_officer = verified_client(Client(), make_user(Role.IT_OFFICER, username="cntt-api"))
    assert it_officer.get(f"/api/v1/documents/incoming/{doc.pk}/").status_code == 200
    assert it_officer.get(f"/api/v1/documents/incoming/{secret.pk}/").status_code == 404
    citizen = verified_client(Client(), make_user(Role.CITIZEN, username="dan"))
    assert citizen.get("/api/v1/documents/incoming/").status_code == 403
    assert Client().get("/api/v1/documents/incoming/").status_code in (401, 403)


def test_token_clients_need_the_scope_and_see_their_subtree_only(client, tree, registered):
    doc = registered("Đề nghị báo cáo")
    secret = registered("Tài liệu mật", confidentiality="confidential")
    url = "/api/v1/documents/incoming/"
    mine = client.get(url, **token_for(tree["agency"], ["documents:read"]))
    assert mine.status_code == 200 and [d["id"] for d in mine.json()["results"]] == [doc.pk]
    assert (
        client.get(f"{url}{secret.pk}/", **token_for(tree["agency"], ["documents:read"])).status_code == 404
    )
    assert client.get(url, **token_for(tree["agency"], ["dossiers:read"])).status_code == 403
    assert (
        client.get(f"{url}{doc.pk}/", **token_for(tree["other_agency"], ["documents:read"])).status_code
        == 404
    )


def test_outgoing_list_and_detail(client, actors, tree, doc_types):
    draft = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["KH"],
        summary="Kế hoạch chuyển đổi số",
        composition={"body": "Nội dung"},
    )
    c = verified_client(client, actors["head"])
    listing = c.get("/api/v1/documents/outgoing/").json()
    assert [d["summary"] for d in listing["results"]] == ["Kế hoạch chuyển đổi số"]
    detail = c.get(f"/api/v1/documents/outgoing/{draft.pk}/").json()
    assert detail["status"] == "draft" and detail["drafting_unit"] == "Phòng Quản lý Công nghệ"
    assert (
        verified_client(Client(), actors["other_clerk"])
        .get(f"/api/v1/documents/outgoing/{draft.pk}/")
        .status_code
        == 404
    )


def test_openapi_schema_documents_the_endpoints(client, actors):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in (
        "/api/v1/documents/incoming/",
        "/api/v1/documents/incoming/{id}/",
        "/api/v1/documents/outgoing/",
        "/api/v1/documents/outgoing/{id}/",
    ):
        assert path in paths, path
    names = {p["name"] for p in paths["/api/v1/documents/incoming/"]["get"]["parameters"]}
    assert {"q", "status", "year", "type", "page"} <= names


def _post_pdf(c, data, **headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return c.post(
        "/api/v1/documents/signatures/verify/", {"file": SimpleUploadedFile("a.pdf", data)}, **headers
    )


def test_signature_check_endpoint_gives_the_pages_verdict_as_json(client, actors, tree, pdf_bytes, test_ca):
    from apps.core.signing import Pkcs12Key, pki, sign_pdf
    from apps.core.tests import pdf_edits

    key = Pkcs12Key(pki.to_pkcs12(pki.issue_signer(test_ca, "Đinh Khắc Tuấn"), "pw"), "pw")
    signed = sign_pdf(pdf_bytes, key, reason="Ký", location="Đắk Lắk")
    c = verified_client(client, actors["specialist"])
    body = _post_pdf(c, signed).json()
    assert body["verdict"] == "valid" and body["signatures"][0]["signer"] == "Đinh Khắc Tuấn"
    body = _post_pdf(c, pdf_edits.append_content(signed)).json()
    assert body["verdict"] == "modified" and body["signatures"][0]["intact"] is True
    assert body["headline"] == "Tài liệu đã bị thay đổi sau khi ký"
    assert _post_pdf(c, pdf_bytes).json()["verdict"] == "unsigned"
    refused = _post_pdf(c, b"GIF89a not a pdf")
    assert refused.status_code == 400 and "PDF" in refused.json()["file"][0]
    assert c.post("/api/v1/documents/signatures/verify/", {}).status_code == 400

    # other systems: a token with the scope; without it, or anonymous, refused
    assert (
        _post_pdf(Client(), signed, **token_for(tree["agency"], ["signatures:verify"])).json()["verdict"]
        == "valid"
    )
    assert _post_pdf(Client(), signed, **token_for(tree["agency"], ["documents:read"])).status_code == 403
    assert _post_pdf(Client(), signed).status_code in (401, 403)
