"""Benchmark settings: the production settings (DEBUG off) on loopback, plus a trivial view.

DJANGO_SETTINGS_MODULE=bench.settings (bench/common.py sets the environment it needs)
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Plain HTTP on loopback: no redirect to HTTPS (the cookies stay Secure; the bench client ignores that).
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# One client address sends every request: keep the throttle (its Redis hit is part of the cost) but
# lift the anonymous API rate above what the benchmark sends, so it measures pages, not 429s.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min"}}  # noqa: F405
