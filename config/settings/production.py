"""Production settings: secure defaults, secrets only from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSECURE_DEV_KEY, SECRET_KEY, env, env_bool

DEBUG = False
DEMO_MODE = False
SIGNING_TRUST_DEMO_CA = env_bool("SIGNING_TRUST_DEMO_CA", False)

if not SECRET_KEY or SECRET_KEY == INSECURE_DEV_KEY:
    raise ImproperlyConfigured("Đặt biến môi trường DJANGO_SECRET_KEY (ít nhất 50 ký tự ngẫu nhiên).")

# File intake refuses to run unscanned in production unless explicitly allowed.
if not (env("CLAMD_SOCKET") or env("CLAMD_TCP")) and not env_bool("CQS_ALLOW_UNSCANNED_UPLOADS"):
    raise ImproperlyConfigured(
        "Chưa cấu hình ClamAV: đặt CLAMD_SOCKET hoặc CLAMD_TCP, "
        "hoặc CQS_ALLOW_UNSCANNED_UPLOADS=1 nếu chấp nhận rủi ro."
    )

# Payments: the click-to-pay sandbox cannot run here (not an environment switch), and the gateway
# secret comes only from the environment; the dossiers.E001 check refuses it empty or a demo value.
PAYMENT_SANDBOX_ENABLED = False
PAYMENT_SANDBOX_SECRET = env("PAYMENT_SANDBOX_SECRET")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    **STORAGES,  # noqa: F405 — uploads: disk or CQS_S3_BUCKET (base.file_storage)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Persistent database connections: a new PostgreSQL connection per request cost more than many of
# the pages it served (measured-scale.md). Health checks drop a connection the server has closed.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
