"""Settings for the MCA Portal, read from the environment.

Every knob is an environment variable (see README, "Configuration"). The
defaults make a development portal on SQLite; ``DJANGO_ENV=production`` turns on
the production posture and refuses to start without the secrets it needs.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development").lower() == "production"

if PRODUCTION:
    for required in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        if not os.environ.get(required):
            raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production")

SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-development-only-key-never-use-in-production-0123456789"
)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

# Every link that leaves the site (invitation emails, API download links) is
# built from this, never from the request's Host header.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "phonenumber_field",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Our apps, from the bottom of the ladder up (see README: imports only point down).
    "portal",
    "customers",
    "agreements",
    "orders",
    "invitations",
    "admin_center",
    "portfolio",
    "campaigns",
    "alerts",
    "bulk",
    "signing",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost of ours, so every page gets it, whichever middleware answered.
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the session or a view queries: input no database can store is a
    # 400 here (after LocaleMiddleware, so the 400 page is in the person's language).
    "portal.middleware.UnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "portal.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, so the sign-in page can say why the session ended.
    "portal.sessions.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: the page it puts in place of an empty 405 still passes through the others.
    "portal.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Django's |date, with each answer remembered (it is a pure function of the value,
            # the format and the language): a list formats two dates a row.
            "builtins": ["portal.templatetags.remembered_dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "alerts.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer rather than failing at once; SQLite serialises writes. IMMEDIATE
    # takes the write lock when a transaction begins, so two requests that both read and then
    # write wait in turn instead of one failing with "database is locked" on its first write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.auth_backends.PortalBackend",
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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins are limited per account and address on both sign-in pages.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And one address trying many names (password spraying) is stopped at this many failures
# within the cool-off, whatever the names: portal/sign_in_limits.py adds this second limit.
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "20"))
AXES_HANDLER = "portal.sign_in_limits.AccountAndAddressHandler"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.net.sign_in_name"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Renders that template saying how long the lock lasts.
AXES_LOCKOUT_CALLABLE = "portal.sign_in_limits.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# How many reverse proxies sit in front of the portal; the client address is read from
# X-Forwarded-For only that many hops deep, and X-Forwarded-Proto is believed only when
# there is one (0 or unset: REMOTE_ADDR only, no forwarded headers believed).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or "0")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is a number of proxies: 0 or more.")
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cs", _("Czech"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Prague")
# One way of writing dates and moments per language (portal/formats/).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: the console backend in development; EMAIL_URL=smtp://user:pass@host:port
# (or smtp+tls:// / smtp+ssl://) selects SMTP.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "MCA Portal <no-reply@mca-portal.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    from urllib.parse import unquote, urlsplit

    _mail = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtp+ssl"
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )

# Background jobs (portal.background): Django's Tasks API through the django-tasks backport.
# By default the jobs live in the portal's own database and `manage.py worker` runs them (on
# PostgreSQL any number of workers, on any number of machines, share the queue).
# TASKS_REDIS_URL=redis://host:6379/0 puts them on Redis instead, run by RQ workers
# (`pip install -e '.[rq]'`, then `manage.py rqworker default email --job-class
# django_tasks_rq.Job`).
TASK_QUEUES = ["default", "email"]
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "")
if TASKS_REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {queue: {"URL": TASKS_REDIS_URL} for queue in TASK_QUEUES}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

# The email outbox (portal.outbox): at most this many emails a minute per partner (more wait
# their turn, none is dropped); a transient SMTP error is retried with a doubling delay from
# EMAIL_RETRY_BASE_SECONDS, at most EMAIL_MAX_ATTEMPTS times; a message a worker claimed and
# never finished within EMAIL_SENDING_TIMEOUT_SECONDS is marked unknown (never sent twice).
EMAIL_RATE_PER_PARTNER_PER_MINUTE = int(os.environ.get("EMAIL_RATE_PER_PARTNER_PER_MINUTE", "60"))
EMAIL_RETRY_BASE_SECONDS = 60
EMAIL_MAX_ATTEMPTS = 8
EMAIL_SENDING_TIMEOUT_SECONDS = 600
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# Webhooks (alerts.webhooks): a POST waits WEBHOOK_TIMEOUT_SECONDS for its answer; a failed one
# is retried with a doubling delay from WEBHOOK_RETRY_BASE_SECONDS for WEBHOOK_RETRY_FOR_SECONDS
# after the event; a delivery claimed and unfinished after WEBHOOK_SENDING_TIMEOUT_SECONDS is
# sent again (at least once, same event id); an endpoint failing every attempt for
# WEBHOOK_DISABLE_AFTER_SECONDS (at least WEBHOOK_DISABLE_MIN_FAILURES in a row) is disabled.
# Plain http to localhost only with WEBHOOK_ALLOW_LOCAL_HTTP (development).
WEBHOOK_ALLOW_LOCAL_HTTP = env_bool("WEBHOOK_ALLOW_LOCAL_HTTP", DEBUG)
WEBHOOK_TIMEOUT_SECONDS = int(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_RETRY_BASE_SECONDS = 60
WEBHOOK_RETRY_FOR_SECONDS = 24 * 60 * 60
WEBHOOK_SENDING_TIMEOUT_SECONDS = 120
WEBHOOK_DISABLE_AFTER_SECONDS = 24 * 60 * 60
WEBHOOK_DISABLE_MIN_FAILURES = 5

SESSION_ENGINE = "portal.session_store"
SESSION_COOKIE_AGE = 60 * 60 * 8
# A signed-in session also ends after this many seconds without a request (portal, admin
# center and operators' admin alike); SESSION_COOKIE_AGE above is the limit in any case.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
if not 60 <= SESSION_IDLE_TIMEOUT <= SESSION_COOKIE_AGE:
    raise ImproperlyConfigured(
        f"SESSION_IDLE_TIMEOUT is in seconds: 60 to {SESSION_COOKIE_AGE} (SESSION_COOKIE_AGE)."
    )
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{key} {value}" for key, value in _CSP.items())
CONTENT_SECURITY_POLICY_API_DOCS = "; ".join(
    f"{key} {value}" for key, value in {**_CSP, "script-src": "'self' 'unsafe-inline'"}.items()
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are bound to this exact host, sent only over HTTPS, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    LANGUAGE_COOKIE_SECURE = True
    if TRUSTED_PROXY_COUNT > 0:
        # Only behind a proxy of ours may X-Forwarded-Proto say the request came over HTTPS;
        # exposed directly, any client could send it and pass for a secure request.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", PORTAL_BASE_URL)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

PHONENUMBER_DEFAULT_REGION = None
PHONENUMBER_DEFAULT_FORMAT = "E164"

# Acceptance evidence is signed with an Ed25519 key kept outside the database: a PEM in
# EVIDENCE_SIGNING_KEY (a secret), else EVIDENCE_KEY_DIR/signing-key.pem. The folder's public/
# keeps every public key ever used, so records signed before a rotation still verify.
# Development creates a key on first use; production refuses to start without one.
EVIDENCE_KEY_DIR = Path(os.environ.get("EVIDENCE_KEY_DIR", str(BASE_DIR / "var" / "evidence-keys")))
EVIDENCE_SIGNING_KEY = os.environ.get("EVIDENCE_SIGNING_KEY", "")
EVIDENCE_KEY_AUTOCREATE = not PRODUCTION
if PRODUCTION and not EVIDENCE_SIGNING_KEY and not (EVIDENCE_KEY_DIR / "signing-key.pem").exists():
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs an evidence signing key: set EVIDENCE_SIGNING_KEY or put "
        "signing-key.pem in EVIDENCE_KEY_DIR (openssl genpkey -algorithm ed25519 -out "
        "signing-key.pem, or DJANGO_ENV=development manage.py evidence_key create)."
    )

# Password reset links work for this many seconds (Django's setting; its default is 3 days).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60)))
# An invited agent's set-password link works for this many days (resending makes a new one).
AGENT_INVITATION_DAYS = int(os.environ.get("AGENT_INVITATION_DAYS", "7"))
# Password reset requests: at most so many per address and per email within the window.
PASSWORD_RESET_RATE_WINDOW = 60 * 60
PASSWORD_RESET_RATE_PER_IP = int(os.environ.get("PASSWORD_RESET_RATE_PER_IP", "10"))
PASSWORD_RESET_RATE_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_RATE_PER_EMAIL", "3"))

# Invitations expire after this many days unless resent.
INVITATION_EXPIRY_DAYS = int(os.environ.get("INVITATION_EXPIRY_DAYS", "30"))

# manage.py bench turns this on for the portal it serves: the anchor views it measures pages
# against (bench/urls.py). Never on otherwise.
BENCH_ANCHORS = env_bool("BENCH_ANCHORS", False)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MCA Portal API",
    "DESCRIPTION": "Microsoft Customer Agreement acceptance, in Partner Center's shapes.\n\n"
    "No text in a request (path, query, headers, body, JSON keys included) may contain "
    "NUL (U+0000) or half of a surrogate pair: such a request is answered 400.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A name of its own for each "status" choice set the schema has (else an arbitrary hash).
    "ENUM_NAME_OVERRIDES": {
        "BulkJobStatusEnum": "bulk.api.PUBLIC_STATUSES",
        "EnhancedAttestationStatusEnum": "signing.api.STATUS_NAMES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
