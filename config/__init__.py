# Importing the Celery app here makes shared_task use it (otherwise .delay() goes to amqp://localhost).
from .celery import app as celery_app

__all__ = ["celery_app"]
