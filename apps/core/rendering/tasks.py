from celery import shared_task

from . import jobs


@shared_task(name="core.run_render_job", acks_late=True)
def run_render_job(job_id: str) -> None:
    jobs.run(job_id)
