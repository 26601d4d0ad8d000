from celery import shared_task


@shared_task(name="itsec.run_import", acks_late=True)
def run_import(job_id: str) -> None:
    from .importer import run

    run(job_id)


@shared_task(name="itsec.remind_reviews", autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def remind_reviews() -> int:
    from .scheduled import remind_reviews as run

    return run()
