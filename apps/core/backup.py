"""Backup and restore of one instance: its database, every file under MEDIA_ROOT, a manifest.

One archive, `cqs-backup-YYYYMMDD-HHMMSS.tar.gz`, holds:

- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, a copy
  made with the sqlite3 backup API);
- `media/<path>` for every regular file under MEDIA_ROOT (uploads, portal images and documents);
- `manifest.json`: when and from what it was made (platform version, git commit, Django
  migration state, database vendor), the row count of every concrete model of every installed
  app, and the size and SHA-256 of the database file and of every media file;
- `manifest.sig`: an HMAC-SHA256 of `manifest.json` keyed with SECRET_KEY, so that a changed
  manifest (not only a changed file) is refused.

Consistency: on PostgreSQL the row counts and the migration state are read in a REPEATABLE READ
transaction whose snapshot `pg_dump --snapshot` shares, so they describe exactly the dumped data
while the platform keeps running; on SQLite they are read from the copy itself. Files are copied
after the database: a file uploaded during the backup may be in the archive without its row (an
orphan that `sweep_files` removes), never the other way round, because stored files are never
changed or deleted once their row exists.

Restoring (`restore_archive`) first unpacks into a staging folder beside MEDIA_ROOT and checks
the signature and every checksum; only then does it touch the database and MEDIA_ROOT.

The database credentials reach pg_dump/pg_restore through PG* environment variables, never on
the command line. Nothing here imports the audit app (layers, DESIGN.md): the restore command
verifies the audit chain through `call_command("verify_audit")`.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection as default_connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

FORMAT = "cqs-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MEDIA_PREFIX = "media/"
DB_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
HMAC_SALT = "apps.core.backup.manifest"

Log = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore could not be done; the message says why, for the operator."""


# --------------------------------------------------------------------------- what is counted
def model_tables() -> list[tuple[str, str]]:
    """(label, table) of every concrete model of every installed app, many-to-many tables included."""
    seen: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        seen.setdefault(meta.db_table, meta.label)
    return sorted((label, table) for table, label in seen.items())


def count_rows(cursor, existing_tables: set[str], quote: Callable[[str], str]) -> dict[str, int | None]:
    """Rows per model label; None for a model whose table does not exist."""
    counts: dict[str, int | None] = {}
    for label, table in model_tables():
        if table not in existing_tables:
            counts[label] = None
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - table names from the models
        counts[label] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(cursor, existing_tables: set[str]) -> dict[str, list[str]]:
    if "django_migrations" not in existing_tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    state: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        state.setdefault(app, []).append(name)
    return state


def current_counts(connection=default_connection) -> dict[str, int | None]:
    """Rows per model in a live database (the restore target, or a test's source)."""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return count_rows(cursor, existing, connection.ops.quote_name)


def existing_data(connection=default_connection) -> dict[str, int]:
    """Records that no migration creates (accounts, stored files, audit events): a database with
    any of them is not an empty instance. Migrations do fill some tables (permissions, groups,
    notification templates, document types, the portal's root page), which therefore do not count."""
    candidates = [get_user_model(), apps.get_model("core", "StoredFile")]
    if apps.is_installed("apps.audit"):
        candidates.append(apps.get_model("audit", "AuditEvent"))
    found = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in candidates:
            if model._meta.db_table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
                rows = int(cursor.fetchone()[0])
                if rows:
                    found[model._meta.label] = rows
    return found


# --------------------------------------------------------------------------- files
def media_root() -> Path:
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError(
            "Kho tệp không phải thư mục cục bộ (STORAGES['default'] là "
            f"{type(default_storage).__name__}): hãy sao lưu kho đối tượng bằng công cụ của nó."
        )
    return Path(settings.MEDIA_ROOT)


def media_files(root: Path) -> list[str]:
    """Relative POSIX paths of every regular file under the media root, sorted."""
    if not root.is_dir():
        return []
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            found.append(path.relative_to(root).as_posix())
    return sorted(found)


def sha256_of(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that went into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n=-1):
        data = self.handle.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


# --------------------------------------------------------------------------- PostgreSQL tools
def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4]))
    if candidates:
        return candidates[-1]
    raise BackupError(f"Không tìm thấy {name}: hãy cài gói postgresql-client (cùng phiên bản máy chủ).")


_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """The process environment for pg_dump/pg_restore: the connection, password included, in PG*
    variables (never on a command line, where any local user could read it)."""
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    for option, variable in _PG_OPTIONS.items():
        values[variable] = (settings_dict.get("OPTIONS") or {}).get(option)
    for variable, value in values.items():
        if value not in (None, ""):
            env[variable] = str(value)
    env.setdefault("PGAPPNAME", "cqs-backup")
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise BackupError(f"Không chạy được {command[0]}: {exc}") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BackupError(f"{what} thất bại (mã {result.returncode}): {detail}")


# --------------------------------------------------------------------------- platform
def platform_info() -> dict:
    version = None
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    with contextlib.suppress(OSError, tomllib.TOMLDecodeError, KeyError), open(pyproject, "rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    commit = os.environ.get("CQS_GIT_COMMIT") or None
    if not commit and (Path(settings.BASE_DIR) / ".git").exists():
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            result = subprocess.run(  # noqa: S603 - read-only query
                ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            commit = (result.stdout.strip() or None) if result.returncode == 0 else None
    return {
        "name": settings.PLATFORM_NAME,
        "version": version,
        "git_commit": commit,
        "django": django.get_version(),
        "python": sys.version.split()[0],
    }


def sign(manifest_bytes: bytes) -> str:
    return salted_hmac(HMAC_SALT, manifest_bytes, algorithm="sha256").hexdigest()


# --------------------------------------------------------------------------- backup
def _dump_postgresql(connection, target: Path) -> tuple[dict, dict]:
    """pg_dump of the configured database, plus the counts and migrations of the same snapshot."""
    pg_dump = pg_tool("pg_dump")
    snapshot_connection = connection.copy()
    try:
        snapshot_connection.ensure_connection()
        snapshot_connection.set_autocommit(False)
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            existing = set(snapshot_connection.introspection.table_names(cursor))
            counts = count_rows(cursor, existing, snapshot_connection.ops.quote_name)
            migrations = applied_migrations(cursor, existing)
            # The exporting transaction stays open while pg_dump reads the same snapshot.
            _run(
                [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"],
                pg_environment(connection.settings_dict),
                "pg_dump",
            )
        snapshot_connection.rollback()
    finally:
        snapshot_connection.close()
    return counts, migrations


def _dump_sqlite(connection, target: Path) -> tuple[dict, dict]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        existing = {row[0] for row in cursor.fetchall()}
        counts = count_rows(cursor, existing, connection.ops.quote_name)
        migrations = applied_migrations(cursor, existing)
    finally:
        copy.close()
    return counts, migrations


def _archive_name(output: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    candidate = output / f"cqs-backup-{stamp}.tar.gz"
    number = 2
    while candidate.exists():
        candidate = output / f"cqs-backup-{stamp}-{number}.tar.gz"
        number += 1
    return candidate


def _tarinfo(name: str, size: int, mtime: float | None = None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime if mtime is not None else timezone.now().timestamp())
    info.mode = 0o644
    return info


def create_backup(output: Path, *, connection=default_connection, log: Log = lambda _: None) -> Path:
    """Write one archive into `output` and return its path. Nothing is left behind on failure."""
    vendor = connection.vendor
    if vendor not in DB_FILES:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
    root = media_root()
    output = Path(output)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Không tạo được thư mục {output}: {exc}") from exc
    final = _archive_name(output)
    partial = final.with_name(f".{final.name}.part")
    work = Path(tempfile.mkdtemp(prefix=".cqs-backup-", dir=output))
    try:
        created_at = timezone.now()
        db_file = work / DB_FILES[vendor]
        log(f"Sao lưu cơ sở dữ liệu ({vendor}) …")
        if vendor == "postgresql":
            counts, migrations = _dump_postgresql(connection, db_file)
        else:
            counts, migrations = _dump_sqlite(connection, db_file)
        if not migrations:
            raise BackupError(
                "Cơ sở dữ liệu chưa được khởi tạo (chưa chạy manage.py migrate): không có gì để sao lưu."
            )
        db_sha, db_size = sha256_of(db_file)
        rows = sum(n for n in counts.values() if n)
        log(f"  {len(counts)} bảng, {rows} bản ghi, tệp dữ liệu {db_size} byte")

        files = []
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            with open(db_file, "rb") as handle:
                tar.addfile(_tarinfo(DB_FILES[vendor], db_size), handle)
            names = media_files(root)
            log(f"Sao lưu {len(names)} tệp trong {root} …")
            for name in names:
                path = root / name
                try:
                    with open(path, "rb") as handle:
                        stat = os.fstat(handle.fileno())
                        reader = _HashingReader(handle)
                        tar.addfile(_tarinfo(MEDIA_PREFIX + name, stat.st_size, stat.st_mtime), reader)
                except OSError as exc:
                    raise BackupError(f"Không đọc được tệp {path}: {exc}") from exc
                if reader.size != stat.st_size:
                    raise BackupError(f"Tệp {path} thay đổi trong khi sao lưu; hãy chạy lại.")
                files.append({"path": name, "size": reader.size, "sha256": reader.digest.hexdigest()})
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": created_at.isoformat(),
                "platform": platform_info(),
                "database": {
                    "vendor": vendor,
                    "file": DB_FILES[vendor],
                    "size": db_size,
                    "sha256": db_sha,
                },
                "migrations": migrations,
                "latest_migrations": {app: names[-1] for app, names in migrations.items()},
                "row_counts": counts,
                "files": files,
                "totals": {"rows": rows, "files": len(files), "file_bytes": sum(f["size"] for f in files)},
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            signature = sign(manifest_bytes).encode()
            tar.addfile(_tarinfo(MANIFEST, len(manifest_bytes)), _BytesReader(manifest_bytes))
            tar.addfile(_tarinfo(SIGNATURE, len(signature)), _BytesReader(signature))
        os.replace(partial, final)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = manifest["totals"]
    log(f"  {total['files']} tệp, {total['file_bytes']} byte")
    return final


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, n=-1):
        end = len(self.data) if n is None or n < 0 else self.offset + n
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


# --------------------------------------------------------------------------- reading an archive
@dataclass
class Staged:
    """An archive unpacked into a staging folder, with the checksum of every member."""

    folder: Path
    manifest: dict
    database: Path
    files: dict[str, Path] = field(default_factory=dict)


def _safe_member_name(name: str) -> str | None:
    """The normalised member name, or None when it could escape the staging folder."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    normal = posixpath.normpath(name)
    if normal != name.rstrip("/") or normal.startswith("../") or normal in {".", ".."}:
        return None
    if any(part in {"", ".", ".."} for part in normal.split("/")):
        return None
    return normal


def stage_archive(archive: Path, staging: Path, *, check_signature: bool = True) -> Staged:
    """Unpack `archive` into `staging` and verify it; raise BackupError on any discrepancy.

    Only regular files with safe names are written, each hashed on the way; the manifest's
    signature, the database file and every media file are checked against the manifest, and a
    file the manifest does not list (or a listed one that is missing) is refused too.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy bản sao lưu {archive}.")
    hashes: dict[str, tuple[str, int]] = {}
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                name = _safe_member_name(member.name)
                if name is None:
                    raise BackupError(f"Bản sao lưu chứa đường dẫn không an toàn: {member.name!r}.")
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"Bản sao lưu chứa mục không phải tệp thường: {member.name!r}.")
                if name in hashes:
                    raise BackupError(f"Bản sao lưu chứa hai lần mục {name!r}.")
                known = {MANIFEST, SIGNATURE, *DB_FILES.values()}
                if name not in known and not name.startswith(MEDIA_PREFIX):
                    raise BackupError(f"Bản sao lưu chứa mục lạ: {name!r}.")
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                digest, size = hashlib.sha256(), 0
                with open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                hashes[name] = (digest.hexdigest(), size)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(f"Không đọc được bản sao lưu {archive}: {exc}") from exc

    if MANIFEST not in hashes:
        raise BackupError("Bản sao lưu không có manifest.json.")
    manifest_bytes = (staging / MANIFEST).read_bytes()
    if check_signature:
        signature = ""
        if SIGNATURE in hashes:
            signature = (staging / SIGNATURE).read_bytes().decode("ascii", "replace").strip()
        if not constant_time_compare(signature, sign(manifest_bytes)):
            raise BackupError(
                "Chữ ký của manifest.json không khớp: bản kê đã bị sửa, hoặc bản sao lưu được tạo "
                "với một DJANGO_SECRET_KEY khác (khi chắc chắn về nguồn gốc, dùng --ignore-signature)."
            )
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError(f"manifest.json không đọc được: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Tệp này không phải bản sao lưu của nền tảng.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Phiên bản định dạng sao lưu {manifest.get('format_version')} không được hỗ trợ.")

    problems = []
    database = manifest["database"]
    expected = {database["file"]: (database["sha256"], database["size"])}
    for entry in manifest["files"]:
        expected[MEDIA_PREFIX + entry["path"]] = (entry["sha256"], entry["size"])
    for name, (sha, size) in sorted(expected.items()):
        if name not in hashes:
            problems.append(f"thiếu {name}")
        elif hashes[name] != (sha, size):
            problems.append(f"{name}: mã SHA-256 hoặc kích thước không khớp với bản kê")
    for name in sorted(set(hashes) - set(expected) - {MANIFEST, SIGNATURE}):
        problems.append(f"{name}: không có trong bản kê")
    if problems:
        shown = "; ".join(problems[:20]) + (f"; … ({len(problems)} vấn đề)" if len(problems) > 20 else "")
        raise BackupError(f"Bản sao lưu không toàn vẹn, không khôi phục: {shown}.")
    return Staged(
        folder=staging,
        manifest=manifest,
        database=staging / database["file"],
        files={entry["path"]: staging / (MEDIA_PREFIX + entry["path"]) for entry in manifest["files"]},
    )


# --------------------------------------------------------------------------- restore
@dataclass
class RestoreResult:
    manifest: dict
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    """Applied migrations in the archive that this code does not have (a backup of a newer version)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = ((app, name) for app, names in migrations.items() for name in names)
    return sorted(f"{app}.{name}" for app, name in applied if (app, name) not in known)


def _restore_postgresql(connection, dump: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    connection.close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        pg_environment(connection.settings_dict),
        "pg_restore",
    )


def _restore_sqlite(connection, copy: Path) -> None:
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
        connection.close()


def restore_archive(
    archive: Path,
    *,
    force: bool = False,
    check_signature: bool = True,
    connection=default_connection,
    log: Log = lambda _: None,
) -> RestoreResult:
    """Restore `archive` into the configured database and MEDIA_ROOT, then check the result.

    Refused (BackupError, nothing written) when the archive does not verify, was made from another
    database vendor, or — unless `force` — when the target already holds data or files, or the
    archive comes from a newer version of the code. Problems found after restoring (a row count or
    a file checksum differing from the manifest) are returned in `RestoreResult.problems`.
    """
    root = media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".cqs-restore-", dir=root.parent))
    try:
        log(f"Kiểm tra bản sao lưu {archive} …")
        staged = stage_archive(Path(archive), staging, check_signature=check_signature)
        manifest = staged.manifest
        result = RestoreResult(manifest=manifest)
        log(
            f"  Toàn vẹn: cơ sở dữ liệu và {len(staged.files)} tệp khớp mã SHA-256 "
            f"(tạo lúc {manifest['created_at']}, mã nguồn {manifest['platform'].get('git_commit') or '?'})"
        )
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"Bản sao lưu là cơ sở dữ liệu {vendor}, nơi khôi phục là {connection.vendor}: "
                "không khôi phục được."
            )
        newer = unknown_migrations(manifest["migrations"])
        if newer and not force:
            raise BackupError(
                "Bản sao lưu có migration mà mã nguồn này chưa có (bản sao lưu của phiên bản mới hơn): "
                + ", ".join(newer[:10])
                + ". Hãy cập nhật mã nguồn trước, hoặc dùng --force."
            )
        data = existing_data(connection)
        present = media_files(root)
        if (data or present) and not force:
            what = [f"{label}: {n}" for label, n in sorted(data.items())]
            if present:
                what.append(f"{len(present)} tệp trong {root}")
            raise BackupError(
                "Nơi khôi phục đã có dữ liệu (" + "; ".join(what) + "). Chỉ khôi phục vào hệ thống trống; "
                "dùng --force để ghi đè."
            )
        if newer:
            result.notes.append("migration lạ đối với mã nguồn này: " + ", ".join(newer))

        log(f"Khôi phục cơ sở dữ liệu ({vendor}) …")
        if vendor == "postgresql":
            _restore_postgresql(connection, staged.database)
        else:
            _restore_sqlite(connection, staged.database)

        log(f"Khôi phục {len(staged.files)} tệp vào {root} …")
        for name, source in staged.files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        extra = sorted(set(media_files(root)) - set(staged.files))
        if extra:
            result.notes.append(f"{len(extra)} tệp đã có sẵn trong {root} được giữ nguyên")

        log("Đối chiếu số bản ghi và mã SHA-256 …")
        counts = current_counts(connection)
        for label, expected_rows in sorted(manifest["row_counts"].items()):
            actual = counts.get(label, "không có bảng")
            if actual != expected_rows:
                result.problems.append(f"{label}: {actual} bản ghi, bản kê ghi {expected_rows}")
        result.rows = sum(n for n in counts.values() if n)
        for entry in manifest["files"]:
            target = root / entry["path"]
            actual = sha256_of(target) if target.is_file() else None
            if actual != (entry["sha256"], entry["size"]):
                result.problems.append(f"tệp {entry['path']}: mã SHA-256 sau khi khôi phục không khớp")
        result.files = len(manifest["files"])
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)
