"""Settings for Sistem Informasi TKSK, read from the environment (see `.env.example`).

Defaults are safe for production (DEBUG off, secure cookies when DEBUG is off); a developer's
`make run` turns DEBUG on explicitly.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tksk.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tksk",
    "pendataan",
    "koordinasi",
    "laporan",
    # After our apps: tksk's db_worker and prune_db_task_results wrap theirs (job leases).
    "django_tasks",
    "django_tasks_db",
    "peta",
    "sinkron",
    "tenaga",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the session or the body: a NIK in an API address is refused first.
    "tksk.api.middleware.NomorDiUrlMiddleware",
    "tksk.api.middleware.KarakterNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON compressed here (static files come pre-compressed from WhiteNoise, above).
    # Django's gzip pads each response at random against BREACH; see docs/PERFORMANCE.md.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tksk.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After CSP: a first visit's inline styles get their hash into the policy (tksk/gaya.py).
    "tksk.gaya.GayaSebarisMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tksk.middleware.NoStoreMiddleware",
    "tksk.api.middleware.JsonGalatBadanMiddleware",
    # Last, so that it sees the final response of a refused login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tksk.urls"
WSGI_APPLICATION = "tksk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "tksk.context_processors.app",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# Without DATABASE_URL the project-local PostgreSQL under var/ is used (started on demand), so
# that `manage.py shell`, `dbshell` and the test runner work from a fresh clone.
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    from tksk import localdb

    DATABASE_URL = localdb.ensure_running(BASE_DIR)

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {})
# A runaway query is stopped instead of holding a connection forever.
DATABASES["default"]["OPTIONS"]["options"] = (
    f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 30000)}"
)
# Read scaling: a PostgreSQL streaming replica for dashboard, recap and export reads (see
# tksk/routers.py: only reads inside `baca_replika()` go there, never a read after a write).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 30)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        # A replica that is down costs a request this long once, then the primary serves.
        "connect_timeout": env_int("DB_REPLICA_CONNECT_TIMEOUT", 3),
    }
    # Tests run against the test copy of the primary, not a second test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tksk.routers.RouterReplika"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication --------------------------------------------------------------
AUTH_USER_MODEL = "tksk.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tksk.validators.ForbiddenWordsValidator"},
]

# django-axes: lock a username *at an address*, never an address alone: one kecamatan office
# shares one public address, and locking it would lock out every colleague.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The looser per-address limit across usernames (tksk/auth.py).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# HTML for the pages, JSON for the API (axes' middleware would answer the API with the page).
AXES_LOCKOUT_CALLABLE = "tksk.auth.lockout_response"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind a reverse proxy the client address comes from X-Forwarded-For (set by the proxy only).
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env_int("TRUSTED_PROXY_COUNT", 0)
    else ["REMOTE_ADDR"]
)

# Sessions: idle timeout and absolute lifetime are enforced by SessionLifetimeMiddleware.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_MAX_HOURS", 10) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
# Offline outbox: the first pause (ms) before a failed send is retried; it doubles up to 5 min.
OFFLINE_JEDA_AWAL_MS = env_int("OFFLINE_JEDA_AWAL_MS", 5000)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "tksk.views_pwa.csrf_gagal"

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The reverse proxy (nginx) terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script without a nonce, no eval, no inline styles, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (photos) live outside the static tree and are served only through views that
# apply the scoping rule.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names, gzip (and brotli when installed) copies made by collectstatic; WhiteNoise
    # serves them with a year's max-age, in `make run` as in production.
    "staticfiles": {"BACKEND": "tksk.storage.StaticStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Forms ----------------------------------------------------------------------------------
# Widgets may use the project's templates/ (the area cascade does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Background jobs ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job's worker renews its lease every quarter of this; a lease not renewed for this
# long belongs to a dead worker, and the job is taken back (re-queued once, then failed).
JOB_LEASE_DETIK = env_int("JOB_LEASE_DETIK", 60)
JOB_ULANG_MAKS = env_int("JOB_ULANG_MAKS", 1)

# --- Cache ----------------------------------------------------------------------------------
# The API's rate limits count in the cache, so it must be shared by every worker process and
# server (a per-process cache would multiply each limit by the number of processes): a table in
# the database, created by the migrations (tksk 0004), so there is no other service to run.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tksk_cache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10000)},
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Device tokens first: their 401 (with `WWW-Authenticate: Token`) is the API's answer.
        "tksk.auth.PerangkatTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, through the bounded parser (size, UTF-8, nesting depth): a 400, never a 500.
    "DEFAULT_PARSER_CLASSES": ["tksk.api.parsers.JSONAman"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tksk.api.pagination.Halaman",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_THROTTLE_TOKEN", "20/min"),
        "berat": env_str("API_THROTTLE_HEAVY", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sistem Informasi TKSK API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status"; name them so the schema's enum names stay stable.
    "ENUM_NAME_OVERRIDES": {
        "StatusVerifikasiEnum": "pendataan.models.StatusVerifikasi",
        "StatusTKSKEnum": "tenaga.models.StatusTKSK",
    },
}

# --- Application settings -------------------------------------------------------------------
TKSK_INSTANSI = env_str("TKSK_INSTANSI", "Dinas Sosial Provinsi Kalimantan Tengah")
TKSK_DEMO_PASSWORD = "Demo-Kalteng-2026"
# Referrals still "dikirim" after this many days are flagged for the TKSK and the kabupaten.
RUJUKAN_BATAS_HARI = env_int("RUJUKAN_BATAS_HARI", 7)
# Device tokens of the API: unused this many days ends one; none lives longer than the maximum.
TKSK_TOKEN_IDLE_DAYS = env_int("TKSK_TOKEN_IDLE_DAYS", 30)
TKSK_TOKEN_MAX_DAYS = env_int("TKSK_TOKEN_MAX_DAYS", 180)
# Rate limits of the partner link (uses per address and per link within the window).
RUJUKAN_TAUTAN_BATAS_IP = env_int("RUJUKAN_TAUTAN_BATAS_IP", 30)
RUJUKAN_TAUTAN_BATAS_TOKEN = env_int("RUJUKAN_TAUTAN_BATAS_TOKEN", 20)
RUJUKAN_TAUTAN_JENDELA_MENIT = env_int("RUJUKAN_TAUTAN_JENDELA_MENIT", 10)
# TKSK registry: dashboards flag SKs ending within this many days; "never trained" looks back
# this many years; the public certificate check answers this many requests per address and
# window before answering 429.
TENAGA_SK_BERAKHIR_HARI = env_int("TENAGA_SK_BERAKHIR_HARI", 60)
TENAGA_TANPA_PELATIHAN_TAHUN = env_int("TENAGA_TANPA_PELATIHAN_TAHUN", 3)
TENAGA_VERIFIKASI_BATAS_IP = env_int("TENAGA_VERIFIKASI_BATAS_IP", 30)
TENAGA_VERIFIKASI_JENDELA_MENIT = env_int("TENAGA_VERIFIKASI_JENDELA_MENIT", 10)

# Bodies of API requests: the largest (a household with its members is a few KB) and the deepest
# nesting accepted.
API_BATAS_BADAN = env_int("API_BATAS_BADAN_KB", 1024) * 1024
API_BATAS_KEDALAMAN = env_int("API_BATAS_KEDALAMAN", 20)

# --- Logging --------------------------------------------------------------------------------
# The NIK mask is on every handler: a filter on a logger does not see records that propagate to
# it, a filter on a handler sees everything it writes. Django's own loggers (request, server,
# security, and `django` whose default handler mails admins) are all redefined here, since the
# defaults Django installs before this config would otherwise keep their unmasked handlers.
_LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_nik": {"()": "tksk.logging.MaskNIKFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_nik"],
        },
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["mask_nik"],
        },
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": _LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": _LOG_LEVEL, "propagate": False},
        "django.security": {"handlers": ["console"], "level": _LOG_LEVEL, "propagate": False},
        # runserver's request log: the request line with its query.
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        # The background worker (manage.py db_worker) and the jobs it runs.
        "django_tasks": {"handlers": ["console"], "level": _LOG_LEVEL, "propagate": False},
    },
}
