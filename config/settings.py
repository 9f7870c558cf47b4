"""Settings for Advocacy Tracker, read from the environment.

Safe by default: DEBUG is off unless asked for, and outside DEBUG the app refuses to
start without a SECRET_KEY and ALLOWED_HOSTS of its own.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, with the site of advocacy/adminsite.py.
    "advocacy.apps.AdvocacyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    # Before drf_spectacular: its API-docs templates are overridden to work under the CSP.
    "advocacy",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # 413 for oversized bodies and 400 for over-nested JSON, before anything reads the body.
    "advocacy.middleware.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The public pages' language is their address's (/ru/…, /uk/…); elsewhere negotiated.
    "advocacy.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # With DATABASE_REPLICA_URL: an anonymous safe request reads from the replica.
    "advocacy.routing.PublicReadMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a locked-out login (django-axes) into a 429 response.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the view's exceptions first: database down or too slow -> 503.
    "advocacy.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# SQLite file beside manage.py unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A slow query is cancelled by PostgreSQL (the request gets a 503) rather than holding a
# worker until gunicorn kills it; 0 turns the limit off (e.g. for a long migration).
DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "10000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    # Fail fast while the database is down, so the app can answer 503 at once.
    _db_options.setdefault("connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5")))
    if DB_STATEMENT_TIMEOUT_MS:
        _db_options["options"] = f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
# Public reads (public pages, anonymous API GETs) from a streaming replica, everything else
# from the primary (advocacy/routing.py). The primary must list the replica in
# synchronous_standby_names: every write then waits until the replica has applied it
# (remote_apply), so a record protected or unpublished is hidden there before the request
# that did it returns.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # Tests run against the primary's test database alone.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        _db_options = DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["replica"]["OPTIONS"] = dict(_db_options)  # the same timeouts
        _db_options["options"] = (
            _db_options.get("options", "") + " -c synchronous_commit=remote_apply"
        ).strip()
DATABASE_ROUTERS = ["advocacy.routing.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses locked-out logins (admin and API token) before any password is checked.
    "advocacy.security.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("uk", "Українська")]
LOCALE_PATHS = [BASE_DIR / "advocacy" / "locale"]
# Ukrainian dates as Ukrainian readers write them ("25 листопада 2022 р.", "листопад 2022 р.").
FORMAT_MODULE_PATH = ["advocacy.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files after `collectstatic`; plain files for a local run and
        # the test suite, which serve straight from the apps' folders.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", not DEBUG)

ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
SITE_NAME = "Advocacy Tracker"
# Shown on /about/: where readers report an error (empty: the page says none is published).
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "").strip()
# The records' licence, as /about/ states it for citing (the quotations stay their
# publishers'; the code's licence is in pyproject.toml).
DATA_LICENSE = os.environ.get("DATA_LICENSE", "CC BY 4.0")
DATA_LICENSE_URL = os.environ.get(
    "DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
)

# A filter left empty reads "Any", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("Any")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "600/minute"),
        "user": os.environ.get("API_USER_RATE", "3000/minute"),
    },
}

# The public pages' counts are kept until the database changes (advocacy/caching.py;
# anonymous API answers need no such cache: they are stored public rows, see
# advocacy/publication/). With REDIS_URL (e.g. redis://redis:6379/0) kept counts and the
# API's throttling counts live in Redis, shared by every worker and machine; without it, in
# each worker's memory. CACHE_UNTIL_CHANGED off: every count is computed for every request.
CACHE_UNTIL_CHANGED = env_bool("CACHE_UNTIL_CHANGED", True)
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "advocacy",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

# Full exports are files built outside requests (`manage.py export_popolo`, run every minute
# by docker-compose's `exporter` service) and served as they are (advocacy/api/popolo_files.py).
EXPORTS_DIR = Path(os.environ.get("EXPORTS_DIR") or BASE_DIR / "exports")
# Prefix of the links inside an export, e.g. https://tracker.example.org (empty: paths only).
EXPORTS_BASE_URL = os.environ.get("EXPORTS_BASE_URL", "").rstrip("/")
# With no file yet, the endpoint builds one itself only up to this many public statements
# (a few seconds); above, it answers 503 with Retry-After until the command has built it.
EXPORT_BUILD_IN_REQUEST_MAX = int(os.environ.get("EXPORT_BUILD_IN_REQUEST_MAX", "5000"))
EXPORT_RETRY_AFTER = 60
# Versioned data releases (`manage.py make_release`, daily from docker-compose's `releaser`),
# listed and served at /data/ (advocacy/formats/releases.py).
RELEASES_DIR = Path(os.environ.get("RELEASES_DIR") or BASE_DIR / "releases")

SPECTACULAR_SETTINGS = {
    "TITLE": "Advocacy Tracker API",
    "DESCRIPTION": (
        "Groups, people, events and statements of soldiers' family advocacy groups, "
        "every fact with its sources."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The API's schema (advocacy/api/): a related record is written as an id or slug and
    # read as a summary, so requests and responses get components of their own.
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "advocacy.choices.DatePrecision",
        "LanguageEnum": "advocacy.choices.Language",
        "CountryEnum": "advocacy.choices.Country",
        "StatusEnum": "advocacy.choices.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "advocacy.api.schema.strings_without_nul_hook",
    ],
}

# Behind a TLS-terminating proxy; all of these can be relaxed for a local HTTP run.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The container health check calls /healthz over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))
# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Request bodies: larger ones get 413 before anything reads them; JSON nested deeper
# than JSON_MAX_DEPTH gets 400 (see advocacy/middleware.py).
REQUEST_MAX_BODY_BYTES = int(os.environ.get("REQUEST_MAX_BODY_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(REQUEST_MAX_BODY_BYTES))
)
JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32"))

# Content-Security-Policy (django-csp): our own origin only, no inline script or style
# anywhere (the API docs' templates are overridden in advocacy/templates/drf_spectacular/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # A nonce is added only on pages that ask for one (request.csp_nonce): the Redoc
        # page passes it to Redoc, whose styled-components insert <style> elements.
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # ReDoc's search runs in a worker its own (self-hosted) script creates from a blob.
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    }
}
if os.environ.get("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = os.environ["CSP_REPORT_URI"]

# Login protection (django-axes) for the admin and the API token endpoint: after
# AXES_FAILURE_LIMIT failures from one address, or for one username from one address,
# further attempts from there are refused (429) for AXES_COOLOFF_MINUTES. Never by username
# alone: anyone could then lock every editor out by name. Behind a proxy, set
# TRUSTED_PROXY_COUNT, or every client shares the proxy's address (and its lockout).
# Every failure and lockout is logged ("axes"). `python manage.py axes_reset` lifts them all.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "60")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "advocacy.security.client_ip"
AXES_USERNAME_FORM_FIELD = "username"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Failed logins and lockouts (warnings), whatever LOG_LEVEL says.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Every change of a person's protection (advocacy.services.protection), likewise.
        "advocacy.protection": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
