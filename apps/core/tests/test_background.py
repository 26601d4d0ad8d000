"""Background work: in-process without Redis, through a real Redis broker and worker with it."""

import pytest

from apps.audit.services import record
from apps.audit.tasks import verify_chain_task


@pytest.mark.django_db
def test_tasks_run_in_process_without_a_broker(settings):
    record("test_event", None)
    assert settings.CELERY_TASK_ALWAYS_EAGER
    assert verify_chain_task.delay().get() == {"checked": 1, "problems": 0}


@pytest.mark.django_db(transaction=True)
def test_task_goes_through_redis_to_a_worker(redis_url):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    record("test_event", None)
    saved = dict(app.conf)
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            from celery.backends.redis import RedisBackend

            sent = verify_chain_task.delay()
            # The app caches its result backend from before; read the result from Redis explicitly.
            result = app.AsyncResult(sent.id, backend=RedisBackend(app=app, url=redis_url))
            assert result.get(timeout=30) == {"checked": 1, "problems": 0}
    finally:
        app.conf.update(
            broker_url=saved["broker_url"],
            result_backend=saved["result_backend"],
            task_always_eager=saved["task_always_eager"],
        )


def test_redis_cache_backend_round_trip(redis_url):
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache(redis_url, {})
    cache.set("cqs-test", {"đơn vị": "Sở KH&CN"}, 30)
    assert cache.get("cqs-test") == {"đơn vị": "Sở KH&CN"}
    cache.delete("cqs-test")
