"""Every page per role (403 for roles without the module, 404 outside the scope) and bad input."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.signing import pki, sign_pdf
from apps.core.signing.keys import Pkcs12Key
from apps.documents import services
from apps.documents.models import IncomingDocument, OutgoingStatus, SavedView
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db

STAFF = [r for r in Role if r != Role.CITIZEN]


@pytest.fixture
def incoming(actors, tree, doc_types):
    return services.register_incoming(
        actors["clerk"],
        organization=tree["agency"],
        doc_type=doc_types["Công văn"],
        sender_name="UBND tỉnh",
        summary="Đề nghị báo cáo",
        number_symbol="12/UBND-VX",
        document_date=dt.date(2022, 1, 5),
    )


@pytest.fixture
def outgoing(actors, tree, doc_types):
    return services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["KH"],
        summary="Kế hoạch",
        composition={"body": "Nội dung"},
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    "name", ["incoming_list", "outgoing_list", "verify", "incoming_create", "outgoing_create"]
)
def test_pages_per_role(client, make_user, role, name):
    user = make_user(role)
    response = verified_client(client, user).get(reverse(f"documents:{name}"))
    if role == Role.CITIZEN:
        assert response.status_code == 403
    elif name == "incoming_create":
        assert response.status_code == (200 if role in (Role.CLERK, Role.ADMINISTRATOR) else 403)
    elif name == "outgoing_create":
        allowed = {Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.CLERK, Role.ADMINISTRATOR}
        assert response.status_code == (200 if role in allowed else 403)
    else:
        assert response.status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("documents:incoming_list"))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_incoming_detail_per_role(client, make_user, actors, incoming, role):
    user = make_user(role, username=f"x-{role}")
    response = verified_client(client, user).get(reverse("documents:incoming_detail", args=[incoming.pk]))
    # agency-wide readers see it; own-scope roles do not; a citizen may not use the module
    expected = {
        Role.CITIZEN: 403,
        Role.LEADER: 200,
        Role.CLERK: 200,
        Role.IT_OFFICER: 200,
        Role.ADMINISTRATOR: 200,
        Role.UNIT_HEAD: 404,
        Role.SPECIALIST: 404,
        Role.ONE_STOP_OFFICER: 404,
        Role.EDITOR: 404,
    }[role]
    assert response.status_code == expected


@pytest.mark.parametrize("role", list(Role))
def test_outgoing_detail_per_role(client, make_user, actors, outgoing, role):
    user = make_user(role, username=f"x-{role}")
    response = verified_client(client, user).get(reverse("documents:outgoing_detail", args=[outgoing.pk]))
    expected = {
        Role.CITIZEN: 403,
        Role.LEADER: 200,
        Role.CLERK: 200,
        Role.IT_OFFICER: 200,
        Role.ADMINISTRATOR: 200,
        Role.UNIT_HEAD: 200,  # the drafting unit is in the unit head's subtree
        Role.SPECIALIST: 404,
        Role.ONE_STOP_OFFICER: 404,
        Role.EDITOR: 404,
    }[role]
    assert response.status_code == expected


@pytest.mark.parametrize("role", STAFF)
def test_actions_are_refused_to_roles_that_may_not_apply_them(
    client, make_user, actors, incoming, outgoing, role
):
    user = make_user(role, username=f"x-{role}")
    c = verified_client(client, user)
    response = c.post(
        reverse("documents:incoming_action", args=[incoming.pk, "assign"]),
        {"lead_unit": actors["head"].memberships.first().organization_id, "instruction": "x"},
    )
    incoming.refresh_from_db()
    if role in (Role.LEADER, Role.ADMINISTRATOR):
        assert incoming.lead_unit_id is not None
    else:
        assert response.status_code in (403, 404) and incoming.lead_unit_id is None
    response = c.post(reverse("documents:outgoing_action", args=[outgoing.pk, "number"]), {})
    outgoing.refresh_from_db()
    assert outgoing.number is None  # a draft is never numbered, whoever asks
    assert response.status_code in (302, 403, 404)


def test_get_on_an_action_is_not_allowed(client, actors, incoming):
    c = verified_client(client, actors["leader"])
    assert c.get(reverse("documents:incoming_action", args=[incoming.pk, "assign"])).status_code == 405


def test_other_agency_sees_404(client, actors, incoming):
    c = verified_client(client, actors["other_clerk"])
    assert c.get(reverse("documents:incoming_detail", args=[incoming.pk])).status_code == 404


def test_register_through_the_form_and_duplicate_warning(client, actors, doc_types, pdf_upload):
    c = verified_client(client, actors["clerk"])
    data = {
        "doc_type": doc_types["BC"].pk,
        "number_symbol": "275/BC-SKHCN",
        "document_date": "2020-12-24",
        "sender_name": "Sở KH&CN",
        "summary": "Báo cáo kết quả",
        "urgency": "normal",
        "confidentiality": "normal",
        "pages": 3,
    }
    response = c.post(reverse("documents:incoming_create"), {**data, "file": pdf_upload()})
    assert response.status_code == 302
    doc = IncomingDocument.objects.get()
    assert doc.arrival_number == 1 and doc.main_file is not None
    response = c.post(reverse("documents:incoming_create"), data)
    assert response.status_code == 200 and "đã có trong sổ đến" in response.content.decode()
    assert IncomingDocument.objects.count() == 1


def test_non_pdf_disguised_as_pdf_is_refused_on_registration(client, actors, doc_types):
    c = verified_client(client, actors["clerk"])
    fake = SimpleUploadedFile("scan.pdf", b"PK\x03\x04" + b"\0" * 300)
    response = c.post(
        reverse("documents:incoming_create"),
        {
            "doc_type": doc_types["BC"].pk,
            "sender_name": "A",
            "summary": "B",
            "urgency": "normal",
            "confidentiality": "normal",
            "pages": 1,
            "file": fake,
        },
    )
    assert response.status_code == 200
    assert IncomingDocument.objects.count() == 0
    assert "alert-danger" in response.content.decode()


def test_verify_page_reports_valid_tampered_unsigned_and_not_pdf(client, actors, pdf_bytes, test_ca):
    key = Pkcs12Key(pki.to_pkcs12(pki.issue_signer(test_ca, "Đinh Khắc Tuấn"), "pw"), "pw")
    signed = sign_pdf(pdf_bytes, key, reason="Ký", location="Đắk Lắk")
    c = verified_client(client, actors["specialist"])
    url = reverse("documents:verify")
    page = c.post(url, {"file": SimpleUploadedFile("a.pdf", signed)}).content.decode()
    assert 'data-verdict="valid"' in page and "Đinh Khắc Tuấn" in page
    changed = bytearray(signed)
    position = signed.index(b"stream") + 20
    changed[position] = (changed[position] + 1) % 256
    page = c.post(url, {"file": SimpleUploadedFile("a.pdf", bytes(changed))}).content.decode()
    assert 'data-verdict="tampered"' in page
    page = c.post(url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes)}).content.decode()
    assert 'id="verify-error"' in page and "signature-report" not in page
    page = c.post(url, {"file": SimpleUploadedFile("a.pdf", b"GIF89a not a pdf")}).content.decode()
    assert "không phải là tài liệu PDF" in page


def test_verify_page_headline_says_changed_after_signing(client, actors, pdf_bytes, test_ca):
    from apps.core.tests import pdf_edits

    key = Pkcs12Key(pki.to_pkcs12(pki.issue_signer(test_ca, "Đinh Khắc Tuấn"), "pw"), "pw")
    changed = pdf_edits.append_annotation(sign_pdf(pdf_bytes, key, reason="Ký", location="Đắk Lắk"))
    c = verified_client(client, actors["specialist"])
    upload = SimpleUploadedFile("a.pdf", changed)
    page = c.post(reverse("documents:verify"), {"file": upload}).content.decode()
    assert 'data-verdict="modified"' in page
    headline = page.split('signature-headline">', 1)[1].split("</span>", 1)[0]
    assert "Tài liệu đã bị thay đổi sau khi ký" in headline and "hợp lệ" not in headline
    assert "Common Name" not in page and "Tên: Đinh Khắc Tuấn" in page


def test_list_export_search_and_saved_view(client, actors, incoming, tree, doc_types):
    services.register_incoming(
        actors["clerk"],
        organization=tree["agency"],
        doc_type=doc_types["TB"],
        sender_name="Sở Y tế",
        summary="Thông báo lịch tiêm chủng",
    )
    c = verified_client(client, actors["clerk"])
    url = reverse("documents:incoming_list")
    page = c.get(url, {"q": "de nghi bao cao"}).content.decode()
    assert "Đề nghị báo cáo" in page and "lịch tiêm chủng" not in page
    response = c.get(url, {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "12/UBND-VX" in values
    c.post(
        reverse("documents:saved_view_create", args=["incoming"]), {"name": "Đề nghị", "query": "q=de+nghi"}
    )
    view = SavedView.objects.get(user=actors["clerk"])
    assert view.query == "q=de+nghi"
    assert "Đề nghị" in c.get(url).content.decode()
    other = verified_client(client, actors["leader"])
    assert other.post(reverse("documents:saved_view_delete", args=[view.pk])).status_code == 404


def test_list_query_count_does_not_grow(client, actors, tree, doc_types, django_assert_max_num_queries):
    for i in range(15):
        services.register_incoming(
            actors["clerk"],
            organization=tree["agency"],
            doc_type=doc_types["TB"],
            sender_name=f"Đơn vị {i}",
            summary=f"Thông báo {i}",
        )
    c = verified_client(client, actors["clerk"])
    with django_assert_max_num_queries(25):
        assert c.get(reverse("documents:incoming_list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert c.get(reverse("documents:outgoing_list")).status_code == 200


def test_sign_through_the_page_needs_the_second_factor(client, actors, tree, doc_types):
    from .conftest import KEY_PASSWORD

    doc = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["KH"],
        summary="Kế hoạch",
        composition={"body": "Nội dung"},
    )
    services.submit_for_review(actors["specialist"], doc, reviewers=[actors["leader"]])
    services.review(actors["leader"], doc, approve=True)
    services.number_outgoing(actors["clerk"], doc)
    c = verified_client(client, actors["leader"])
    url = reverse("documents:outgoing_action", args=[doc.pk, "sign"])
    c.post(url, {"code": "999999", "key_password": KEY_PASSWORD})
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.NUMBERED
    response = c.post(url, {"code": "code3", "key_password": KEY_PASSWORD}, follow=True)
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.SIGNED
    assert 'data-verdict="valid"' in response.content.decode()


def test_classified_documents_only_for_leaders_clerks_and_those_involved(
    client, make_user, actors, tree, doc_types
):
    secret = services.register_incoming(
        actors["clerk"],
        organization=tree["agency"],
        doc_type=doc_types["Công văn"],
        sender_name="Công an tỉnh",
        summary="Tài liệu mật",
        confidentiality="confidential",
    )
    it_officer = make_user(Role.IT_OFFICER, username="cntt-x")
    url = reverse("documents:incoming_detail", args=[secret.pk])
    assert verified_client(client, it_officer).get(url).status_code == 404
    assert verified_client(client, actors["leader"]).get(url).status_code == 200
    services.assign_unit(actors["leader"], secret, lead_unit=tree["tech"])
    assert verified_client(client, actors["head"]).get(url).status_code == 404  # unit head: not involved yet
    services.assign_handler(actors["leader"], secret, handler=actors["specialist"])
    assert verified_client(client, actors["specialist"]).get(url).status_code == 200
    assert secret.register.confidential  # a separate series (B2)


def test_unknown_action_is_404_and_recall_form_only_for_issued_documents(client, actors, incoming, outgoing):
    c = verified_client(client, actors["clerk"])
    assert c.post(reverse("documents:incoming_action", args=[incoming.pk, "explode"])).status_code == 404
    assert c.post(reverse("documents:outgoing_action", args=[outgoing.pk, "explode"])).status_code == 404
    page = c.get(reverse("documents:outgoing_detail", args=[outgoing.pk])).content.decode()
    assert 'id="recall"' not in page  # a draft cannot be recalled
    response = c.post(reverse("documents:outgoing_action", args=[outgoing.pk, "recall"]), {"reason": "Sai"})
    outgoing.refresh_from_db()
    assert response.status_code == 302 and outgoing.status == OutgoingStatus.DRAFT
