"""Pages: permission matrix per role, scoping, actions through the UI, citizen status lookup."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.dossiers import services
from apps.dossiers.models import Dossier, State
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["dossiers:inbox", "dossiers:walk_in", "dossiers:statistics"]
EXPECTED = {
    # role: (inbox, walk_in, statistics)
    Role.CITIZEN: (403, 403, 403),
    Role.ONE_STOP_OFFICER: (200, 200, 200),
    Role.SPECIALIST: (200, 403, 403),
    Role.UNIT_HEAD: (200, 403, 200),
    Role.LEADER: (200, 403, 200),
    Role.CLERK: (403, 403, 403),
    Role.IT_OFFICER: (403, 403, 403),
    Role.EDITOR: (403, 403, 403),
    Role.ADMINISTRATOR: (200, 403, 200),
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.mark.parametrize("role", list(Role))
def test_staff_pages_per_role(client, users, catalogue, role):
    verified_client(client, users[role])
    got = tuple(client.get(reverse(name)).status_code for name in STAFF_PAGES)
    assert got == EXPECTED[role]


@pytest.mark.parametrize("role", list(Role))
def test_detail_and_forms_per_role(client, users, submit, role):
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])
    verified_client(client, users[role])
    detail = client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code
    form = client.get(reverse("dossiers:form_pdf", args=[dossier.pk, "01"])).status_code
    # The specialist is not assigned yet: the dossier is outside their scope (404).
    expected = {
        Role.ONE_STOP_OFFICER: 200,
        Role.LEADER: 200,
        Role.UNIT_HEAD: 404,
        Role.ADMINISTRATOR: 200,
        Role.SPECIALIST: 404,
    }.get(role, 403)
    assert (detail, form) == (expected, expected)


def test_anonymous_is_sent_to_sign_in(client, submit):
    dossier = submit()
    response = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_officer_of_another_agency_gets_404(client, submit, make_user):
    dossier = submit()
    stranger = make_user(Role.ONE_STOP_OFFICER, username="desk-2", unit="other_unit")
    verified_client(client, stranger)
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 404
    assert dossier.code not in client.get(reverse("dossiers:inbox") + "?box=all").content.decode()


def test_receive_through_the_page_and_print_form_01(client, users, submit):
    dossier = submit()
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    response = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert b'data-action="receive"' in response.content and b'data-action="refuse"' in response.content
    client.post(reverse("dossiers:act", args=[dossier.pk, "receive"]), {"version": dossier.version})
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
    pdf = client.get(reverse("dossiers:form_pdf", args=[dossier.pk, "01"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_second_click_with_the_old_version_gets_a_message(client, users, submit):
    dossier = submit()
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    url = reverse("dossiers:act", args=[dossier.pk, "receive"])
    client.post(url, {"version": dossier.version})
    response = client.post(
        reverse("dossiers:act", args=[dossier.pk, "refuse"]),
        {"version": dossier.version, "note": "x"},
        follow=True,
    )
    assert "Someone else has already acted" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_register_export_is_excel(client, users, submit):
    submit()
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    response = client.get(reverse("dossiers:inbox") + "?box=all&export=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_walk_in_reception_records_a_dossier(client, users, catalogue, media):
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    data = {
        **APPLICANT,
        "version": 2,
        "f_purpose": "Kiểm định",
        "idempotency_key": "k-1",
        "doc_don": upload(),
    }
    response = client.post(reverse("dossiers:walk_in"), data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and dossier.channel == "walk_in"
    assert dossier.received_by == users[Role.ONE_STOP_OFFICER]


def test_online_submission_requires_documents_and_keeps_nothing(client, users, catalogue, media):
    verified_client(client, users[Role.CITIZEN])
    data = {**APPLICANT, "f_purpose": "X-quang", "idempotency_key": "abc", "doc_don": upload()}
    response = client.post(reverse("dossiers:submit_online", args=[1]), data)
    assert response.status_code == 200
    assert "Bản sao giấy chứng nhận" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_online_double_click_creates_one_dossier(client, users, catalogue, media):
    verified_client(client, users[Role.CITIZEN])
    for _ in range(2):
        data = {
            **APPLICANT,
            "f_purpose": "X",
            "idempotency_key": "same",
            "doc_don": upload(),
            "doc_giayphep": upload("b.pdf", "B"),
        }
        response = client.post(reverse("dossiers:submit_online", args=[1]), data)
        assert response.status_code == 302
    assert Dossier.objects.count() == 1
    assert Dossier.objects.get().applicant_user == users[Role.CITIZEN]


def test_disguised_file_is_refused_and_nothing_is_kept(client, users, catalogue, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    verified_client(client, users[Role.CITIZEN])
    fake = SimpleUploadedFile("don.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    data = {**APPLICANT, "f_purpose": "X", "idempotency_key": "z", "doc_don": fake, "doc_giayphep": upload()}
    response = client.post(reverse("dossiers:submit_online", args=[1]), data)
    assert response.status_code == 200 and "Đơn đề nghị" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_oversized_file_is_refused(client, users, catalogue, media, settings):
    from apps.core.files import intake

    intake.register_purpose("dossier_file", {intake.PDF}, 100)
    try:
        verified_client(client, users[Role.CITIZEN])
        data = {
            **APPLICANT,
            "f_purpose": "X",
            "idempotency_key": "o",
            "doc_don": upload(),
            "doc_giayphep": upload(),
        }
        response = client.post(reverse("dossiers:submit_online", args=[1]), data)
        assert "vượt quá dung lượng" in response.content.decode()
        assert Dossier.objects.count() == 0
    finally:
        intake.register_purpose(
            "dossier_file",
            {intake.PDF, intake.DOCX, intake.XLSX, intake.ODT, intake.PNG, intake.JPEG},
            10 * intake.MB,
        )


def test_anonymous_online_submission_needs_a_verified_email(client, catalogue):
    response = client.get(reverse("dossiers:submit_online", args=[1]))
    assert response.status_code == 302 and "xac-minh" in response["Location"]


def test_status_lookup_needs_the_second_factor(client, submit):
    dossier = submit()
    url = reverse("dossiers:status")
    wrong = client.post(url, {"code": dossier.code, "factor": "0999999999"})
    assert wrong.status_code == 200 and "No dossier matches" in wrong.content.decode()
    assert client.get(reverse("dossiers:status_detail", args=[dossier.pk])).status_code == 404
    right = client.post(url, {"code": dossier.code, "factor": "090 512 3456"})
    assert right.status_code == 302
    page = client.get(right["Location"])
    assert dossier.get_state_display() in page.content.decode()


def test_status_lookup_is_rate_limited(client, submit):
    dossier = submit()
    url = reverse("dossiers:status")
    for i in range(10):
        client.post(url, {"code": f"X-{i}", "factor": "0905123456"})
    blocked = client.post(url, {"code": dossier.code, "factor": "0905123456"})
    assert blocked.status_code == 429


def test_citizen_uploads_a_supplement_and_rates(client, users, submit, media):
    dossier = submit()
    desk = users[Role.ONE_STOP_OFFICER]
    services.act(dossier.pk, "request_supplement", actor=desk, note="Thiếu", items=["Bản sao CCCD"])
    client.post(reverse("dossiers:status"), {"code": dossier.code, "factor": "an@example.vn"})
    response = client.post(
        reverse("dossiers:status_supplement", args=[dossier.pk]), {"files": [upload("cccd.pdf", "CCCD")]}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED
    assert dossier.documents.filter(is_supplement=True).count() == 1


def test_anonymous_submission_with_a_verified_email(client, catalogue, media, mailoutbox=None):
    from apps.core.notifications.models import OutboxMessage

    client.post(reverse("dossiers:verify_contact"), {"email": "khach@example.vn"})
    message = OutboxMessage.objects.get(event="dossier_contact_code")
    code = message.body.split("là ")[1][:6]
    bad = client.post(
        reverse("dossiers:verify_contact"), {"code": "000000" if code != "000000" else "111111"}
    )
    assert bad.status_code == 200 and "dossiers_verified_contact" not in client.session
    client.post(reverse("dossiers:verify_contact"), {"email": "khach@example.vn"})
    code = (
        OutboxMessage.objects.filter(event="dossier_contact_code")
        .order_by("pk")
        .last()
        .body.split("là ")[1][:6]
    )
    assert client.post(reverse("dossiers:verify_contact"), {"code": code}).status_code == 302
    data = {
        **APPLICANT,
        "applicant_email": "other@example.vn",
        "f_purpose": "X",
        "idempotency_key": "anon",
        "doc_don": upload(),
        "doc_giayphep": upload("b.pdf", "B"),
    }
    assert client.post(reverse("dossiers:submit_online", args=[1]), data).status_code == 302
    assert Dossier.objects.get().applicant_email == "khach@example.vn"


def test_save_and_resume_the_online_form(client, users, catalogue, media):
    verified_client(client, users[Role.CITIZEN])
    response = client.post(
        reverse("dossiers:submit_online", args=[1]),
        {**APPLICANT, "f_purpose": "Nửa chừng", "save_draft": "1"},
    )
    assert response.status_code == 302 and "tiep-tuc" in response["Location"]
    page = client.get(response["Location"])
    assert "Nửa chừng" in page.content.decode()
    draft = Dossier.objects.get()
    assert draft.state == State.DRAFT and draft.code is None
    data = {
        **APPLICANT,
        "f_purpose": "Xong",
        "idempotency_key": "r",
        "doc_don": upload(),
        "doc_giayphep": upload("b.pdf", "B"),
    }
    client.post(response["Location"], data)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.code and Dossier.objects.count() == 1


def test_every_form_renders(client, users, submit):
    from apps.dossiers import documents

    dossier = submit()
    desk = users[Role.ONE_STOP_OFFICER]
    services.act(dossier.pk, "receive", actor=desk)
    services.act(dossier.pk, "stop", actor=desk, note="Đề nghị dừng")
    dossier.refresh_from_db()
    for number in documents.available_forms(dossier):
        assert documents.FORMS[number](dossier).startswith(b"%PDF")
    assert documents.form_07(Dossier.objects.all())[:2] == b"PK"


def test_inbox_query_count_does_not_grow_with_rows(client, users, submit, django_assert_max_num_queries):
    for _ in range(3):
        submit()
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("dossiers:inbox") + "?box=all")
    for _ in range(12):
        submit()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("dossiers:inbox") + "?box=all")
    assert response.content.decode().count('href="/ho-so/') >= 15


def test_inbox_shows_working_days_left_and_colours_overdue_rows(client, users, submit):
    import datetime as dt

    from django.utils import timezone

    early, late = submit(), submit()
    now = timezone.now()
    Dossier.objects.filter(pk=early.pk).update(state=State.IN_PROCESS, due_at=now + dt.timedelta(days=30))
    Dossier.objects.filter(pk=late.pk).update(state=State.IN_PROCESS, due_at=now - dt.timedelta(days=30))
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    page = client.get(reverse("dossiers:inbox") + "?box=all").content.decode()
    assert page.count("data-deadline-hint") == 2
    assert "working days left" in page and "working days overdue" in page
    assert page.count('class="table-danger"') == 1


def test_form_01_speaks_vietnamese(client, users, submit, tmp_path):
    """Receipt (form 01): “Bản chính”/“Bản sao”, not “original”/“copy”; “10 ngày làm việc”, not “10.0”."""
    import subprocess

    dossier = submit()
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    client.post(reverse("dossiers:act", args=[dossier.pk, "receive"]), {"version": dossier.version})
    path = tmp_path / "01.pdf"
    path.write_bytes(client.get(reverse("dossiers:form_pdf", args=[dossier.pk, "01"])).content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert "Bản chính" in text and "original" not in text and "copy" not in text
    days = services.Dossier.objects.get(pk=dossier.pk).procedure_snapshot["processing_days"]
    assert f"{int(float(days))} ngày làm việc" in text and ".0 ngày" not in text
