"""Settings shared by every deployment. Deployment files (embedded, production, test) extend this."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .paths import default_keys_dir, default_var_dir, private_dir, secure_umask

# Everything this process creates (database, queue, keys, uploads) is private to its account.
secure_umask()

BASE_DIR = Path(__file__).resolve().parent.parent  # the hrguard package
PROJECT_DIR = BASE_DIR.parent
# Data (database, queue, uploads) and keys live apart; see hrguard/settings/paths.py.
VAR_DIR = private_dir(Path(os.environ.get("HRGUARD_VAR_DIR") or default_var_dir(PROJECT_DIR)))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("HRGUARD_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("HRGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("HRGUARD_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "rules",  # each app loads its permissions.py in AppConfig.ready
    # Before djhuey: its `run_huey` command is hrguard.ops's (worker guards, see hrguard/ops/supervise.py).
    "hrguard.ops",
    "huey.contrib.djhuey",
    "hrguard.core",
    "hrguard.evidence",
    "hrguard.people",
    "hrguard.records",
    "hrguard.attendance",
    "hrguard.leave",
    "hrguard.expenses",
    "hrguard.performance",
    "hrguard.discipline",
    "hrguard.deadlines",
    "hrguard.notify",
    "hrguard.documents",
    "hrguard.workflows",
    "hrguard.workbench",
    "hrguard.configuration",
    "hrguard.calculators",
    "hrguard.risk",
    "hrguard.offboarding",
    "hrguard.noncompete",
    "hrguard.integrations",
    "hrguard.care",
    "hrguard.clients",
    "hrguard.cases",
    "hrguard.collection",
    "hrguard.api",
    "hrguard.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /eap/ is anonymous by construction: no cookies in or out, no client address (hrguard/care/eap/quiet.py).
    "hrguard.care.eap.quiet.EapAnonymityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hrguard.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hrguard.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hrguard.core.sessions.SessionTimeoutMiddleware",
    "hrguard.core.middleware.ResolvedUserMiddleware",
    "hrguard.core.guards.QueryStringGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hrguard.core.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, the policy built once
    "django_htmx.middleware.HtmxMiddleware",
    "hrguard.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "hrguard.urls"
WSGI_APPLICATION = "hrguard.wsgi.application"

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
                "hrguard.web.context_processors.hrguard",
            ],
            # ``{% load i18n %}`` with constant ``{% translate %}`` nodes rendered once per language.
            "libraries": {"i18n": "hrguard.platform.i18n_tags", "static": "hrguard.platform.static_tags"},
            # ``{% url %}`` with each reversed URL remembered (Django's tag otherwise).
            "builtins": ["hrguard.platform.url_tags"],
        },
    }
]

# templates.W003 says two libraries are named ``i18n`` (and ``static``): ours (above) deliberately take the
# names so that every ``{% load i18n %}`` / ``{% load static %}`` loads them; they re-export all of Django's
# tags and filters of those libraries.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, fetching the user's company with the user (hrguard/core/backends.py).
    "hrguard.core.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Simplified Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Chinese whatever the browser says (hrguard.core.middleware.LanguageMiddleware); the language switch
# stores an explicit choice in this cookie for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise also serves straight from the finders
# Project-wide assets: hrguard/static/hrguard (our JS/CSS) and hrguard/static/vendor (npm, see
# scripts/vendor_assets.py and vendor/MANIFEST.json).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads: keep them bounded (imports are validated row by row, not streamed to memory unbounded).
HRGUARD_MAX_UPLOAD_BYTES = int(os.environ.get("HRGUARD_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
# Roster import (花名册导入): rows per file; larger files are refused with "split the file".
HRGUARD_IMPORT_MAX_ROWS = int(os.environ.get("HRGUARD_IMPORT_MAX_ROWS", 20000))
# Caps of the guarded spreadsheet reader (hrguard/platform/spreadsheets.py), checked before/while parsing.
HRGUARD_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("HRGUARD_IMPORT_MAX_UNPACKED_BYTES", 64 * 1024 * 1024))
HRGUARD_PUNCH_MAX_ROWS = int(os.environ.get("HRGUARD_PUNCH_MAX_ROWS", 1_000_000))
HRGUARD_PUNCH_MAX_UNPACKED_BYTES = int(os.environ.get("HRGUARD_PUNCH_MAX_UNPACKED_BYTES", 256 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files are private to the server's account (Django's default would chmod them 0644).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Sessions (hrguard/core/sessions.py): a signed-in session ends after this many idle minutes (the expiry
# slides forward at most once a minute, not with a write per request) and, however active, this many hours
# after sign-in.
SESSION_COOKIE_AGE = int(os.environ.get("HRGUARD_SESSION_IDLE_MINUTES", 30)) * 60
HRGUARD_SESSION_MAX_SECONDS = int(os.environ.get("HRGUARD_SESSION_MAX_HOURS", 12)) * 3600

# Security headers
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Keys live outside the database and outside its directory: HRGUARD_KEYS_DIR (default
# ~/.config/hrguard/keys, see paths.py) or environment variables (HRGUARD_FIELD_KEYS, …).
HRGUARD_KEYS_DIR = Path(os.environ.get("HRGUARD_KEYS_DIR") or default_keys_dir())
# The latest signed evidence checkpoint of each company is also written here (company-<id>.json), out of
# the database's reach: keep it apart from the database directory — ideally on other storage (another
# disk, a synced or write-once share). `hrguard verify` checks the database against it.
HRGUARD_CHECKPOINT_DIR = Path(os.environ.get("HRGUARD_CHECKPOINT_DIR", VAR_DIR / "checkpoints"))
# Checkpoints are also sent to every company administrator through these outbox channels.
HRGUARD_CHECKPOINT_NOTIFY_CHANNELS = ["inapp", "email"]
# RFC 3161 time-stamping authority for checkpoints and PAdES signatures (none: signatures carry the
# signer's own clock only, and the package README says so).
HRGUARD_TSA_URL = os.environ.get("HRGUARD_TSA_URL") or None
# The address employees reach this server at: signing links in SMS / email / chat messages are built
# from it (a relative link is useless outside the browser).
HRGUARD_ACTIVATION_DAYS = int(os.environ.get("HRGUARD_ACTIVATION_DAYS", 7))
HRGUARD_PUBLIC_URL = os.environ.get("HRGUARD_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Login brake (see hrguard/web/login.py) and provincial maternity-leave extensions by company city.
HRGUARD_LOGIN_LIMITS = {"per_user": 10, "per_ip": 50, "window": 15 * 60}
HRGUARD_MATERNITY_LOCAL_EXTRA_DAYS: dict[str, int] = {}
# Deadlines each sweep task claims (the periodic sweep fans due rows out in batches of this size).
HRGUARD_SWEEP_BATCH = max(1, int(os.environ.get("HRGUARD_SWEEP_BATCH", 500)))
# API tokens expire after this many seconds (the token endpoint then issues a new one).
HRGUARD_API_TOKEN_TTL = int(os.environ.get("HRGUARD_API_TOKEN_TTL", 30 * 24 * 3600))
# Outbound webhooks (hrguard/integrations): plain http only to 127.0.0.1 unless https is required
# (production: always); addresses inside the network are refused unless allowed (production: refused).
HRGUARD_WEBHOOKS_REQUIRE_HTTPS = env_bool("HRGUARD_WEBHOOKS_REQUIRE_HTTPS", False)
HRGUARD_WEBHOOKS_ALLOW_PRIVATE = env_bool("HRGUARD_WEBHOOKS_ALLOW_PRIVATE", True)
HRGUARD_WEBHOOKS_CONNECT_TIMEOUT = float(os.environ.get("HRGUARD_WEBHOOKS_CONNECT_TIMEOUT", 5))
HRGUARD_WEBHOOKS_TIMEOUT = float(os.environ.get("HRGUARD_WEBHOOKS_TIMEOUT", 10))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hrguard.api.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Every endpoint: JSON and form bodies capped (413), a per-user rate limit (429); see platform/api_limits.
    "DEFAULT_PARSER_CLASSES": [
        "hrguard.platform.api_limits.LimitedJSONParser",
        "hrguard.platform.api_limits.LimitedFormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["hrguard.platform.api_limits.UserThrottle"],
    "DEFAULT_SCHEMA_CLASS": "hrguard.api.schema.ApiSchema",
    "DEFAULT_PAGINATION_CLASS": "hrguard.api.pagination.NoCountPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "hrguard.api.errors.exception_handler",
    # JSON only: no browsable HTML API (its forms would be a second UI outside the site's pages and CSP).
    # The interactive docs stay at /api/docs/. HRGUARD_DEBUG=1 adds the browsable renderer for development.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HRGuard API",
    "DESCRIPTION": "HRGuard (人事风控) REST API. Authenticate with `Authorization: Token <key>` "
    "obtained from POST /api/v1/auth/token/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Swagger UI (5.33) renders a list of 150 or more tags + operations virtually: only what is on screen is in
    # the page, so the browser's find does not see the rest; the filter box finds operations by tag.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "filter": True},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HRGUARD_LOG_LEVEL", "WARNING")},
}

# --- Performance of the request path (bench/load.py; figures in bench/README.md, "Load") -------------
# Kept in one block. Templates: Django's cached loader is on (no "loaders" option, DEBUG off).
# Sessions stay in the database (not cached_db): a session deleted or expired in the database must end at
# once (idle timeout, sign-out everywhere), which a cached copy would outlive.
# The per-request session read is one fixed SQL statement (hrguard/core/session_store.py), not an ORM query.
SESSION_ENGINE = "hrguard.core.session_store"
