"""Runs a Celery task in the background whatever the deployment.

With a broker (REDIS_URL) the task is queued for a worker. In the embedded default there is no
worker, so the task runs in a thread of this process: the request returns at once and the page
can show progress. Tests run tasks inline (CQS_BACKGROUND_THREADS=False) to stay deterministic.
"""

import threading

from django.conf import settings
from django.db import close_old_connections


def dispatch(task, *args, **kwargs) -> None:
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        task.delay(*args, **kwargs)
        return
    if not getattr(settings, "CQS_BACKGROUND_THREADS", False):
        task.apply(args=args, kwargs=kwargs)
        return

    def run():
        try:
            task.apply(args=args, kwargs=kwargs)
        finally:
            close_old_connections()

    threading.Thread(target=run, name=f"task-{task.name}", daemon=True).start()
