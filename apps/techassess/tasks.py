from celery import shared_task


@shared_task(name="techassess.run_import", acks_late=True)
def run_import(job_id: int) -> int:
    """Run one bulk survey import (idempotent: a finished job is left alone)."""
    from .importer import run
    from .models import ImportJob, ImportStatus

    job = ImportJob.objects.select_related("methodology", "file", "organization").get(pk=job_id)
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job.imported
    return run(job).imported
