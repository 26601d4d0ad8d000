"""Issue #16: hostile files on every upload and import page, sent through the HTTP views.

Each case posts one hostile file to a real page as the role that uses it and checks what the
user sees and what the system keeps: no 5xx, a Vietnamese message (with its diacritics), no
StoredFile row, no byte under MEDIA_ROOT and no new record of what the page creates.

Paths (`PATHS`): online dossier submission and the one-stop walk-in form, incoming document
registration, the signature verification page and POST /api/v1/documents/signatures/verify/,
the IT asset import and the antivirus console import (CSV), the techassess bulk import, the
procedure catalogue import, and portal media (Wagtail documents and images in the content admin).

Kinds (`KINDS`, builders in hostile.py): EICAR, an executable named like the page's file, an
HTML-first and a PDF-first PDF/HTML polyglot, a file one byte over the page's limit, a DOCX and
an XLSX zip bomb, a truncated PDF, a PDF of garbage after its header, a PDF with a broken xref.

Pairs left out of the matrix, and why:
- PDF kinds (polyglot_pdf_first, truncated, malformed, broken xref) on the import pages and on
  Wagtail images: those pages take only CSV/XLSX or pictures; a PDF sent there is refused by its
  type like the executable, which is in the matrix for every page.
- docx_bomb where the page takes no DOCX (imports, verification, images) and xlsx_bomb where it
  takes no XLSX (verification, incoming documents, images): the bytes would be refused by their
  type before anything unpacks them, as the executable already shows.
- The signature verification page and endpoint keep nothing and use no file name, so the three
  hostile-name cases skip them, and so does the PDF-first polyglot: a well-formed PDF whose header
  is also a web page harms only where it is kept and served back; verification answers "no
  digital signature" for it. Their "nothing stored" is checked for every other kind.

Hostile names (`test_hostile_name_*`) are not refused: Django's multipart parser drops folders
and control characters and cuts names to 255 characters before a view sees them, so the page
receives an ordinary name. What the user would notice is checked instead: no 5xx, nothing
written outside MEDIA_ROOT, and the name kept is clean.

Formula injection (`test_formula_*`): a cell starting with = + - @ tab or CR, entered as an asset
name or a dossier applicant's name, reaches the Excel export as text that Excel does not run.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from apps.core.files import intake
from apps.core.files.models import StoredFile
from apps.organizations.roles import Role
from conftest import verified_client

from . import hostile
from .test_files import clamd, make_pdf, make_png, make_xlsx  # noqa: F401 - clamd is a fixture

pytestmark = pytest.mark.django_db

VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ]")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A private MEDIA_ROOT and, unless a case enables the real clamd, no virus scanner."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = ""
    settings.LANGUAGE_CODE = "vi"
    settings.TECHASSESS_UNIT_CODE = "t-qlcn"
    return tmp_path / "media"


# --------------------------------------------------------------------------- the pages
@dataclass
class UploadPath:
    id: str
    role: str
    url: str  # a URL name, or a path
    field: str  # the file input's name
    takes: frozenset[str]  # extensions the page accepts
    setup: str  # fixture that prepares what the page needs; returns the other form fields
    records: tuple[str, ...] = ()  # "app_label.Model" rows this page creates
    url_args: tuple = ()
    api: bool = False
    stores: bool = True
    extra_files: dict = field(default_factory=dict)  # other required files, valid ones

    @property
    def main_ext(self) -> str:
        return next(e for e in (".pdf", ".csv", ".xlsx", ".png") if e in self.takes)

    def address(self) -> str:
        return self.url if self.url.startswith("/") else reverse(self.url, args=self.url_args)


PDF_DOCS = frozenset({".pdf", ".docx", ".xlsx"})
PATHS = [
    UploadPath(
        "dossier_online",
        Role.CITIZEN,
        "dossiers:submit_online",
        "doc_don",
        PDF_DOCS,
        "online_fields",
        ("dossiers.Dossier",),
        url_args=(1,),
        extra_files={"doc_giayphep": ("giay-phep.pdf", "pdf")},
    ),
    UploadPath(
        "dossier_walk_in",
        Role.ONE_STOP_OFFICER,
        "dossiers:walk_in",
        "doc_don",
        PDF_DOCS,
        "walk_in_fields",
        ("dossiers.Dossier",),
    ),
    UploadPath(
        "incoming_document",
        Role.CLERK,
        "documents:incoming_create",
        "file",
        frozenset({".pdf", ".docx"}),
        "incoming_fields",
        ("documents.IncomingDocument", "documents.Attachment"),
    ),
    UploadPath(
        "signature_page",
        Role.SPECIALIST,
        "documents:verify",
        "file",
        frozenset({".pdf"}),
        "no_fields",
        stores=False,
    ),
    UploadPath(
        "signature_api",
        Role.SPECIALIST,
        "api:documents:signature_check",
        "file",
        frozenset({".pdf"}),
        "no_fields",
        api=True,
        stores=False,
    ),
    UploadPath(
        "asset_import",
        Role.IT_OFFICER,
        "itsec:import_start",
        "file",
        frozenset({".csv", ".xlsx"}),
        "asset_import_fields",
        ("itsec.ImportJob", "itsec.Asset"),
    ),
    UploadPath(
        "antivirus_console_import",
        Role.IT_OFFICER,
        "itsec:import_start",
        "file",
        frozenset({".csv", ".xlsx"}),
        "console_import_fields",
        ("itsec.ImportJob", "itsec.Asset"),
    ),
    UploadPath(
        "techassess_import",
        Role.SPECIALIST,
        "techassess:import_start",
        "file",
        frozenset({".xlsx"}),
        "techassess_fields",
        ("techassess.ImportJob", "techassess.Survey", "techassess.Enterprise"),
    ),
    UploadPath(
        "procedure_import",
        Role.ADMINISTRATOR,
        "procedures:staff_import",
        "file",
        frozenset({".csv", ".xlsx"}),
        "no_fields",
        ("procedures.Procedure", "procedures.ProcedureVersion"),
    ),
    UploadPath(
        "portal_document",
        Role.EDITOR,
        "wagtaildocs:add",
        "file",
        frozenset({".pdf", ".docx", ".xlsx"}),
        "wagtail_fields",
        ("wagtaildocs.Document",),
    ),
    UploadPath(
        "portal_image",
        Role.EDITOR,
        "wagtailimages:add",
        "file",
        frozenset({".png"}),
        "wagtail_fields",
        ("wagtailimages.Image",),
    ),
]
BY_ID = {p.id: p for p in PATHS}


# --------------------------------------------------------------------------- what each page needs
@pytest.fixture
def no_fields():
    return {}


@pytest.fixture
def online_fields(dossier_catalogue):
    from apps.dossiers.tests.conftest import APPLICANT

    return {**APPLICANT, "f_purpose": "Sử dụng thiết bị X-quang", "idempotency_key": "hostile-online"}


@pytest.fixture
def walk_in_fields(dossier_catalogue):
    from apps.dossiers.tests.conftest import APPLICANT

    return {**APPLICANT, "version": 2, "f_purpose": "Kiểm định", "idempotency_key": "hostile-walk-in"}


@pytest.fixture
def dossier_catalogue(monkeypatch, tree):
    from apps.dossiers import catalogue as seam
    from apps.dossiers.tests.conftest import FakeCatalogue, version

    fake = FakeCatalogue()
    fake.add(version(1, unit_id=tree["tech"].pk))
    fake.add(version(2, unit_id=tree["tech"].pk, level=2, fee=False, channels=("walk_in", "post")))
    monkeypatch.setattr(seam, "procedures_public", fake)
    return fake


@pytest.fixture
def incoming_fields(db):
    from apps.documents.catalogue import ensure_document_types
    from apps.documents.models import DocumentType

    ensure_document_types()
    return {
        "doc_type": DocumentType.objects.get(abbreviation="BC").pk,
        "number_symbol": "16/BC-UBND",
        "sender_name": "UBND tỉnh Đắk Lắk",
        "summary": "Báo cáo an toàn thông tin",
        "urgency": "normal",
        "confidentiality": "normal",
        "pages": 1,
    }


def _import_fields(key, tree):
    from apps.itsec.demo import ensure_mappings
    from apps.itsec.models import ImportMapping
    from apps.itsec.tests.factories import computer_class

    computer_class()
    ensure_mappings()
    return {"mapping": ImportMapping.objects.get(key=key).pk, "organization": tree["tech"].pk}


@pytest.fixture
def asset_import_fields(tree):
    return _import_fields("danh-muc-tai-san", tree)


@pytest.fixture
def console_import_fields(tree):
    return _import_fields("kaspersky-ksc", tree)


@pytest.fixture
def techassess_fields(db):
    from apps.techassess import services
    from apps.techassess.demo import ensure_notification_templates

    ensure_notification_templates()
    services.ensure_bundled()
    return {}


@pytest.fixture
def wagtail_fields(db):
    from wagtail.models import Collection

    from apps.portal.site_setup import ensure_editorial_groups

    ensure_editorial_groups()
    return {"title": "Tệp thử", "collection": Collection.get_first_root_node().pk}


# --------------------------------------------------------------------------- the kinds
def _oversized(path: UploadPath) -> bytes:
    limit = PAGE_LIMITS[path.id]
    return hostile.padded_pdf(limit + 1) if path.main_ext == ".pdf" else b"\0" * (limit + 1)


# The limit each page enforces (its intake purpose, or the verification limit).
PAGE_LIMITS = {
    "dossier_online": 10 * intake.MB,
    "dossier_walk_in": 10 * intake.MB,
    "incoming_document": 50 * intake.MB,
    "signature_page": 50 * intake.MB,
    "signature_api": 50 * intake.MB,
    "asset_import": 20 * intake.MB,
    "antivirus_console_import": 20 * intake.MB,
    "techassess_import": 20 * intake.MB,
    "procedure_import": 5 * intake.MB,
    "portal_document": 20 * intake.MB,
    "portal_image": 10 * intake.MB,
}

# kind -> (needs the page to take this extension or None = any, builder, file name extension or None
# = the page's own, the Vietnamese words the refusal must contain — any one of them)
TYPE_WORDS = ("không khớp", "không được chấp nhận", "không phải là tài liệu PDF", "Chỉ chấp nhận")
KINDS = {
    "eicar": (None, lambda p: hostile.eicar(), None, ("nhiễm mã độc", *TYPE_WORDS)),
    "executable": (None, lambda p: hostile.executable(), None, TYPE_WORDS),
    "polyglot_html_first": (None, lambda p: hostile.polyglot_html_first(), None, TYPE_WORDS),
    "polyglot_pdf_first": (
        ".pdf",
        lambda p: hostile.polyglot_pdf_first(),
        ".pdf",
        ("mã trang web", "bị hỏng"),
    ),
    "oversized": (None, _oversized, None, ("vượt quá dung lượng", "quá lớn", "lớn hơn")),
    "docx_bomb": (".docx", lambda p: hostile.docx_bomb(), ".docx", ("giải nén",)),
    "xlsx_bomb": (".xlsx", lambda p: hostile.xlsx_bomb(), ".xlsx", ("giải nén",)),
    "truncated_pdf": (".pdf", lambda p: hostile.truncated_pdf(), ".pdf", ("bị hỏng",)),
    "malformed_pdf": (".pdf", lambda p: hostile.malformed_pdf(), ".pdf", ("bị hỏng",)),
    "broken_xref_pdf": (".pdf", lambda p: hostile.broken_xref_pdf(), ".pdf", ("bị hỏng",)),
}


# A PDF that is also a web page harms only where it is kept and served back; verification keeps
# nothing and answers "no signature" for it.
KEEPS_NOTHING_ANYWAY = {"polyglot_pdf_first"}


def matrix():
    for path in PATHS:
        for kind, (needs, *_rest) in KINDS.items():
            if (needs is None or needs in path.takes) and (path.stores or kind not in KEEPS_NOTHING_ANYWAY):
                marks = [pytest.mark.clamav] if kind == "eicar" else []
                yield pytest.param(path.id, kind, id=f"{path.id}-{kind}", marks=marks)


# --------------------------------------------------------------------------- driving a page
def _valid(kind: str) -> bytes:
    return {"pdf": make_pdf("hop le"), "png": make_png(), "xlsx": make_xlsx()}[kind]


def _count(records) -> dict[str, int]:
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in records}


def _post(client, path: UploadPath, fields: dict, name: str, data: bytes):
    files = {path.field: (name, data)}
    files.update({k: (n, _valid(kind)) for k, (n, kind) in path.extra_files.items()})
    body, content_type = hostile.multipart(fields, files)
    return client.post(path.address(), body, content_type=content_type)


def _message(response, path: UploadPath) -> str:
    if path.api:
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.fixture
def page(request, client, users):
    """(client signed in as the page's role, the page's other form fields) for `path_id`."""

    def open_page(path: UploadPath):
        fields = request.getfixturevalue(path.setup)
        return verified_client(client, users[path.role]), fields

    return open_page


@pytest.mark.parametrize(("path_id", "kind"), list(matrix()))
def test_hostile_file_is_refused_in_vietnamese_and_nothing_is_kept(request, page, media, path_id, kind):
    path = BY_ID[path_id]
    if kind == "eicar":
        request.getfixturevalue("clamd")
    _needs, build, ext, words = KINDS[kind]
    c, fields = page(path)
    before = _count(path.records)

    response = _post(c, path, fields, f"ho-so-thu{ext or path.main_ext}", build(path))

    assert response.status_code < 500
    text = _message(response, path)
    found = [w for w in words if w in text]
    assert found, f"no refusal among {words} in the {response.status_code} answer:\n{_visible(text)[:1500]}"
    assert VIETNAMESE.search(found[0]) or VIETNAMESE.search(_visible(text))
    assert StoredFile.objects.count() == 0
    assert hostile.files_under(media) == []
    assert _count(path.records) == before


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------- hostile names
NAME_PATHS = [p.id for p in PATHS if p.stores]


@pytest.mark.parametrize("name_kind", list(hostile.HOSTILE_NAMES))
@pytest.mark.parametrize("path_id", NAME_PATHS)
def test_hostile_name_reaches_no_folder_and_is_kept_clean(page, media, path_id, name_kind):
    path = BY_ID[path_id]
    c, fields = page(path)
    name = hostile.HOSTILE_NAMES[name_kind].format(ext=path.main_ext)
    data = _valid_for(path)
    outside = "/tmp/cqs-hostile-escape" + path.main_ext
    if os.path.exists(outside):
        os.remove(outside)

    response = _post(c, path, fields, name, data)

    assert response.status_code < 500, _visible(response.content.decode())[:1500]
    assert not os.path.exists(outside)
    root = os.path.realpath(media)
    for stored_path in hostile.files_under(media):
        assert os.path.realpath(stored_path).startswith(root + os.sep)
        assert len(os.path.basename(stored_path)) <= 255
    for original in StoredFile.objects.values_list("original_name", flat=True):
        assert "/" not in original and "\\" not in original and ".." not in original
        assert len(original) <= 255
        assert not any(ord(ch) < 32 or ch in "\u202e\x7f" for ch in original)


def _valid_for(path: UploadPath) -> bytes:
    if path.main_ext == ".pdf":
        return make_pdf("ten tep la")
    if path.main_ext == ".png":
        return make_png()
    if path.id == "techassess_import":
        return make_xlsx()
    if path.id == "procedure_import":
        return "code,name_vi,field_vi\n,Thủ tục thử tên tệp,Khoa học và công nghệ\n".encode()
    return "Tên,Số sê-ri\nMáy tính,SN-1\n".encode()


# --------------------------------------------------------------------------- a clean file still passes
@pytest.mark.parametrize("path_id", [p.id for p in PATHS if p.stores])
def test_a_clean_file_is_still_accepted_on_every_page(page, media, path_id):
    """The control case of the matrix: the same pages take an ordinary file of their kind."""
    path = BY_ID[path_id]
    c, fields = page(path)
    before = _count(path.records)
    response = _post(c, path, fields, f"tep-hop-le{path.main_ext}", _valid_for(path))
    assert response.status_code == 302, _visible(response.content.decode())[:1500]
    after = _count(path.records)
    assert after[path.records[0]] == before[path.records[0]] + 1


# --------------------------------------------------------------------------- formula injection
# Each start that makes a spreadsheet evaluate a cell (OWASP, CSV injection).
FORMULAS = [
    hostile.FORMULA,
    '+HYPERLINK("http://evil.example","x")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '\t=HYPERLINK("http://evil.example","x")',
    '\r=HYPERLINK("http://evil.example","x")',
]


def _assert_text_cells(xlsx: bytes, wanted: list[str]) -> None:
    """Every wanted text is in the sheet as a string cell, and the sheet has no formula at all."""
    import zipfile

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cells = {}
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cells.setdefault(cell.value.strip(), cell)
    for text in wanted:
        cell = cells.get(text.strip()) or next(
            (c for v, c in cells.items() if v.startswith(text.strip())), None
        )
        assert cell is not None, f"{text!r} is not in the export"
        assert cell.data_type == "s", f"{text!r} was written as {cell.data_type!r}"
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_formula_typed_as_asset_names_is_exported_as_text(page, media, django_capture_on_commit_callbacks):
    from apps.itsec.models import Asset

    path = BY_ID["asset_import"]
    c, fields = page(path)
    header = ["Mã tài sản", "Loại", "Tên", "Số sê-ri", "Đơn vị", "Ngày mua", "Nguyên giá", "Mục đích"]
    rows = [
        [f"MT-F{i}", "Máy tính", name, f"SN-F{i}", "t-qlcn", "01/01/2020", "12500000", "Làm việc"]
        for i, name in enumerate(FORMULAS)
    ]
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(c, path, fields, "tai-san.csv", out.getvalue().encode())
    assert response.status_code == 302
    assert Asset.objects.count() == len(FORMULAS), Asset.objects.values_list("name", flat=True)

    export = c.get(reverse("itsec:asset_list") + "?export=xlsx")
    assert export.status_code == 200
    _assert_text_cells(export.content, FORMULAS)


def test_formula_as_a_dossier_applicant_name_is_exported_as_text(page, client, users, media):
    from apps.dossiers.models import Dossier

    path = BY_ID["dossier_online"]
    c, fields = page(path)
    response = _post(c, path, {**fields, "applicant_name": hostile.FORMULA}, "don.pdf", make_pdf("don"))
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_name == hostile.FORMULA

    officer = verified_client(client, users[Role.ONE_STOP_OFFICER])
    export = officer.get(reverse("dossiers:inbox") + "?box=all&export=xlsx")
    assert export.status_code == 200
    _assert_text_cells(export.content, [hostile.FORMULA])


def test_formula_in_the_catalogue_csv_export_is_neutralised_and_imports_back(page, media):
    import csv

    from apps.procedures.models import Procedure

    path = BY_ID["procedure_import"]
    c, fields = page(path)
    source = io.StringIO()
    csv.writer(source).writerows(
        [["code", "name_vi", "field_vi"], ["", hostile.FORMULA, "Khoa học và công nghệ"]]
    )
    response = _post(c, path, fields, "danh-muc.csv", source.getvalue().encode())
    assert response.status_code == 302
    assert Procedure.objects.get().versions.get().name == hostile.FORMULA

    exported = c.get(reverse("procedures:staff_list") + "?export=csv")
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    (name,) = [r[k] for r in rows for k in r if "HYPERLINK" in (r[k] or "")]
    assert name == "'" + hostile.FORMULA  # a spreadsheet shows it as text and runs nothing

    again = _post(c, path, fields, "danh-muc.csv", exported.content)
    assert again.status_code == 302
    assert Procedure.objects.get().versions.get().name == hostile.FORMULA  # the apostrophe is not kept

    xlsx = c.get(reverse("procedures:staff_list") + "?export=xlsx")
    _assert_text_cells(xlsx.content, [hostile.FORMULA])


def test_formula_in_a_methodology_workbook_stays_text(db):
    """The methodology's own workbook (for review and editing) keeps typed text as text."""
    from apps.techassess import methodology, services

    definition = services.bundled_definition("demo")
    definition["groups"][0]["name_vi"] = hostile.FORMULA
    _assert_text_cells(methodology.to_excel(definition), [])
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(methodology.to_excel(definition)))
    (cell,) = [c for row in book["Nhóm"].iter_rows() for c in row if c.value == hostile.FORMULA]
    assert cell.data_type == "s"


@pytest.mark.parametrize(
    ("kind", "words"),
    [("xlsx_bomb", "giải nén"), ("executable", "không khớp"), ("oversized", "vượt quá dung lượng")],
)
def test_procedure_import_command_refuses_hostile_files(tmp_path, media, kind, words):
    from django.core.management import CommandError, call_command

    from apps.procedures.models import Procedure

    data = {
        "xlsx_bomb": hostile.xlsx_bomb,
        "executable": hostile.executable,
        "oversized": lambda: b"code,name_vi,field_vi\n" + b"," * (20 * intake.MB),
    }[kind]()
    source = tmp_path / "danh-muc.xlsx"
    source.write_bytes(data)
    with pytest.raises(CommandError, match=words):
        call_command("import_procedures", str(source))
    assert Procedure.objects.count() == 0
