"""Issue #18, point 10c: the signer's certificate and the document they sign name the same position,
the one the organisation holds for the signer (their membership), not what a draft or a fixed demo
list said."""

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.urls import reverse
from django.utils import translation

from apps.accounts.demo import seed_foundation
from apps.core.signing import pki, trust_roots, verify_pdf
from apps.documents import services
from apps.documents.demo import DEMO_KEY_PASSWORD, pki_signers
from apps.documents.models import SigningKey
from apps.documents.signing_keys import signer_identity
from apps.organizations.models import Membership

from .conftest import KEY_PASSWORD

pytestmark = pytest.mark.django_db


def _cert_title(path, password):
    _key, cert, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode())
    return [a.value for a in cert.subject.get_attributes_for_oid(NameOID.TITLE)]


def test_demo_certificate_takes_the_title_of_the_signers_membership(settings, tmp_path):
    settings.SIGNING_PKI_DIR = str(tmp_path)
    seed_foundation()
    membership = Membership.objects.get(user__username="lanhdao")
    paths = pki.write_demo_pki(tmp_path, pki_signers(), DEMO_KEY_PASSWORD)
    assert _cert_title(paths["lanhdao"], DEMO_KEY_PASSWORD) == [membership.title] == ["Phó Giám đốc"]
    assert _cert_title(paths["dinh-khac-tuan"], DEMO_KEY_PASSWORD) == ["Giám đốc"]

    # Promoted: the next run issues the key again with the new position (the CA stays the same).
    ca_before = (tmp_path / "ca.pem").read_bytes()
    membership.title = "Giám đốc"
    membership.save(update_fields=["title"])
    again = pki.write_demo_pki(tmp_path, pki_signers(), DEMO_KEY_PASSWORD)
    assert again["created"] == 1
    assert _cert_title(paths["lanhdao"], DEMO_KEY_PASSWORD) == ["Giám đốc"]
    assert (tmp_path / "ca.pem").read_bytes() == ca_before


def test_a_deputy_signing_a_draft_written_for_the_director_is_named_with_their_own_title(
    client, actors, tree, doc_types, test_ca, settings, tmp_path
):
    from conftest import verified_client

    leader = actors["leader"]  # "Đinh Khắc Tuấn", a deputy director in this test
    Membership.objects.filter(user=leader).update(title="Phó Giám đốc")
    name, title = signer_identity(leader, tree["agency"])
    assert (name, title) == ("Đinh Khắc Tuấn", "Phó Giám đốc")
    leaf = pki.issue_signer(test_ca, name, organization="Sở KH&CN", title=title)
    (tmp_path / "leader.p12").write_bytes(pki.to_pkcs12(leaf, KEY_PASSWORD, chain=[test_ca.certificate]))
    assert SigningKey.objects.filter(user=leader, path="leader.p12").exists()

    doc = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["KH"],
        summary="Kế hoạch chuyển đổi số",
        composition={"body": "Nội dung", "signer_name": "Đinh Khắc Tuấn", "signer_title": "Giám đốc"},
    )
    services.submit_for_review(actors["specialist"], doc, reviewers=[leader])
    services.review(leader, doc, approve=True)
    services.number_outgoing(actors["clerk"], doc)
    doc = services.sign_outgoing(leader, doc, code="code1", key_password=KEY_PASSWORD)
    assert (doc.signer_name, doc.signer_title) == ("Đinh Khắc Tuấn", "Phó Giám đốc")

    with translation.override("vi"):
        report = verify_pdf(services.read_bytes(doc.signed_file), trust_roots())[0]
        assert "Chức danh: Phó Giám đốc" in report.certificate_subject
    settings.LANGUAGE_CODE = "vi"
    html = verified_client(client, actors["clerk"]).get(reverse("documents:outgoing_detail", args=[doc.pk]))
    text = html.content.decode()
    assert "Đinh Khắc Tuấn, Phó Giám đốc" in text and "Đinh Khắc Tuấn, Giám đốc" not in text
