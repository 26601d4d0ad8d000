"""Settings shared by every environment.

Everything that differs between one laptop and a cluster comes from environment variables,
with embedded defaults (SQLite, local files, console e-mail, in-process background tasks).
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Only for the embedded default; production.py refuses to start with it.
INSECURE_DEV_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", INSECURE_DEV_KEY)
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Demo mode lets staff skip two-factor enrolment (the login page says so). Never in production.
DEMO_MODE = env_bool("CQS_DEMO_MODE", False)
# The users' Vietnamese error pages (400/403/404/500) also while DEBUG is on (the demo, development);
# CQS_FRIENDLY_ERRORS=0 gives developers Django's technical pages back. Without DEBUG the users'
# pages are always shown.
CQS_FRIENDLY_ERRORS = env_bool("CQS_FRIENDLY_ERRORS", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "auditlog",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "csp",
    "django.contrib.postgres",  # unaccent and full-text search lookups (PostgreSQL only at run time)
    # Platform foundation (no domain app may be imported by these).
    "apps.core",
    "apps.accounts",
    "apps.organizations",
    "apps.audit",
    # Domain modules (each depends on the foundation only, never on another domain app's models).
    "apps.procedures",
    "apps.dossiers",
    "apps.documents",
    "apps.tasks",
    "apps.techassess",
    "apps.itsec",
    "apps.plans",
    "apps.portal",
    # Wagtail runs the public portal (apps.portal); its admin is the editorial office.
    "django.contrib.sitemaps",  # the sitemap.xml template of wagtail.contrib.sitemaps
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "apps.core.middleware.RequestSizeLimitMiddleware",  # first: before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "apps.core.memo.RequestMemoMiddleware",  # answers computed once per request (memberships)
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "apps.core.middleware.PrivateCacheMiddleware",  # after authentication, around every view
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.middleware.IdleTimeoutMiddleware",
    "apps.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.audit.middleware.AuditContextMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "apps.core.middleware.FriendlyErrorsMiddleware",  # last: sees a view's exception first
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:staff_home"
LOGOUT_REDIRECT_URL = "core:home"

CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.validators.CharacterClassValidator"},
]

# Lockout: 5 failures for the same username from the same address lock it for 30 minutes, and
# CQS_LOGIN_FAILURES_PER_ADDRESS failures over all usernames lock the address (apps/core/loginlimit.py).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "apps.core.loginlimit.AddressLimitHandler"
CQS_LOGIN_FAILURES_PER_ADDRESS = int(env("CQS_LOGIN_FAILURES_PER_ADDRESS", "20"))
# The client address for lockouts and rate limits: REMOTE_ADDR, or X-Forwarded-For when REMOTE_ADDR is
# one of these reverse proxies (addresses or networks, e.g. "127.0.0.1,::1"; empty: trust nobody).
CQS_TRUSTED_PROXIES = env_list("CQS_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "apps.core.clientip.client_ip"

# Request size: anything larger is refused (413) before the body is read (apps.core.middleware);
# a little above the largest upload (50 MB, incoming/outgoing documents) plus the form around it.
# The shipped nginx configuration (docs/deploy/nginx.conf) has the same client_max_body_size.
CQS_MAX_REQUEST_BYTES = int(env("CQS_MAX_REQUEST_BYTES", str(60 * 1024 * 1024)))
# Form fields other than files (Django's default, stated): a larger urlencoded body is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))

# Idle sessions end after 30 minutes without a request.
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT_SECONDS", "1800"))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

OTP_TOTP_ISSUER = "Chính quyền số"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
# Off on purpose: with it every integer in a template (years, ids in links and form values) would
# print as "2.026". Quantities are formatted explicitly with the `vn` filters (vn_number …).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# static_vendor/ is filled from npm by scripts/vendor_assets.py and is never committed.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_vendor"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"  # files are only served through permission-checked views


def file_storage() -> dict:
    """Uploaded files on the local disk (MEDIA_ROOT), or, with CQS_S3_BUCKET, in an S3-compatible
    object store (MinIO, Ceph, a cloud's) that every application instance and worker shares."""
    bucket = env("CQS_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": env("CQS_S3_ENDPOINT_URL") or None,
        "region_name": env("CQS_S3_REGION") or None,
        "access_key": env("CQS_S3_ACCESS_KEY") or None,
        "secret_key": env("CQS_S3_SECRET_KEY") or None,
        "location": env("CQS_S3_PREFIX", ""),
        "addressing_style": env("CQS_S3_ADDRESSING_STYLE") or None,  # "path" for most MinIO set-ups
        # Files are private records served only through permission-checked views: no public ACL,
        # never overwrite a stored name (intake gives each file its own).
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": file_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Chính quyền số <no-reply@localhost>")

# Background work: Celery with Redis when REDIS_URL is set, otherwise in-process.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A worker child killed mid-task (out of memory, a deploy) puts the task back in the queue instead
# of acknowledging it as done; the tasks are written to be run again (each checks its job's state).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task a dead worker had taken is handed to another worker after this many seconds: longer than
# the longest task (a large import), or it would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "3600"))}
# Without a broker, background jobs run in a thread of the web process (see apps/core/background.py).
CQS_BACKGROUND_THREADS = not REDIS_URL
CELERY_BEAT_SCHEDULE = {
    # Nightly integrity check of the audit trail; also `manage.py verify_audit` by hand.
    "verify-audit-chain": {"task": "audit.verify_chain", "schedule": 24 * 3600},
    # Outbox retry loop; also `manage.py flush_outbox` by hand.
    "flush-notification-outbox": {"task": "core.flush_outbox", "schedule": 60},
    # Bytes left by a rolled-back upload; also `manage.py sweep_files` by hand.
    "sweep-orphan-files": {"task": "core.sweep_files", "schedule": 24 * 3600},
    "retire-expired-procedures": {"task": "procedures.retire_expired", "schedule": 24 * 3600},
    "remind-due-documents": {"task": "documents.remind_due", "schedule": 24 * 3600},
    "send-task-reminders": {"task": "tasks.send_task_reminders", "schedule": 24 * 3600},
    "open-report-periods": {"task": "tasks.open_due_periods", "schedule": 24 * 3600},
    "send-report-reminders": {"task": "tasks.send_report_reminders", "schedule": 24 * 3600},
    "remind-itsec-reviews": {"task": "itsec.remind_reviews", "schedule": 24 * 3600},
}
# Task modules of the core capabilities live in sub-packages, which autodiscovery does not visit.
CELERY_IMPORTS = ["apps.core.notifications.tasks", "apps.core.rendering.tasks", "apps.core.files.tasks"]
NOTIFY_MAX_ATTEMPTS = int(env("NOTIFY_MAX_ATTEMPTS", "8"))
SMS_BACKEND = env("SMS_BACKEND")  # dotted path of an apps.core.notifications.channels.SmsGateway subclass

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# ClamAV (used by core file intake): a Unix socket path or host:port.
CLAMD_SOCKET = env("CLAMD_SOCKET")
CLAMD_TCP = env("CLAMD_TCP")
# Zip-bomb guard of core file intake for archive-based uploads (DOCX, XLSX, PPTX, ODT, ODS, ZIP),
# read from the zip's central directory before anything is stored: at most this many bytes once
# unpacked (100 MB), this many times the upload's size (100; applied above 1 MB unpacked, where
# real office files stay below ~30) and this many members (1000; a large DOCX has a few hundred).
UPLOAD_ZIP_MAX_UNCOMPRESSED = int(env("UPLOAD_ZIP_MAX_UNCOMPRESSED", str(100 * 1024 * 1024)))
UPLOAD_ZIP_MAX_RATIO = int(env("UPLOAD_ZIP_MAX_RATIO", "100"))
UPLOAD_ZIP_MAX_MEMBERS = int(env("UPLOAD_ZIP_MAX_MEMBERS", "1000"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.api_auth.ApiClientTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chính quyền số API",
    "DESCRIPTION": "API của nền tảng Chính quyền số (Sở Khoa học và Công nghệ).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI comes from npm (swagger-ui-dist) through static_vendor/, never from a CDN.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/img/favicon.svg",
    # The platform's API only: Wagtail's internal admin API (/quan-tri-noi-dung/api/) is not part of it.
    "PREPROCESSING_HOOKS": ["apps.core.api_schema.only_platform_api"],
    # Several registers have a field called "status" with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "IncomingDocumentStatusEnum": "apps.documents.models.IncomingStatus",
        "OutgoingDocumentStatusEnum": "apps.documents.models.OutgoingStatus",
        "PlanStatusEnum": "apps.plans.models.PlanStatus",
        "ProjectStatusEnum": "apps.plans.models.ProjectStatus",
    },
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "ApiClientToken": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "`Token <khoá>` của một ứng dụng tích hợp.",
            }
        }
    },
}

# Content Security Policy: everything is served locally; no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Wagtail queues search-index and reference-index updates as tasks; one line per task is noise.
        "django_tasks": {"level": "WARNING"},
    },
}

PLATFORM_NAME = "Chính quyền số"
# Digital signatures: PEM trust roots, where keys live, whether the demo CA is trusted (never in production).
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS")
SIGNING_PKI_DIR = Path(env("SIGNING_PKI_DIR", str(BASE_DIR / "var" / "pki")))
SIGNING_TRUST_DEMO_CA = env_bool("SIGNING_TRUST_DEMO_CA", True)
# Online meeting rooms: a Jitsi Meet server (self-hosted in production).
JITSI_BASE_URL = env("JITSI_BASE_URL", "https://meet.jit.si")
# Absolute address of the platform, for links printed on paper (QR codes) and sent by e-mail.
SITE_URL = env("CQS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Local payment sandbox (manage.py run_payment_sandbox); a real provider's adapter replaces it.
# The demo secret is public (it is in this file): production.py switches the sandbox off, gives the
# secret no default, and the dossiers.E001 check refuses a demo value there.
PAYMENT_SANDBOX_ENABLED = True
PAYMENT_SANDBOX_DEMO_SECRET = "demo-sandbox-secret-not-for-production"  # noqa: S105 - sandbox only
PAYMENT_SANDBOX_URL = env("PAYMENT_SANDBOX_URL", "http://127.0.0.1:8765")
PAYMENT_SANDBOX_SECRET = env("PAYMENT_SANDBOX_SECRET", PAYMENT_SANDBOX_DEMO_SECRET)
DEPARTMENT_NAME = env("CQS_DEPARTMENT_NAME", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk")

# Wagtail (the public portal).
WAGTAIL_SITE_NAME = env("CQS_PORTAL_NAME", "Cổng thông tin điện tử Sở Khoa học và Công nghệ")
WAGTAILADMIN_BASE_URL = SITE_URL
# The content admin (/quan-tri-noi-dung/) signs in through our login page: password, then the second
# factor enforced by TwoFactorRequiredMiddleware on every path, Wagtail's admin included.
WAGTAILADMIN_LOGIN_URL = "accounts:login"
WAGTAIL_FRONTEND_LOGIN_URL = "accounts:login"
WAGTAIL_I18N_ENABLED = False  # one tree; English content lives in the pages' *_en fields (apps/portal)
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call home from a government network
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar requests to gravatar.com from the admin
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # files go through Wagtail's permission-checked view
# Portal media pass core file intake's checks before Wagtail stores them (apps/portal/forms_media.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "apps.portal.forms_media.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "apps.portal.forms_media.ImageForm"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Scheduled publishing and unpublishing (go_live_at / expire_at) of portal pages.
CELERY_BEAT_SCHEDULE["publish-scheduled-pages"] = {"task": "portal.publish_scheduled", "schedule": 60}
# Citizen questions on the portal. No legal deadline for answering was confirmed: a setting, not a rule.
PORTAL_QUESTION_ANSWER_WORKDAYS = int(env("PORTAL_QUESTION_ANSWER_WORKDAYS", "10"))
PORTAL_QUESTION_MIN_FILL_SECONDS = int(env("PORTAL_QUESTION_MIN_FILL_SECONDS", "5"))
PORTAL_QUESTION_FORM_MAX_AGE = int(env("PORTAL_QUESTION_FORM_MAX_AGE", str(2 * 3600)))
PORTAL_QUESTION_MAX_PER_HOUR = int(env("PORTAL_QUESTION_MAX_PER_HOUR", "3"))
# Personal data (issue #16): the days each record type keeps personal data once finished, overriding
# the defaults its app registers (apps/*/personal_data.py: defaults, no period there is confirmed law).
# JSON, e.g. CQS_PERSONAL_DATA_RETENTION_DAYS='{"dossiers.dossier": 3650, "portal.question": 730}'.
PERSONAL_DATA_RETENTION_DAYS = json.loads(env("CQS_PERSONAL_DATA_RETENTION_DAYS", "{}"))
