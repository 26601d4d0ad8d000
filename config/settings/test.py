import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# pytest-xdist runs one process per worker ("gw0", "gw1", …): each gets its own scratch directories.
_WORKER = env("PYTEST_XDIST_WORKER", "")
_SUFFIX = f"-{_WORKER}" if _WORKER else ""
SIGNING_PKI_DIR = Path(tempfile.gettempdir()) / f"cqs-test-pki{_SUFFIX}"  # noqa: F405 — demo keys never land in var/
CQS_BACKGROUND_THREADS = False  # run background jobs inline: deterministic tests
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# An explicit TEST_MEDIA_ROOT is used as given (a subprocess of a test shares its parent's).
MEDIA_ROOT = Path(env("TEST_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / f"cqs-test-media{_SUFFIX}")))  # noqa: F405
ALLOWED_HOSTS = ["*"]
