from celery import shared_task

from .sweep import sweep_orphans


@shared_task(name="core.sweep_files")
def sweep_files_task() -> int:
    return len(sweep_orphans())
