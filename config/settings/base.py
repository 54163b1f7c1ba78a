"""Settings shared by every environment.

Every deployment difference is an environment variable read here or in the
module of one environment; the defaults need nothing installed.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    """Return an environment variable, treating an empty value as unset."""
    return os.environ.get(name) or default


def env_bool(name: str, *, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "django_tasks",  # the tasks API (django.tasks in Django 6): checks of the backends
    # django_tasks_db (the database backend: task rows, db_worker, prune_db_task_results)
    "outbox.apps.TasksDatabaseConfig",
    # Layers, lowest first; a lower app never imports a higher one (make lint checks it).
    "outbox",
    "organizations",
    "events",
    "followup",
    "registrations",
    "meetings",
    "website",
    "backoffice",
    "devdata",
    "api",
    "checkin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Caching: ETag on every page and 304 for a matching If-None-Match (website/cache.py).
    "django.middleware.http.ConditionalGetMiddleware",
    # API: rate limits, CORS, caching headers and cache of public reads under /api/v1/.
    "api.middleware.ApiMiddleware",
    # Security: the Content-Security-Policy header and the request's nonce (see below).
    "common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, with the path's language looked up once (common/middleware.py).
    "common.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.middleware.LazyMessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Faults: a database that cannot be reached answers with a translated 503 page.
    "common.middleware.DatabaseUnavailableMiddleware",
    # Security: admin sign-in lockout; django-axes wants its middleware last.
    "axes.middleware.AxesMiddleware",
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
                "organizations.context_processors.organizer",
            ],
            # Shared tags of a package that is not an app (common/ has no models).
            "libraries": {
                "bilingual": "common.templatetags.bilingual",
                "choices": "common.templatetags.choices",
            },
        },
    },
]

# An empty DATABASE_URL counts as unset: SQLite needs nothing installed.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if env_bool("DATABASE_POOL") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # psycopg's pool in each app server process; it replaces persistent connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(env("DATABASE_POOL_MIN_SIZE", "2")),
        "max_size": int(env("DATABASE_POOL_MAX_SIZE", "8")),
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite takes one writer at a time. WAL lets readers go on while one writes; IMMEDIATE
    # transactions take the write lock when they begin, so two registrations queue instead of
    # failing with "database is locked" when both upgrade a read to a write; a writer waits up to
    # DATABASE_SQLITE_TIMEOUT seconds for the lock (Django 5.1+ OPTIONS).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(env("DATABASE_SQLITE_TIMEOUT", "20")),
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default cache holds pages and fragments (and, with Redis, the rate-limit counts): local
# memory of each process, or Redis shared by all (REDIS_URL). The stamps that say which cached
# pages are current must be shared by every process that serves or changes data (gunicorn
# workers, manage.py): the same Redis, or else files on this machine (DJANGO_CACHE_STAMPS_DIR).
# See common/pagecache.py.
_redis_url = env("REDIS_URL")


def redis_caches(url: str) -> dict:
    """The caches on Redis at ``url``, each failing as its users need when Redis is down.

    ``default`` (pages, fragments) ignores the failure: pages render from the database. The
    stamps and the rate-limit counts raise, for their code to decide: no page served or stored
    (common/pagecache.py), no registration counted, so none accepted (registrations/ratelimit.py).
    Short socket timeouts keep a Redis that does not answer from holding requests.
    """
    redis = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
    degrading = {**redis, "OPTIONS": {**redis["OPTIONS"], "IGNORE_EXCEPTIONS": True}}
    # progress: staff jobs' progress, written by a worker, read by the app servers (outbox/jobs.py).
    return {"default": degrading, "stamps": redis, "ratelimit": redis, "progress": degrading}


CACHES = (
    redis_caches(_redis_url)
    if _redis_url
    else {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "stamps": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("DJANGO_CACHE_STAMPS_DIR", str(BASE_DIR / ".cache" / "stamps")),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        # Used only with REGISTRATION_RATE_LIMIT_STORE=cache in one process (DJANGO_SINGLE_PROCESS).
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
        # Progress of staff jobs, written by a worker and read by the app servers (outbox/jobs.py):
        # files every process of this machine shares.
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("DJANGO_CACHE_PROGRESS_DIR", str(BASE_DIR / ".cache" / "progress")),
        },
    }
)
# Pages and fragments that Redis could not serve are logged, so an outage shows in the logs.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Seconds an anonymous visitor's public page (0: never cached) or a fragment of one (edition
# pages) is kept at most; changes invalidate them at once whatever these say.
PUBLIC_PAGE_CACHE_SECONDS = int(env("DJANGO_PUBLIC_PAGE_CACHE_SECONDS", "3600"))
PUBLIC_FRAGMENT_CACHE_SECONDS = int(env("DJANGO_PUBLIC_FRAGMENT_CACHE_SECONDS", "3600"))

# django-axes first: it refuses sign-ins of a locked-out client before checking the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language everywhere (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# A text missing in one language shows the other one instead of nothing.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "zh-hans")}

# A CDN in front of the app servers: set DJANGO_STATIC_URL=https://cdn.example.org/static/
STATIC_URL = env("DJANGO_STATIC_URL", "static/")
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence of capital in place (followup): outside MEDIA_ROOT, never served at a public address.
# With several app servers, a folder they all mount.
PRIVATE_MEDIA_ROOT = Path(env("DJANGO_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
# Let Django itself serve uploaded files (local use; production serves them elsewhere).
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if _media_bucket := env("DJANGO_MEDIA_BUCKET"):
    # Uploads on S3-compatible object storage, shared by every app server (django-storages;
    # credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as boto3 reads them).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _media_bucket,
            "endpoint_url": env("DJANGO_MEDIA_ENDPOINT_URL") or None,
            "region_name": env("DJANGO_MEDIA_REGION") or None,
            "custom_domain": env("DJANGO_MEDIA_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "default_acl": None,
        },
    }

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
# Mail leaves from task workers, never from a request: a slow server may take its time (a
# timeout shorter than the server's answer risks a duplicate, the server keeping a message whose
# "250" was never read).
EMAIL_TIMEOUT = int(env("DJANGO_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "events@localhost")

# Background work (outbox/): the database backend needs no other service; any number of
# `manage.py db_worker` processes on any number of hosts share the queue (docs/deployment.md).
TASKS = {
    "default": {
        "BACKEND": env("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # e-mail; webhooks and other short work; long staff jobs (own worker in production).
        "QUEUES": ["email", "default", "staff"],
    }
}
# An attempt to send an e-mail owns it this long; a worker lost mid-send is noticed after it.
# Keep it well above the longest SMTP conversation (about 8 commands x EMAIL_TIMEOUT).
OUTBOX_LEASE_SECONDS = int(env("OUTBOX_LEASE_SECONDS", "600"))
# Seconds between attempts, comma-separated (default in outbox/services.py: 1 min ... 8 h).
OUTBOX_BACKOFF = [float(s) for s in env_list("OUTBOX_BACKOFF")] or None

# Absolute links in e-mails (the status page) start with this, e.g. https://events.example.org
SITE_URL = env("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Registrations: a per-IP limit on form submissions, counted atomically where every app server
# sees the count (registrations/ratelimit.py): in Redis when REDIS_URL is set ("cache"), else in
# the database ("database"); never in a cache local to one process.
REGISTRATION_RATE_LIMIT = env("REGISTRATION_RATE_LIMIT", "10/h")
REGISTRATION_RATE_LIMIT_STORE = env(
    "REGISTRATION_RATE_LIMIT_STORE", "cache" if _redis_url else "database"
)
REGISTRATION_MAX_DELEGATES = int(env("REGISTRATION_MAX_DELEGATES", "20"))
RATELIMIT_USE_CACHE = "ratelimit"

# The client's address for the rate limits and the admin lock-out (common/clientip.py). Behind
# proxies: DJANGO_CLIENT_IP_HEADER names the request.META key of the header they set
# (HTTP_X_REAL_IP, or HTTP_X_FORWARDED_FOR with DJANGO_CLIENT_IP_PROXY_COUNT proxies appending to
# it). The older RATELIMIT_IP_META_KEY / AXES_IP_META_KEY variables are read as the header too.
CLIENT_IP_HEADER = (
    env("DJANGO_CLIENT_IP_HEADER") or env("RATELIMIT_IP_META_KEY") or env("AXES_IP_META_KEY")
)
CLIENT_IP_PROXY_COUNT = int(env("DJANGO_CLIENT_IP_PROXY_COUNT", "1"))
RATELIMIT_IP_META_KEY = "common.clientip.client_ip"

# The JSON API (/api/v1/): requests per client address without a token, and per token; the
# largest page; how long public reads are kept server-side (never stale: changes outdate them at
# once, like the public pages) and how long browsers and proxies may reuse them.
API_RATE_LIMIT_ANONYMOUS = env("API_RATE_LIMIT_ANONYMOUS", "120/m")
API_RATE_LIMIT_TOKEN = env("API_RATE_LIMIT_TOKEN", "600/m")
API_MAX_PAGE_SIZE = 100
API_CACHE_SECONDS = int(env("DJANGO_API_CACHE_SECONDS", "3600"))
API_BROWSER_CACHE_SECONDS = int(env("DJANGO_API_BROWSER_CACHE_SECONDS", "60"))
# Webhooks: seconds to wait for a receiver's answer; failures in a row that disable an endpoint.
WEBHOOK_TIMEOUT_SECONDS = int(env("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_DISABLE_AFTER_FAILURES = int(env("WEBHOOK_DISABLE_AFTER_FAILURES", "20"))
# Webhooks go only to public addresses (api/webhooks.address_refusal); true lets them reach
# loopback and private networks (a receiver inside the organizer's network on purpose).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES")
# The licence stated in the open-data dumps and the API's description.
OPEN_DATA_LICENCE = env("OPEN_DATA_LICENCE", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = env("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")

# Security headers of every environment; production.py adds HSTS and secure cookies.
X_FRAME_OPTIONS = "DENY"
# "same-origin", not "no-referrer": the registration status page's cancel POST needs a referrer
# for Django's CSRF check.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): nothing inline but what carries the request's nonce
# (the JSON-LD data of edition pages). A CDN in DJANGO_STATIC_URL and a custom media domain are
# allowed by themselves; other origins (an S3 endpoint) go in DJANGO_CSP_EXTRA_ORIGINS,
# comma-separated, e.g. https://media.example.org
_csp_extra = env_list("DJANGO_CSP_EXTRA_ORIGINS")
if STATIC_URL.startswith(("https://", "http://")):
    _csp_extra.append("/".join(STATIC_URL.split("/")[:3]))
if env("DJANGO_MEDIA_CUSTOM_DOMAIN"):
    _csp_extra.append(f"https://{env('DJANGO_MEDIA_CUSTOM_DOMAIN')}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, *_csp_extra],
        "style-src": [SELF, *_csp_extra],
        "img-src": [SELF, "data:", *_csp_extra],
        "font-src": [SELF, *_csp_extra],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Admin sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one user
# name from one address, that pair is refused for AXES_COOLOFF_HOURS. Attempts are kept in the
# database, so every app server and worker sees the same count.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
# Unlock from the command line (manage.py axes_reset_username NAME); no admin pages of its own.
AXES_ENABLE_ADMIN = False
# The client's address as the rate limits see it (django-ipware is not installed: without this
# axes would use REMOTE_ADDR, the proxy's, and one lock-out would lock out everyone).
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_ip"

# Uploaded images (photos, logos): larger files are refused; the rest are re-encoded.
IMAGE_UPLOAD_MAX_BYTES = int(env("IMAGE_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
IMAGE_UPLOAD_MAX_PIXELS = int(env("IMAGE_UPLOAD_MAX_PIXELS", str(40_000_000)))

# Privacy: contact details of registrations are erased this many days after the edition's
# last day by `manage.py erase_expired_registrations` (run it daily). On by default: 365 days;
# REGISTRATION_RETENTION_DAYS=0 turns it off (kept until erased on request). The privacy notice
# states the period and the organizer's address (DJANGO_ORGANIZER_EMAIL) for questions.
REGISTRATION_RETENTION_DAYS = int(env("REGISTRATION_RETENTION_DAYS", "365")) or None
# Texts of sent e-mails (they hold names and status links) are blanked this many days after
# sending by `manage.py outbox_prune` (daily); the delivery record stays. 0 turns it off.
OUTBOX_BODY_RETENTION_DAYS = int(env("OUTBOX_BODY_RETENTION_DAYS", "90")) or None
# Webhook messages (their payloads name institutions and registrations) delivered or given up
# are deleted this many days after they were made by `manage.py webhooks_prune` (daily).
WEBHOOK_DELIVERY_RETENTION_DAYS = int(env("WEBHOOK_DELIVERY_RETENTION_DAYS", "90")) or None
ORGANIZER_EMAIL = env("DJANGO_ORGANIZER_EMAIL", DEFAULT_FROM_EMAIL)

# Backups started from the admin (a staff job) are written into folders here.
BACKUP_ROOT = Path(env("DJANGO_BACKUP_ROOT", str(BASE_DIR / "backups")))

# The admin's history lists which fields each version changed.
SIMPLE_HISTORY_HISTORY_CHANGES_COLUMN_ENABLED = True

# Imports run in one transaction: a file with any bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Registrants type names that end up in staff spreadsheets: "=HYPERLINK(...)", "+cmd", "@SUM"
# stay text. The export formats of common/formats.py do it for every cell (import-export's own
# IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only handles a leading "=" and turns numbers to text).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
