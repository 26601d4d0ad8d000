import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.signing import pki
from apps.organizations.roles import Role

KEY_PASSWORD = "mật-khẩu-khóa"
SEAL_PASSWORD = "mật-khẩu-dấu"


@pytest.fixture(scope="session")
def pdf_bytes():
    import weasyprint

    return weasyprint.HTML(
        string="<h1>CÔNG VĂN</h1><p>Về việc báo cáo tình hình chuyển đổi số tỉnh Đắk Lắk năm 2022</p>"
    ).write_pdf()


@pytest.fixture
def pdf_upload(pdf_bytes):
    def make(name="van-ban.pdf"):
        return SimpleUploadedFile(name, pdf_bytes, content_type="application/pdf")

    return make


@pytest.fixture(scope="session")
def test_ca():
    return pki.make_demo_ca("CA kiểm thử văn bản")


@pytest.fixture
def actors(make_user, tree, settings, tmp_path, test_ca):
    """Clerk, leader, unit head and specialist of the test agency, with keys and second factors."""
    from django_otp.plugins.otp_static.models import StaticDevice

    from apps.documents.models import IssuerCode, SigningKey

    settings.SIGNING_PKI_DIR = str(tmp_path)
    (tmp_path / "ca.pem").write_bytes(test_ca.pem())
    people = {
        "clerk": make_user(Role.CLERK, username="vanthu"),
        "leader": make_user(Role.LEADER, username="lanhdao"),
        "head": make_user(Role.UNIT_HEAD, username="truongphong"),
        "specialist": make_user(Role.SPECIALIST, username="chuyenvien"),
        "other_clerk": make_user(Role.CLERK, username="vanthu-syt", unit="other_unit"),
    }
    people["leader"].full_name = "Đinh Khắc Tuấn"
    people["leader"].save()
    for user in people.values():
        device = StaticDevice.objects.create(user=user, name="test", confirmed=True)
        for i in range(5):
            device.token_set.create(token=f"code{i}")
    leaf = pki.issue_signer(test_ca, "Đinh Khắc Tuấn", organization="Sở KH&CN")
    (tmp_path / "leader.p12").write_bytes(pki.to_pkcs12(leaf, KEY_PASSWORD, chain=[test_ca.certificate]))
    SigningKey.objects.create(
        kind="personal", user=people["leader"], path="leader.p12", display_name="Đinh Khắc Tuấn"
    )
    seal = pki.issue_signer(test_ca, "Sở KH&CN", organization="Sở KH&CN")
    (tmp_path / "seal.p12").write_bytes(pki.to_pkcs12(seal, SEAL_PASSWORD, chain=[test_ca.certificate]))
    SigningKey.objects.create(
        kind="seal", organization=tree["agency"], path="seal.p12", display_name="Sở KH&CN"
    )
    IssuerCode.objects.create(organization=tree["agency"], code="SKHCN")
    IssuerCode.objects.create(organization=tree["office"], code="VP")
    return people


@pytest.fixture
def doc_types(db):
    from apps.documents.catalogue import ensure_document_types
    from apps.documents.models import DocumentType

    ensure_document_types()  # a transactional test before this one flushed the migration's rows
    return {t.abbreviation or t.name: t for t in DocumentType.objects.all()}
