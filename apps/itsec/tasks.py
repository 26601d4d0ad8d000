from celery import shared_task


@shared_task(name="itsec.run_import", acks_late=True)
def run_import(job_id: str) -> None:
    from .importer import run

    run(job_id)
