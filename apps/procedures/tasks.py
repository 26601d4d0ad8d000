from celery import shared_task


@shared_task(name="procedures.retire_expired", acks_late=True)
def retire_expired_task() -> int:
    """Daily: published versions whose end date has passed become retired (idempotent).

    Also `manage.py retire_expired_procedures` by hand. Queries already use the dates, so a
    late run changes labels only, never which version is in force.
    """
    from .services import retire_expired

    return retire_expired()
