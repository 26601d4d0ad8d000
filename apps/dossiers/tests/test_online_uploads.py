"""Online submission, components step: a refused file does not wipe the accepted ones (issue #18.6)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from apps.core.files.models import StoredFile
from apps.core.tests.test_files import FakeClamd
from apps.dossiers.models import Dossier, State
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import APPLICANT, pdf_bytes, upload

pytestmark = pytest.mark.django_db

START = reverse("dossiers:submit_online", args=[1])
# The EICAR test string (the fake scanner below finds it inside an otherwise valid PDF).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!H+H*"


def _step(client, url, step, go="next", **data):
    return client.post(url, {"step": step, "go": go, **data})


def _to_components(client) -> str:
    resume = _step(client, START, 1, **APPLICANT)["Location"].split("?")[0]
    assert _step(client, resume, 2, f_purpose="Sử dụng thiết bị X-quang").status_code == 302
    return resume


def _not_a_pdf():
    """A Windows program named like a PDF: the type sniffed from its content is refused."""
    return SimpleUploadedFile("giay-phep.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


@pytest.fixture
def vi(settings):
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        yield


def _assert_kept_and_refused(page, draft):
    body = page.content.decode()
    # the refused one: its error, and nothing of it stored
    assert "Bản sao giấy chứng nhận" in body
    assert page.context["errors"].keys() == {"doc_giayphep"}
    # the accepted one: kept on the draft, shown by name with a "remove" button, not asked again
    kept = {d.code: d.file.original_name for d in draft.documents.exclude(file=None).select_related("file")}
    assert kept == {"don": "don-de-nghi.pdf"}
    assert 'data-uploaded="don"' in body and "don-de-nghi.pdf" in body and 'data-remove="don"' in body
    assert 'data-uploaded="giayphep"' not in body
    assert "Attach “Đơn đề nghị”" not in body
    assert StoredFile.objects.count() == 1  # the refused file left nothing behind


def _finish(client, resume, draft):
    """Complete the step with the missing file only, then submit: the kept file goes with it."""
    third = _step(client, resume, 3, doc_giayphep=upload("gp.pdf", "GP"))
    assert third.status_code == 302 and third["Location"].endswith("step=4")
    assert client.post(resume, {"step": 4, "idempotency_key": "kept"}).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.pk == draft.pk and dossier.state == State.SUBMITTED and dossier.code
    names = dict(dossier.documents.exclude(file=None).values_list("code", "file__original_name"))
    assert names == {"don": "don-de-nghi.pdf", "giayphep": "gp.pdf"}


def test_a_refused_file_leaves_the_accepted_one_attached(client, users, catalogue, media, vi):
    verified_client(client, users[Role.CITIZEN])
    resume = _to_components(client)
    page = _step(client, resume, 3, doc_don=upload("don-de-nghi.pdf"), doc_giayphep=_not_a_pdf())
    assert page.status_code == 200 and page.context["step"] == 3
    assert "Nội dung tệp không khớp với đuôi .pdf" in page.content.decode()
    draft = Dossier.objects.get()
    assert draft.state == State.DRAFT
    _assert_kept_and_refused(page, draft)
    again = client.get(resume + "?step=3")  # a reload shows the same: the file is on the draft
    assert 'data-uploaded="don"' in again.content.decode()
    _finish(client, resume, draft)


def test_a_refused_file_on_a_first_post_still_keeps_the_other(client, users, catalogue, media):
    """Posting the components step before any draft exists: the draft is made to keep the good file."""
    verified_client(client, users[Role.CITIZEN])
    page = client.post(
        START,
        {"step": 3, "go": "next", "doc_don": upload("don-de-nghi.pdf"), "doc_giayphep": _not_a_pdf()},
    )
    assert page.status_code == 200
    draft = Dossier.objects.get()
    assert page.context["draft"].pk == draft.pk  # the form now posts to the draft's own address
    assert set(draft.documents.exclude(file=None).values_list("code", flat=True)) == {"don"}


def test_remove_takes_an_attached_file_off_the_draft(client, users, catalogue, media, vi):
    verified_client(client, users[Role.CITIZEN])
    resume = _to_components(client)
    _step(client, resume, 3, go="save", doc_don=upload("don-de-nghi.pdf"), doc_khac=upload("khac.pdf", "K"))
    removed = client.post(resume, {"remove_doc": "khac"}, follow=True)
    assert removed.redirect_chain[-1][0].endswith("step=3")
    body = removed.content.decode()
    assert "“Tài liệu khác” đã được gỡ khỏi hồ sơ." in body
    assert 'data-uploaded="don"' in body and 'data-uploaded="khac"' not in body
    draft = Dossier.objects.get()
    assert set(draft.documents.exclude(file=None).values_list("code", flat=True)) == {"don"}
    assert client.post(resume, {"remove_doc": "no-such-component"}).status_code == 404


class SelectiveClamd(FakeClamd):
    """The core fake clamd, answering FOUND only for a stream that carries the EICAR string."""

    _seen = 0

    @property
    def reply(self):
        current, self._seen = self.received[self._seen :], len(self.received)
        return b"stream: Eicar-Test-Signature FOUND" if EICAR in current else b"stream: OK"

    @reply.setter
    def reply(self, value):
        pass


def test_an_infected_file_is_refused_and_the_clean_one_stays(
    client, users, catalogue, media, tmp_path, settings
):
    scanner = SelectiveClamd(str(tmp_path / "clamd.sock"), b"")
    settings.CLAMD_SOCKET = scanner.path
    try:
        verified_client(client, users[Role.CITIZEN])
        resume = _to_components(client)
        infected = SimpleUploadedFile("giay-phep.pdf", pdf_bytes("GP") + b"\n%" + EICAR)
        page = _step(client, resume, 3, doc_don=upload("don-de-nghi.pdf"), doc_giayphep=infected)
        assert page.status_code == 200
        assert "nhiễm mã độc (Eicar-Test-Signature)" in page.content.decode()
        draft = Dossier.objects.get()
        _assert_kept_and_refused(page, draft)
        assert draft.documents.get().file.scan_status == "clean"
        _finish(client, resume, draft)
    finally:
        scanner.close()


# --------------------------------------------------------------------------- step 2 repeats step 1
def _with_applicant_fields(catalogue):
    """A procedure whose request form repeats the applicant's details (like the demo catalogue's)."""
    import dataclasses

    from apps.procedures.public import FieldSpec

    info = catalogue.versions[1]
    catalogue.versions[1] = dataclasses.replace(
        info,
        form_fields=(
            FieldSpec("ho_ten", "Họ và tên người đề nghị / tên tổ chức", "text", True, (), 255),
            FieldSpec("dia_chi", "Địa chỉ", "text", True, (), 500),
            FieldSpec("so_dien_thoai", "Số điện thoại", "phone", True),
            FieldSpec("lien_lac", "Thư điện tử liên lạc", "email", False),
            *info.form_fields,
        ),
    )


def _value(page, name) -> str:
    import re

    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page.content.decode())
    assert match, name
    return match.group(1)


def test_step_two_is_prefilled_with_the_applicant_of_step_one(client, users, catalogue, media):
    _with_applicant_fields(catalogue)
    verified_client(client, users[Role.CITIZEN])
    resume = _step(client, START, 1, **APPLICANT)["Location"].split("?")[0]
    page = client.get(resume + "?step=2")
    assert page.context["step"] == 2
    assert _value(page, "f_ho_ten") == "Nguyễn Văn An"
    assert _value(page, "f_dia_chi") == "12 Lê Duẩn, Buôn Ma Thuột"
    assert _value(page, "f_so_dien_thoai") == "0905123456"
    assert _value(page, "f_lien_lac") == "an@example.vn"  # by its type
    assert _value(page, "f_purpose") == ""  # the request's own fields stay the applicant's to fill
    # what the applicant typed in step 2 is kept, never overwritten by step 1
    _step(client, resume, 2, go="save", f_ho_ten="Công ty TNHH An Phát", f_purpose="X")
    again = client.get(resume + "?step=2")
    assert _value(again, "f_ho_ten") == "Công ty TNHH An Phát" and _value(again, "f_dia_chi") != ""


def test_step_one_is_prefilled_from_the_citizen_account(client, users, catalogue, media, submit):
    citizen = users[Role.CITIZEN]
    citizen.phone = "0912345678"
    citizen.save()
    verified_client(client, citizen)
    first = client.get(START)
    assert _value(first, "applicant_name") == citizen.full_name
    assert _value(first, "applicant_phone") == "0912345678"
    # applied before in their own name: the ID number and address of that dossier are offered
    submit(applicant={**APPLICANT, "applicant_name": citizen.full_name}, applicant_user=citizen)
    again = client.get(START)
    assert _value(again, "applicant_id_number") == APPLICANT["applicant_id_number"]
    assert _value(again, "applicant_address") == APPLICANT["applicant_address"]
    assert _value(again, "applicant_phone") == "0912345678"  # the account's own number first
