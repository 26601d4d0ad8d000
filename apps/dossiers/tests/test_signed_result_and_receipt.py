"""The officer attaches the real signed licence as the result (its signature verified), and the paid
fee has an electronic receipt (biên lai điện tử) for the citizen and the staff (issue #18.6)."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.counters.models import Counter
from apps.dossiers import payments, result_signing, services
from apps.dossiers.models import State
from apps.dossiers.workflow import TransitionError
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import pdf_bytes
from .test_flow import run_to
from .test_payments import SECRET, notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def pki(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SIGNING_PKI_DIR", raising=False)
    settings.SIGNING_PKI_DIR = tmp_path / "pki"
    settings.SIGNING_TRUST_DEMO_CA = True
    result_signing.write_demo_seal()


@pytest.fixture
def vi(settings):
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        yield


def licence(signed=True) -> bytes:
    pdf = pdf_bytes("Giay phep tien hanh cong viec buc xa so 12/GP-SKHCN")
    return result_signing.seal(pdf, reference="12/GP-SKHCN")[0] if signed else pdf


def tampered() -> bytes:
    data = bytearray(licence())
    index = data.find(b"/Contents (") if b"/Contents (" in data else len(data) // 3
    data[index + 200] = (data[index + 200] + 1) % 256  # one byte changed inside the signed range
    return bytes(data)


def _issue(client, dossier, data: bytes, number="12/GP-SKHCN"):
    return client.post(
        reverse("dossiers:act", args=[dossier.pk, "issue_result"]),
        {
            "version": dossier.version,
            "note": "Cấp giấy phép",
            "result_number": number,
            "signed_result": SimpleUploadedFile("giay-phep-12.pdf", data, content_type="application/pdf"),
        },
        follow=True,
    )


def _result_counter_value():
    return sum(Counter.objects.filter(key=services.RESULT_KEY).values_list("value", flat=True))


def test_the_signed_licence_is_the_result_with_its_verdict_shown(client, users, submit, tree, pki, vi):
    dossier = run_to(submit(), users, State.APPROVED, tree)
    signed = licence()
    verified_client(client, users[Role.SPECIALIST])
    page = _issue(client, dossier, signed)
    dossier.refresh_from_db()
    assert dossier.state == State.RESULT_READY and dossier.result_number == "12/GP-SKHCN"
    with dossier.result_file.file.open("rb") as handle:
        assert handle.read() == signed  # kept byte for byte, not sealed a second time
    assert _result_counter_value() == 0  # the licence's own number: no register number taken
    body = page.content.decode()
    assert 'id="result-signature"' in body and "Chữ ký số hợp lệ: Sở Khoa học và Công nghệ" in body
    row = dossier.history.get(action="issue_result")
    assert "chữ ký hợp lệ" in row.note
    # the citizen's download checks the signature again
    session = client.session
    session["dossiers_status_ok"] = [dossier.pk]
    session.save()
    download = client.get(reverse("dossiers:status_result", args=[dossier.pk]))
    assert download.status_code == 200 and download["X-Signature-Verified"] == "yes"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: licence(signed=False), "không có chữ ký số"),
        (tampered, "Chữ ký số của tệp kết quả không hợp lệ"),
    ],
    ids=["unsigned", "tampered"],
)
def test_an_unsigned_or_altered_licence_is_refused(client, users, submit, tree, pki, vi, data, message):
    dossier = run_to(submit(), users, State.APPROVED, tree)
    verified_client(client, users[Role.SPECIALIST])
    page = _issue(client, dossier, data())
    assert message in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.APPROVED and not dossier.result_number and not dossier.result_file_id
    with pytest.raises(TransitionError):
        services.act(
            dossier.pk,
            "issue_result",
            actor=users[Role.SPECIALIST],
            signed_file=SimpleUploadedFile("x.pdf", data()),
        )


def test_without_an_upload_the_generated_result_is_issued_as_before(users, submit, tree, pki):
    dossier = run_to(submit(), users, State.APPROVED, tree)
    dossier = services.act(dossier.pk, "issue_result", actor=users[Role.SPECIALIST], result_number="ignored")
    assert dossier.state == State.RESULT_READY and dossier.result_number != "ignored"
    assert _result_counter_value() == 1


# --------------------------------------------------------------------------- electronic fee receipt
def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture
def paid(submit, users, settings):
    settings.PAYMENT_SANDBOX_SECRET = SECRET
    dossier = submit(applicant_user=users[Role.CITIZEN])
    payment = payments.start_payment(dossier, gateway=payments.get_gateway())
    payments.handle_callback(payments.get_gateway(), notice(payment))
    dossier.refresh_from_db()
    return dossier


def test_the_citizen_who_paid_gets_a_printable_receipt(client, users, paid, vi):
    payment = paid.payments.get()
    year = timezone.localdate().year % 100
    assert payment.receipt_number == f"BL{year:02d}-000001"
    verified_client(client, users[Role.CITIZEN])
    status = client.get(reverse("dossiers:status_detail", args=[paid.pk])).content.decode()
    assert 'id="fee-receipt"' in status and "Biên lai thu phí, lệ phí điện tử (PDF)" in status
    response = client.get(reverse("dossiers:status_fee_receipt", args=[paid.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and payment.receipt_number in text
    assert "Tên người nộp: Nguyễn Văn An" in text
    assert "Số tiền: 500.000 đồng" in text and "Bằng chữ: Năm trăm nghìn đồng" in text
    assert paid.procedure_name in text and paid.code in text and payment.reference in text
    assert timezone.localtime(payment.paid_at).strftime("%d/%m/%Y") in text


def test_staff_reach_the_receipt_and_strangers_do_not(client, users, paid, make_user, submit):
    verified_client(client, users[Role.ONE_STOP_OFFICER])
    detail = client.get(reverse("dossiers:detail", args=[paid.pk])).content.decode()
    assert 'id="fee-receipt"' in detail
    assert client.get(reverse("dossiers:fee_receipt", args=[paid.pk])).status_code == 200
    stranger = verified_client(Client(), make_user(Role.CITIZEN, username="nguoi-la"))
    assert stranger.get(reverse("dossiers:status_fee_receipt", args=[paid.pk])).status_code == 404
    unpaid = submit()
    assert client.get(reverse("dossiers:fee_receipt", args=[unpaid.pk])).status_code == 404
