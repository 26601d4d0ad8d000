import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
SIGNING_PKI_DIR = Path(tempfile.gettempdir()) / "cqs-test-pki"  # noqa: F405 — demo keys never land in var/
CQS_BACKGROUND_THREADS = False  # run background jobs inline: deterministic tests
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = Path(env("TEST_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "cqs-test-media")))  # noqa: F405
ALLOWED_HOSTS = ["*"]
