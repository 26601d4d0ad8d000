"""Removes stored bytes that no StoredFile row points to.

Intake deletes what it wrote when its own transaction fails, but a caller's outer transaction
can still roll back afterwards and leave the bytes behind; this sweep collects them.
"""

import time
from pathlib import Path

from django.conf import settings

from .models import StoredFile

GRACE_SECONDS = 3600  # never touch a file young enough to belong to a transaction still running


def sweep_orphans(*, dry_run: bool = False, now: float | None = None) -> list[str]:
    root = Path(settings.MEDIA_ROOT) / "files"
    if not root.is_dir():
        return []
    now = now if now is not None else time.time()
    known = set(StoredFile.objects.values_list("file", flat=True))
    removed = []
    for path in root.rglob("*"):
        if not path.is_file() or now - path.stat().st_mtime < GRACE_SECONDS:
            continue
        name = path.relative_to(settings.MEDIA_ROOT).as_posix()
        if name not in known:
            removed.append(name)
            if not dry_run:
                path.unlink()
    return removed
