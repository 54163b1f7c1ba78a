"""Production settings: everything that differs comes from the environment.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, DJANGO_SITE_URL; a missing one
stops the start with a message naming it (`make serve` sets local defaults for all of them).
Behind a TLS-terminating proxy that sets X-Forwarded-Proto, also set
DJANGO_SECURE_PROXY_SSL_HEADER=true.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CACHES,
    RATELIMIT_USE_CACHE,
    REGISTRATION_RATE_LIMIT_STORE,
    env,
    env_bool,
)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY for production settings.")
# Without these, base.py's local defaults would quietly apply: a SQLite file next to the code,
# localhost only, and e-mails linking to http://127.0.0.1:8000.
_missing = [
    name for name in ("DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "DJANGO_SITE_URL") if not env(name)
]
if _missing:
    raise ImproperlyConfigured(
        f"Set {', '.join(_missing)} for production settings (see docs/deployment.md)."
    )

# Behind a proxy or load balancer that terminates TLS, Django sees plain HTTP: set
# DJANGO_SECURE_PROXY_SSL_HEADER=true so it trusts X-Forwarded-Proto: https for
# request.is_secure() (redirects, secure cookies, CSRF). Only when the proxy always sets or
# overwrites that header itself: a client could otherwise claim HTTPS.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers probe the app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Set in base.py too; repeated here so this file lists every header production relies on.
# "same-origin": the registration status page's cancel POST needs a referrer for CSRF.
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Rate-limit counts kept in a cache that each process has for itself (or whose increment is not
# atomic) would let every worker accept its own share: refused unless this deployment says it
# runs one process (DJANGO_SINGLE_PROCESS=true). Without Redis the counts go to the database.
_UNSHARED_CACHES = ("LocMemCache", "FileBasedCache", "DummyCache")
if (
    REGISTRATION_RATE_LIMIT_STORE == "cache"
    and CACHES[RATELIMIT_USE_CACHE]["BACKEND"].endswith(_UNSHARED_CACHES)
    and not env_bool("DJANGO_SINGLE_PROCESS")
):
    raise ImproperlyConfigured(
        "REGISTRATION_RATE_LIMIT_STORE=cache needs a cache every app server shares (REDIS_URL); "
        "use REGISTRATION_RATE_LIMIT_STORE=database, or set DJANGO_SINGLE_PROCESS=true if this "
        "deployment really runs one process."
    )
