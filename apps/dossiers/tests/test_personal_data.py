"""Issue #16, personal data: a citizen downloads their own data, finished dossiers lose their
personal data after the retention period while every figure stays, and staff looks at an
applicant's data are audited and shown to the citizen and to the administrator."""

import datetime as dt
import io
import itertools
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.files.models import StoredFile
from apps.core.personal_data import ARCHIVE_DATA
from apps.core.tests.querycount import ListCase, assert_constant_queries, list_query_test
from apps.dossiers import indicators, services
from apps.dossiers.models import Dossier, State
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import monday_9am
from .test_flow import run_to

pytestmark = pytest.mark.django_db

OTHER = {
    "applicant_name": "Trần Thị Bình",
    "applicant_id_number": "066090009999",
    "applicant_address": "5 Phan Bội Châu, Buôn Ma Thuột",
    "applicant_phone": "0912000111",
    "applicant_email": "binh@example.vn",
}


def _archive(response) -> tuple[dict, dict[str, bytes]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop(ARCHIVE_DATA)), files


# --------------------------------------------------------------------------- 1. download
def test_a_citizen_downloads_their_own_data_and_nobody_elses(client, submit, users, make_user, settings):
    from apps.core.notifications.models import Channel, OutboxMessage
    from apps.portal import services_questions
    from apps.portal.models import QuestionTopic

    citizen = users[Role.CITIZEN]
    other = make_user(Role.CITIZEN, username="u-other-citizen")
    mine = submit(applicant_user=citizen)
    mine = services.act(mine.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=monday_9am())
    theirs = submit(applicant_user=other, applicant=OTHER)
    OutboxMessage.objects.create(
        event="dossier_received",
        channel=Channel.IN_APP,
        recipient=citizen.username,
        recipient_user=citizen,
        subject=f"Hồ sơ {mine.code} đã được tiếp nhận",
        body="Nội dung",
    )
    topic = QuestionTopic.objects.create(name="Sở hữu trí tuệ")
    question = services_questions.submit(
        asker_name="Người dùng citizen",
        email=citizen.email,
        phone="",
        topic=topic,
        title="Đăng ký nhãn hiệu mất bao lâu?",
        body="Xin hỏi thời gian.",
    )
    services_questions.submit(
        asker_name="Trần Thị Bình",
        email=OTHER["applicant_email"],
        phone="",
        topic=topic,
        title="Câu khác",
        body="?",
    )
    verified_client(client, citizen)
    settings.LANGUAGE_CODE = "vi"  # the pages in Vietnamese (the dossiers' tests default to English)

    profile = client.get(reverse("accounts:profile")).content.decode()
    page = client.get(reverse("accounts:personal_data")).content.decode()
    assert "Tải dữ liệu cá nhân của tôi" in profile
    assert "Tải dữ liệu cá nhân của tôi" in page and "Hồ sơ" in page and "Hỏi đáp" in page

    data, files = _archive(client.post(reverse("accounts:personal_data")))

    assert data["parts"]["account"]["records"][0]["account"]["username"] == citizen.username
    dossiers = data["parts"]["dossiers"]["records"]
    assert [d["code"] for d in dossiers] == [mine.code]
    record = dossiers[0]
    assert record["form_data"] == {"purpose": "Sử dụng thiết bị X-quang"}
    assert record["applicant"]["id_number"] == "066090001234"
    assert [h["to"] for h in record["history"]][-1] == "Đã tiếp nhận"
    assert {d["name"] for d in record["documents"]} == {"Đơn đề nghị", "Bản sao giấy chứng nhận"}
    attached = {
        name: content for name, content in files.items() if name.startswith(f"tep/dossiers/{mine.code}/")
    }
    assert len(attached) == 2
    stored = mine.documents.get(name="Đơn đề nghị").file
    with stored.file.open("rb") as handle:
        assert attached[f"tep/dossiers/{mine.code}/don.pdf"] == handle.read()
    assert [q["code"] for q in data["parts"]["questions"]["records"]] == [question.code]
    subjects = [m["subject"] for m in data["parts"]["notifications"]["records"]]
    assert f"Hồ sơ {mine.code} đã được tiếp nhận" in subjects
    assert len(subjects) == OutboxMessage.objects.filter(recipient_user=citizen).count()
    assert OutboxMessage.objects.filter(recipient_user=other).exists()  # theirs exist, and stay out
    # Nothing of the other citizen: not their dossier, their files, their name or their question.
    everything = json.dumps(data, ensure_ascii=False)
    assert (
        theirs.code not in everything and "Trần Thị Bình" not in everything and "Câu khác" not in everything
    )
    assert not [name for name in files if theirs.code in name]
    assert AuditEvent.objects.filter(verb="personal_data_exported", actor=citizen).count() == 1


def test_the_download_needs_a_signed_in_person(client):
    response = client.post(reverse("accounts:personal_data"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# --------------------------------------------------------------------------- 2. retention and purge
FIGURES = (
    "dossiers_received",
    "handled_through_system",
    "timeliness",
    "online_rate",
    "online_payment_rate",
    "digitisation_rate",
    "average_processing_days",
)


def _figures(agency):
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    values = {name: getattr(indicators, name)(agency, start, end) for name in FIGURES}
    values["dashboard"] = indicators.dashboard(None, start, end)
    return values


def test_purge_removes_personal_data_and_files_of_finished_dossiers_and_keeps_the_figures(
    submit, users, tree, settings, django_capture_on_commit_callbacks
):
    closed = run_to(submit(applicant_user=users[Role.CITIZEN]), users, State.CLOSED, tree)
    running = services.act(submit().pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=monday_9am())
    files = [d.file for d in closed.documents.all()] + [closed.result_file]
    assert len(files) == 3 and all(f.file.storage.exists(f.file.name) for f in files)
    before = _figures(tree["agency"])
    assert before["dossiers_received"]["total"] == 2

    # The default period (5 years) has not run out for a dossier closed days ago: nothing is due.
    out = io.StringIO()
    call_command("purge_personal_data", "--apply", stdout=out)
    assert Dossier.objects.get(pk=closed.pk).applicant_name == "Nguyễn Văn An"

    # The administrator's period (7 days) has; a dry run (the default) still changes nothing.
    settings.PERSONAL_DATA_RETENTION_DAYS = {"dossiers.dossier": 7}
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "dossiers.dossier" in out.getvalue() and "1 bản ghi" in out.getvalue()
    assert Dossier.objects.get(pk=closed.pk).applicant_id_number == "066090001234"
    assert not AuditEvent.objects.filter(verb="personal_data_purged").exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", "--apply", stdout=io.StringIO())

    purged = Dossier.objects.get(pk=closed.pk)
    assert purged.applicant_name != "Nguyễn Văn An"
    assert (
        purged.applicant_id_number,
        purged.applicant_address,
        purged.applicant_phone,
        purged.applicant_email,
    ) == (
        "",
        "",
        "",
        "",
    )
    assert purged.applicant_user is None and purged.form_data == {} and purged.result_file is None
    assert purged.personal_data_removed_at is not None
    assert not purged.documents.exclude(file=None).exists()
    assert not StoredFile.objects.filter(pk__in=[f.pk for f in files]).exists()
    assert not any(f.file.storage.exists(f.file.name) for f in files)
    # The same figures, to the last digit; the dossier still counts, under its code.
    assert _figures(tree["agency"]) == before
    assert purged.code == closed.code and purged.state == State.CLOSED
    # A dossier still in process keeps everything.
    assert Dossier.objects.get(pk=running.pk).applicant_name == "Nguyễn Văn An"
    event = AuditEvent.objects.get(verb="personal_data_purged", object_id=str(closed.pk))
    assert event.changes == {"files_removed": 3}
    assert "Nguyễn Văn An" not in event.object_repr + event.note
    # A second run finds nothing more to do.
    call_command("purge_personal_data", "--apply", stdout=io.StringIO())
    assert AuditEvent.objects.filter(verb="personal_data_purged", object_id=str(closed.pk)).count() == 1


# --------------------------------------------------------------------------- 3. audited staff access
def test_staff_looks_are_audited_once_an_hour_and_shown_to_the_citizen_and_the_administrator(
    client, submit, users, make_user, monkeypatch, settings
):
    from apps.audit import services as audit_services

    citizen, officer = users[Role.CITIZEN], users[Role.ONE_STOP_OFFICER]
    dossier = services.act(submit(applicant_user=citizen).pk, "receive", actor=officer, at=monday_9am())
    viewed = AuditEvent.objects.filter(verb="personal_data_viewed", object_id=str(dossier.pk))

    verified_client(client, officer)
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 200
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 200
    assert viewed.count() == 1  # reading the page twice is one look
    stored = dossier.documents.get(name="Đơn đề nghị").file
    assert client.get(reverse("core:file_download", args=[stored.pk])).status_code == 200
    assert viewed.count() == 2
    assert viewed.filter(note__contains="don.pdf", actor=officer).exists()
    real_now = timezone.now
    monkeypatch.setattr(audit_services.timezone, "now", lambda: real_now() + dt.timedelta(minutes=61))
    client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert viewed.count() == 3  # an hour later it is a new look
    monkeypatch.undo()

    # The citizen sees who looked on their dossier's page; their own looks are not recorded.
    verified_client(client, citizen)
    settings.LANGUAGE_CODE = "vi"
    page = client.get(reverse("dossiers:status_detail", args=[dossier.pk])).content.decode()
    assert "Ai đã xem hồ sơ của tôi" in page
    assert officer.full_name in page and "don.pdf" in page
    assert client.get(reverse("core:file_download", args=[stored.pk])).status_code == 200
    assert viewed.count() == 3
    other = make_user(Role.CITIZEN, username="u-other-citizen")
    verified_client(client, other)
    assert client.get(reverse("dossiers:status_detail", args=[dossier.pk])).status_code == 404

    # The person responsible (the administrator: there is no data protection officer role) sees the list.
    verified_client(client, users[Role.ADMINISTRATOR])
    page = client.get(reverse("accounts:personal_data_access")).content.decode()
    assert "Truy cập dữ liệu cá nhân" in page and "Xem dữ liệu cá nhân" in page
    assert officer.full_name in page and dossier.code in page
    filtered = client.get(reverse("accounts:personal_data_access"), {"q": "không-có-ai"}).content.decode()
    assert dossier.code not in filtered
    for role in (Role.LEADER, Role.ONE_STOP_OFFICER, Role.CITIZEN):
        verified_client(client, users[role])
        assert client.get(reverse("accounts:personal_data_access")).status_code == 403


# --------------------------------------------------------------------------- query counts
_serial = itertools.count()


@pytest.fixture
def access_rows(submit, users):
    """n staff looks at n dossiers, recorded as the detail page records them."""
    from apps.audit.services import record_access

    def add(n):
        codes = []
        for _ in range(n):
            dossier = submit()
            record_access(
                "personal_data_viewed",
                dossier,
                actor=users[Role.SPECIALIST],
                note="Mở trang hồ sơ",
                within=dt.timedelta(hours=1),
            )
            codes.append(dossier.code)
        return codes

    return add


LISTS = [ListCase("accounts:personal_data_access", Role.ADMINISTRATOR, "access_rows")]
test_list_queries = list_query_test(LISTS)


def test_who_viewed_my_dossier_renders_with_constant_queries(client, submit, users, make_user):
    from apps.audit.services import record_access

    citizen = users[Role.CITIZEN]
    dossier = services.act(
        submit(applicant_user=citizen).pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=monday_9am()
    )
    verified_client(client, citizen)

    def add(n):
        names = []
        for _ in range(n):
            staff = make_user(Role.SPECIALIST, username=f"u-viewer-{next(_serial)}")
            staff.full_name = f"Chuyên viên {staff.username}"
            staff.save()
            record_access(
                "personal_data_viewed",
                dossier,
                actor=staff,
                note="Mở trang hồ sơ",
                within=dt.timedelta(hours=1),
            )
            names.append(staff.full_name)
        return names

    assert_constant_queries(client, reverse("dossiers:status_detail", args=[dossier.pk]), add)


def test_the_field_change_log_keeps_that_personal_fields_changed_not_their_values(submit, users):
    from auditlog.models import LogEntry

    from .conftest import APPLICANT

    dossier = submit()
    dossier.applicant_phone = "0905111222"
    dossier.save()
    personal = [APPLICANT["applicant_name"], APPLICANT["applicant_phone"], "0905111222"]
    events = AuditEvent.objects.filter(object_id=str(dossier.pk))
    logged = [json.dumps(e.changes, ensure_ascii=False) for e in events]
    logged += [json.dumps(e.changes, ensure_ascii=False) for e in LogEntry.objects.get_for_object(dossier)]
    assert any("applicant_phone" in text for text in logged), "the change itself must stay in the log"
    for value in personal:
        assert not any(value in text for text in logged), f"“{value}” reached the audit log"
