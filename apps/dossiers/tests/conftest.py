"""Fixtures: a fake procedure catalogue behind the one seam (apps.dossiers.catalogue)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.organizations.roles import Role
from apps.procedures.public import DocumentSpec, FieldSpec, ProcedureVersionInfo, StepSpec


def pdf_bytes(text: str = "Don de nghi") -> bytes:
    """A small valid PDF (WeasyPrint is installed for the project's documents)."""
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


_PDF_CACHE: dict[str, bytes] = {}


def upload(name: str = "don.pdf", text: str = "Don") -> SimpleUploadedFile:
    if text not in _PDF_CACHE:
        _PDF_CACHE[text] = pdf_bytes(text)
    return SimpleUploadedFile(name, _PDF_CACHE[text], content_type="application/pdf")


def version(
    version_id=1, *, unit_id=None, level=3, fee=True, days="10", channels=("online", "walk_in", "post")
):
    return ProcedureVersionInfo(
        version_id=version_id,
        procedure_id=version_id,
        code=f"1.00{version_id}",
        name=f"Cấp giấy phép tiến hành công việc bức xạ {version_id}",
        field="An toàn bức xạ và hạt nhân",
        competent_unit_id=unit_id,
        processing_days=Decimal(days),
        steps=(
            StepSpec("receive", "Tiếp nhận", Role.ONE_STOP_OFFICER, Decimal("0.5")),
            StepSpec("assign", "Phân công", Role.LEADER, Decimal("0.5")),
            StepSpec("head", "Phân công phòng", Role.UNIT_HEAD, Decimal("1")),
            StepSpec("review", "Thẩm định", Role.SPECIALIST, Decimal(days) - 3),
            StepSpec("approve", "Phê duyệt", Role.LEADER, Decimal("1")),
        ),
        documents=(
            DocumentSpec("don", "Đơn đề nghị", "original", 1, True, None),
            DocumentSpec("giayphep", "Bản sao giấy chứng nhận", "copy", 1, True, None),
            DocumentSpec("khac", "Tài liệu khác", "either", 1, False, None),
        ),
        form_fields=(FieldSpec("purpose", "Mục đích", "text", True, (), 200),),
        has_fee=fee,
        legacy_level=level,
        online_level="full",
        channels=frozenset(channels),
        result_type="Giấy phép",
        effective_from=dt.date(2021, 1, 1),
    )


class FakeCatalogue:
    def __init__(self):
        self.versions = {}

    def add(self, info):
        self.versions[info.version_id] = info
        return info

    def get_version(self, version_id):
        try:
            return self.versions[int(version_id)]
        except (KeyError, ValueError, TypeError) as exc:
            raise LookupError(version_id) from exc

    def current_version(self, procedure_id, on=None):
        return self.versions.get(procedure_id)

    def published_versions(self, *, field=None, search=""):
        from apps.core.text import normalize

        wanted = normalize(search)
        return [v for v in self.versions.values() if wanted in normalize(f"{v.name} {v.code}")]

    def compute_fee(self, version_id, data):
        return Decimal("500000") if self.versions[version_id].has_fee else Decimal(0)

    def validate_form(self, version_id, data):
        purpose = (data or {}).get("purpose", "").strip()
        if not purpose:
            raise ValidationError({"purpose": ["Nhập mục đích."]})
        return {"purpose": purpose}

    def procedure_url(self, procedure_id):
        return f"/thu-tuc/{procedure_id}/"


@pytest.fixture
def catalogue(monkeypatch, tree):
    from apps.dossiers import catalogue as seam

    fake = FakeCatalogue()
    fake.add(version(1, unit_id=tree["tech"].pk))
    fake.add(version(2, unit_id=tree["tech"].pk, level=2, fee=False, channels=("walk_in", "post")))
    monkeypatch.setattr(seam, "procedures_public", fake)
    return fake


APPLICANT = {
    "applicant_name": "Nguyễn Văn An",
    "applicant_id_number": "066090001234",
    "applicant_address": "12 Lê Duẩn, Buôn Ma Thuột",
    "applicant_phone": "0905123456",
    "applicant_email": "an@example.vn",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = ""
    return tmp_path / "media"


def monday_9am():
    return timezone.make_aware(dt.datetime(2026, 11, 23, 9, 0))


@pytest.fixture
def submit(catalogue, tree, media):
    from apps.dossiers import services

    def make(
        *, version_id=1, channel="online", actor=None, at=None, key=None, uploads=None, applicant=None, **kw
    ):
        return services.create_dossier(
            version_id=version_id,
            desk=tree["office"],
            channel=channel,
            applicant=applicant or APPLICANT,
            form_data={"purpose": "Sử dụng thiết bị X-quang"},
            uploads=uploads
            if uploads is not None
            else {"don": upload("don.pdf"), "giayphep": upload("gp.pdf", "GP")},
            actor=actor,
            idempotency_key=key,
            at=at or monday_9am(),
            **kw,
        )

    return make


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests compare messages with their English source text (the msgids), not the Vietnamese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
