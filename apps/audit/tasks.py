import logging

from celery import shared_task

from .verification import verify_chain

logger = logging.getLogger(__name__)


@shared_task(name="audit.verify_chain", acks_late=True)
def verify_chain_task() -> dict:
    """Scheduled integrity check of the audit chain (read-only, so safe to retry or repeat)."""
    checked, problems = verify_chain()
    for problem in problems:
        logger.error("Audit chain problem at #%s: %s", problem.seq, problem.message)
    return {"checked": checked, "problems": len(problems)}
