"""Settings for Archwise, every one read from the environment with a safe development default."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Read a true/false variable; anything else is an error, not a guess."""
    value = os.environ.get(name, default).lower()
    if value not in ("true", "false"):
        raise ValueError(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("ARCHWISE_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ValueError(f"ARCHWISE_ENV must be 'development' or 'production', not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = envbool("DEBUG", "false")

DEVELOPMENT_KEY = "archwise-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_KEY)
# A random key of 50 URL-safe characters has about 30 distinct ones; a key with fewer than 20 is a
# word, a pattern or a repeated string, not a random value.
SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_DISTINCT = 50, 20
if PRODUCTION and (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_DISTINCT
    or SECRET_KEY == DEVELOPMENT_KEY
):
    raise ImproperlyConfigured(
        f"SECRET_KEY must be a random value of at least {SECRET_KEY_MIN_LENGTH} characters, "
        f"{SECRET_KEY_MIN_DISTINCT} of them different, in production, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# How many proxies in front of the app append to X-Forwarded-For (0: use the peer address), and
# the addresses or networks they connect from: X-Forwarded-For is read only on a request whose peer
# is one of them, so a client that reaches the app directly cannot choose its own address.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")
if TRUSTED_PROXY_COUNT and not TRUSTED_PROXIES:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is set, so TRUSTED_PROXIES must list the addresses or networks the "
        "proxies connect from, e.g. TRUSTED_PROXIES=10.0.0.0/8"
    )
# The admin is a login page open to the internet: off in production unless asked for.
ADMIN_ENABLED = envbool("ADMIN_ENABLED", "false" if PRODUCTION else "true")
ADMIN_LOGIN_RATE_PER_MINUTE = envint("ADMIN_LOGIN_RATE_PER_MINUTE", 10)
# Recommendations one client may create per minute and per day (which bounds what one client can
# store), and the largest request body accepted.
CREATE_RATE_PER_MINUTE = envint("CREATE_RATE_PER_MINUTE", 30)
CREATE_RATE_PER_DAY = envint("CREATE_RATE_PER_DAY", 500)
# Evaluations through the API (nothing stored) one client may run per minute.
EVALUATE_RATE_PER_MINUTE = envint("EVALUATE_RATE_PER_MINUTE", 300)
MAX_BODY_BYTES = envint("MAX_BODY_BYTES", 64 * 1024)
# A team's own rule files (comma-separated paths), loaded after the built-in catalog. `manage.py
# check` validates them against the answers, the knowledge base and the capability matrix.
RULE_PACKS = envlist("RULE_PACKS", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "advisor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "advisor.ops.middleware.CrossOriginResourcePolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "advisor.ops.middleware.BodySizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "advisor.ops.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "advisor.urls"
WSGI_APPLICATION = "advisor.wsgi.application"

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
            ],
        },
    },
]

# SQLite by default, tuned for concurrent requests (WAL journal, a busy timeout, immediate
# transactions); PostgreSQL or another database through DATABASE_URL.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=600, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis for the cache when REDIS_URL is set; otherwise a per-process cache and sessions kept in
# signed cookies, which need no shared store. Redis only speeds things up: when it is unreachable,
# reads miss and writes are skipped (and logged), pages render from the database, and sessions,
# kept in the database with Redis in front, carry on.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "archwise",
            "TIMEOUT": 3600,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "LOG_IGNORED_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "archwise",
            "TIMEOUT": 3600,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# Behind HTTPS in production: secure cookies, HSTS and redirects, unless explicitly served on
# plain HTTP (e.g. behind a load balancer that terminates TLS and forwards X-Forwarded-Proto).
HTTPS = envbool("HTTPS", "true" if PRODUCTION else "false")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", "true")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]

# A strict Content-Security-Policy: only this origin's scripts, styles and images; nothing inline,
# no eval, no framing. Every page's markup is written for it (no inline scripts or styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "clipboard-write": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Development serves static/ directly; production serves the collected, compressed copies.
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
