"""The result PDF is sealed with the organisation's key and its seal is checked on download."""

import pytest
from django.urls import reverse

from apps.core.signing import trust_roots, verify_pdf
from apps.dossiers import result_signing
from apps.dossiers.models import Dossier, State
from apps.organizations.roles import Role

from .test_flow import run_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def pki(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SIGNING_PKI_DIR", raising=False)
    settings.SIGNING_PKI_DIR = tmp_path / "pki"
    settings.SIGNING_TRUST_DEMO_CA = True
    result_signing.write_demo_seal()
    return tmp_path / "pki"


def _result_bytes(dossier):
    with dossier.result_file.file.open("rb") as handle:
        return handle.read()


def _status_client(client, dossier):
    session = client.session
    session["dossiers_status_ok"] = [dossier.pk]
    session.save()
    return client


def test_result_is_sealed_and_verified_on_download(client, users, submit, tree, pki):
    dossier = run_to(submit(), users, State.RESULT_READY, tree)
    reports = verify_pdf(_result_bytes(dossier), trust_roots())
    assert len(reports) == 1 and reports[0].ok
    assert "Khoa học và Công nghệ" in reports[0].signer_name

    response = _status_client(client, dossier).get(reverse("dossiers:status_result", args=[dossier.pk]))
    assert response.status_code == 200
    assert response["X-Signature-Verified"] == "yes"


def test_a_tampered_result_is_not_handed_out(client, users, submit, tree, pki):
    dossier = run_to(submit(), users, State.RESULT_READY, tree)
    data = bytearray(_result_bytes(dossier))
    index = data.find(b"/Contents (") if b"/Contents (" in data else len(data) // 3
    data[index + 200] = (data[index + 200] + 1) % 256  # one byte changed inside the signed range
    with dossier.result_file.file.open("wb") as handle:
        handle.write(bytes(data))

    response = _status_client(client, dossier).get(
        reverse("dossiers:status_result", args=[dossier.pk]), follow=True
    )
    assert response.status_code == 200
    assert response.get("Content-Disposition") is None
    assert "failed its signature check" in response.content.decode()


def test_without_a_key_the_result_is_unsigned_and_says_so(client, users, submit, tree, settings, tmp_path):
    settings.SIGNING_PKI_DIR = tmp_path / "empty"
    dossier = run_to(submit(), users, State.RESULT_READY, tree)
    assert verify_pdf(_result_bytes(dossier), trust_roots()) == []
    response = _status_client(client, dossier).get(reverse("dossiers:status_result", args=[dossier.pk]))
    assert response.status_code == 200 and response["X-Signature-Verified"] == "unsigned"


def test_a_wrong_key_password_stops_the_result_with_a_message(users, submit, tree, pki, settings):
    settings.DOSSIERS_SEAL_P12 = str(pki / f"{result_signing.DEMO_SEAL}.p12")
    settings.DOSSIERS_SEAL_PASSWORD = "wrong"
    dossier = run_to(submit(), users, State.APPROVED, tree)
    from apps.dossiers import services
    from apps.dossiers.workflow import TransitionError

    with pytest.raises(TransitionError, match="could not be signed"):
        services.act(dossier.pk, "issue_result", actor=users[Role.SPECIALIST])
    assert Dossier.objects.get(pk=dossier.pk).state == State.APPROVED
