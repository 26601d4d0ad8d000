"""manage.py backup / restore: a backup restored into an empty instance has every record, every
file byte-identical and an intact audit chain; a tampered archive or a non-empty target is refused
before anything is written.

The source is the test database (committed data: `transaction=True`, pg_dump reads it from
another connection). The target is a separate, empty instance: a new SQLite file, or on PostgreSQL
a scratch database created with the cqs role (CREATEDB) and dropped afterwards, plus its own
MEDIA_ROOT. `restore` runs there in its own process, configured through DATABASE_URL and
MEDIA_ROOT exactly as an operator would run it, so nothing of the test's connection leaks into it.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import dj_database_url
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apps.core import backup
from apps.core.events import emit
from apps.core.files.intake import accept_upload
from apps.core.tests.test_files import make_pdf
from apps.organizations.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


# --------------------------------------------------------------------------- helpers
def file_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def audit_chain(cursor) -> list[tuple]:
    cursor.execute("SELECT seq, prev_hash, hash FROM audit_auditevent ORDER BY seq")
    return [tuple(row) for row in cursor.fetchall()]


def source_state() -> tuple[dict, list]:
    with connection.cursor() as cursor:
        return backup.current_counts(), audit_chain(cursor)


def target_state(url: str) -> tuple[dict, list]:
    """Row counts and audit chain of another database, read with the driver itself (outside
    django.db.connections, which belong to the test)."""
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        conn = sqlite3.connect(config["NAME"])
        tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        import psycopg

        conn = psycopg.connect(
            host=config["HOST"],
            port=config["PORT"],
            user=config["USER"],
            password=config["PASSWORD"],
            dbname=config["NAME"],
        )
        tables_sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    try:
        cursor = conn.cursor()
        cursor.execute(tables_sql)
        existing = {row[0] for row in cursor.fetchall()}
        return backup.count_rows(cursor, existing, connection.ops.quote_name), audit_chain(cursor)
    finally:
        conn.close()


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(backup.MANIFEST))


def rewrite_archive(archive: Path, target: Path, name: str, change) -> Path:
    """A copy of `archive` with member `name`'s bytes passed through `change`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == name:
                data = change(data)
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def run_restore(archive: Path, database_url: str, media: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "TEST_MEDIA_ROOT": str(media),
        "MEDIA_ROOT": str(media),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(archive), *extra],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


# --------------------------------------------------------------------------- fixtures
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "source-media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(media, make_user, tree):
    """Accounts, memberships, stored files (through intake) and audit events, all committed."""
    clerk = make_user(Role.CLERK)
    specialist = make_user(Role.SPECIALIST)
    stored = [
        accept_upload(
            SimpleUploadedFile(f"van-ban-{i}.pdf", make_pdf(f"Van ban so {i}")),
            purpose="document",
            user=clerk,
            organization=tree["office"],
        )
        for i in range(3)
    ]
    for i in range(4):
        emit("backup_test", tree["agency"], actor=specialist, note=f"sự kiện thử {i}")
    # A file that is not a StoredFile (e.g. a portal image) is backed up too.
    (media / "original_images").mkdir()
    (media / "original_images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return {"files": stored, "users": [clerk, specialist]}


@pytest.fixture
def archive(seeded, tmp_path):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    [path] = (tmp_path / "backups").iterdir()
    assert path.name.startswith("cqs-backup-") and path.name.endswith(".tar.gz")
    return path


@pytest.fixture
def empty_target(tmp_path):
    """DATABASE_URL of an empty database of the same vendor as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'target.sqlite3'}"
        return
    import psycopg

    source = connection.settings_dict
    name = f"cqs_restore_{uuid.uuid4().hex[:10]}"
    params = {
        "host": source["HOST"] or None,
        "port": source["PORT"] or None,
        "user": source["USER"],
        "password": source["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = f"{quote(source['USER'], safe='')}:{quote(source['PASSWORD'] or '', safe='')}"
    location = f"{source['HOST'] or 'localhost'}:{source['PORT'] or 5432}"
    try:
        yield f"postgres://{credentials}@{location}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- tests
def test_the_manifest_describes_the_source(archive, seeded, media):
    manifest = read_manifest(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["row_counts"] == backup.current_counts()
    assert manifest["row_counts"]["core.StoredFile"] == 3
    assert manifest["row_counts"]["accounts.User"] == 2
    assert manifest["row_counts"]["audit.AuditEvent"] >= 7  # 3 uploads + 4 events (+ accounts)
    # Every concrete model of every installed app, many-to-many tables included.
    assert {label for label, _ in backup.model_tables()} == set(manifest["row_counts"])
    assert "accounts.User_groups" in manifest["row_counts"]
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == file_hashes(media)
    for stored in seeded["files"]:
        assert {"path": stored.file.name, "size": stored.size, "sha256": stored.sha256} in manifest["files"]
    assert manifest["latest_migrations"]["audit"] == manifest["migrations"]["audit"][-1]
    assert manifest["platform"]["django"] and manifest["created_at"]


def test_restore_into_an_empty_instance_gives_back_every_record_file_and_the_audit_chain(
    archive, media, empty_target, tmp_path
):
    target_media = tmp_path / "target-media"
    result = run_restore(archive, empty_target, target_media)
    assert result.returncode == 0, result.stdout + result.stderr

    counts, events = source_state()
    assert f"Nhật ký toàn vẹn: {len(events)} sự kiện" in result.stdout
    assert "Khôi phục xong, khớp bản sao lưu" in result.stdout

    # Checked here again, independently of the command's own comparison.
    assert target_state(empty_target) == (counts, events)
    assert file_hashes(target_media) == file_hashes(media)
    assert len(file_hashes(media)) == 4
    assert not list(tmp_path.glob(".cqs-restore-*"))  # the staging folder is gone


@pytest.mark.parametrize(
    ("member", "change", "message"),
    [
        ("media", lambda data: data[:-1] + bytes([data[-1] ^ 1]), "SHA-256"),
        (backup.MANIFEST, lambda data: data.replace(b'"vendor"', b'"vendor" ', 1), "Chữ ký"),
        ("database", lambda data: data + b"\0", "SHA-256"),
    ],
    ids=["file-byte", "manifest", "database"],
)
def test_a_tampered_archive_is_refused_before_anything_is_written(
    archive, tmp_path, settings, member, change, message
):
    manifest = read_manifest(archive)
    name = {
        "media": backup.MEDIA_PREFIX + manifest["files"][0]["path"],
        "database": manifest["database"]["file"],
    }.get(member, member)
    tampered = rewrite_archive(archive, tmp_path / "tampered.tar.gz", name, change)
    counts = backup.current_counts()
    settings.MEDIA_ROOT = tmp_path / "empty-media"

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(tampered), "--force", stdout=io.StringIO())

    assert backup.current_counts() == counts
    assert not (tmp_path / "empty-media").exists() or not any((tmp_path / "empty-media").iterdir())
    assert not list(tmp_path.glob(".cqs-restore-*"))


def test_a_manifest_rewritten_consistently_still_fails_its_signature(archive, tmp_path, settings):
    """Changing a file and its checksum in the manifest together does not get past the signature."""
    manifest = read_manifest(archive)
    entry = manifest["files"][0]
    evil = b"not the original"
    entry.update(sha256=hashlib.sha256(evil).hexdigest(), size=len(evil))
    member = backup.MEDIA_PREFIX + entry["path"]
    step = rewrite_archive(archive, tmp_path / "step.tar.gz", member, lambda _: evil)
    body = json.dumps(manifest, ensure_ascii=False).encode()
    forged = rewrite_archive(step, tmp_path / "forged.tar.gz", backup.MANIFEST, lambda _: body)
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(CommandError, match="Chữ ký"):
        call_command("restore", str(forged), "--force", stdout=io.StringIO())


def test_restore_into_a_database_with_data_is_refused_without_force(archive, tmp_path, settings):
    counts = backup.current_counts()
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(CommandError, match="đã có dữ liệu.*accounts.User: 2.*--force"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert backup.current_counts() == counts
    assert not list(tmp_path.glob(".cqs-restore-*"))


def test_restore_into_media_with_files_is_refused_without_force(archive, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "busy-media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "someone-elses.pdf").write_bytes(b"%PDF-1.4 x")
    with pytest.raises(CommandError, match=f"1 tệp trong {settings.MEDIA_ROOT}"):
        call_command("restore", str(archive), stdout=io.StringIO())
    kept = {"someone-elses.pdf": hashlib.sha256(b"%PDF-1.4 x").hexdigest()}
    assert file_hashes(settings.MEDIA_ROOT) == kept


def test_a_failed_backup_leaves_no_archive_behind(seeded, tmp_path, monkeypatch):
    names = backup.media_files(Path(settings.MEDIA_ROOT))
    monkeypatch.setattr(backup, "media_files", lambda root: [*names, "files/vanished.pdf"])
    out = tmp_path / "backups"
    with pytest.raises(CommandError, match="Sao lưu thất bại: Không đọc được tệp"):
        call_command("backup", "--output", str(out), stdout=io.StringIO())
    assert list(out.iterdir()) == []
