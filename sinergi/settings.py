"""Django settings for Sinergi.

Everything that differs between a laptop demo and production comes from the environment:
`SINERGI_DEMO=1` (debug, a generated secret, relaxed cookies), `SINERGI_SECRET_KEY`,
`DATABASE_URL` (`sqlite:///path` or `postgres://...`), `SINERGI_ALLOWED_HOSTS`,
`SINERGI_PGBOUNCER=transaction` behind PgBouncer in transaction mode (docs/deploy.md).
"""

import ipaddress
import os
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SINERGI_VAR_DIR", Path.cwd() / "var"))

DEMO = os.environ.get("SINERGI_DEMO") == "1"
TESTING = os.environ.get("SINERGI_TESTING") == "1"
DEBUG = DEMO or os.environ.get("SINERGI_DEBUG") == "1"

SECRET_KEY = os.environ.get("SINERGI_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEMO or TESTING or DEBUG):
        raise ImproperlyConfigured("Set SINERGI_SECRET_KEY (or SINERGI_DEMO=1 for a local demo).")
    SECRET_KEY = "insecure-demo-key-never-use-in-production"

ALLOWED_HOSTS = [h for h in os.environ.get("SINERGI_ALLOWED_HOSTS", "").split(",") if h]
if DEMO or DEBUG or TESTING:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver"]

SINERGI_APPS = [
    "sinergi.core",
    "sinergi.areas",
    "sinergi.accounts",
    "sinergi.atlas",
    "sinergi.meetings",
    "sinergi.grants",
    "sinergi.risk",
    "sinergi.incidents",
    "sinergi.deployment",
    "sinergi.turnout",
    "sinergi.situation",
    "sinergi.people",
    "sinergi.messaging",
    "sinergi.reach",
    "sinergi.field",
    "sinergi.ops",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the Swagger UI of /api/v1/docs from the package, not a CDN
    "django_tasks",
    "django_tasks_db",
    *SINERGI_APPS,
]

MIDDLEWARE = [
    "sinergi.core.middleware.SecurityHeadersMiddleware",  # CSP and friends on every response, static too
    # Compresses pages, JSON and map boundaries (issue 12: a phone on 2G/3G); before every middleware
    # that writes a body. Django adds random bytes to each gzip header against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "sinergi.core.middleware.ApiErrorsAsJsonMiddleware",  # no HTML error page under /api/
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sinergi.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sinergi.core.sanitise.TextSanitiserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "sinergi.urls"
WSGI_APPLICATION = "sinergi.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "sinergi.core.context_processors.navigation",
                "sinergi.accounts.context_processors.user_area",
            ],
        },
    }
]


def _package_dir(name: str) -> Path:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(f"package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _database() -> dict[str, Any]:
    default_sqlite = f"sqlite:///{VAR_DIR / 'sinergi.sqlite3'}"
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", default_sqlite), conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the task worker and the web process read and write side by side.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
        config["CONN_MAX_AGE"] = int(os.environ.get("SINERGI_CONN_MAX_AGE", "60"))
        pooler = os.environ.get("SINERGI_PGBOUNCER", "")
        if pooler not in ("", "transaction"):
            raise ImproperlyConfigured(f"SINERGI_PGBOUNCER is 'transaction' or empty (not {pooler!r})")
        if pooler == "transaction":
            # PgBouncer in transaction mode hands each transaction a possibly different server
            # connection: no named server-side cursors (they live across transactions) and no
            # prepared statements (they live on one server connection). The app keeps its client
            # connections to PgBouncer (CONN_MAX_AGE); PgBouncer pools the server connections.
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
            config.setdefault("OPTIONS", {})["prepare_threshold"] = None
    suffix = os.environ.get("SINERGI_TEST_DB_SUFFIX", "")
    config["TEST"] = {"NAME": f"test_sinergi{suffix}" if config["ENGINE"].endswith("postgresql") else None}
    return dict(config)


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _cache(url: str) -> dict:
    """`SINERGI_CACHE_URL`: empty for this process's memory, bounded (demo, tests, one process);
    `redis://host:6379/0` for the cache every app process and worker shares (production, docs/deploy.md);
    `db://` for the database's cache table (`sinergi createcachetable`) where no Redis runs."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sinergi",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "sinergi"}
    if url == "db://":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sinergi_cache",
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    raise ImproperlyConfigured(f"SINERGI_CACHE_URL is redis://..., db:// or empty (not {url!r})")


CACHES = {"default": _cache(os.environ.get("SINERGI_CACHE_URL", ""))}

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
# Leaflet's files come from the django-leaflet package; its Django app needs GDAL, so only
# its static folder is used.
STATICFILES_DIRS = [_package_dir("leaflet") / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

EMAIL_BACKEND = os.environ.get("SINERGI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SINERGI_FROM_EMAIL", "sinergi@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 3600
CSRF_COOKIE_HTTPONLY = False
if not (DEMO or DEBUG or TESTING):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_HSTS_SECONDS = int(os.environ.get("SINERGI_HSTS_SECONDS", "31536000"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SINERGI_SSL_REDIRECT", "1") == "1"
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SINERGI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Login throttle: failures allowed within the window per (account, address), per account from any
# address, and per client address (see accounts/throttle.py).
LOGIN_THROTTLE = {"per_account": 5, "per_account_total": 20, "per_address": 30, "window_seconds": 15 * 60}

# Reverse proxies whose `X-Forwarded-For` is believed (comma-separated IPs or CIDR networks, e.g.
# "127.0.0.1,10.0.0.0/8"). Empty: the header is ignored and the socket address is the client.
SINERGI_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("SINERGI_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in SINERGI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"SINERGI_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from _exc

# Personal API tokens expire this many days after they are created.
_token_days = os.environ.get("SINERGI_TOKEN_DAYS", "90")
if not _token_days.isdigit() or int(_token_days) < 1:
    raise ImproperlyConfigured(f"SINERGI_TOKEN_DAYS must be a whole number of days, at least 1 (not {_token_days!r})")
SINERGI_TOKEN_DAYS = int(_token_days)
# A token's `last_used_at` is written at most this often (not on every request of a voting-day burst).
SINERGI_TOKEN_TOUCH_SECONDS = int(os.environ.get("SINERGI_TOKEN_TOUCH_SECONDS", "300"))
# Single turnout reports take the two-statement path (turnout/fastpath.py); "0" sends them through the
# locked batch path instead (a kill switch, and the "before" of benchmarks/turnout_single.py).
SINERGI_TURNOUT_FAST_PATH = os.environ.get("SINERGI_TURNOUT_FAST_PATH", "1") != "0"
# Stored turnout roll-ups (turnout/tally.py): a read refreshes them itself when slot changes older than
# this are not tallied yet (the worker is behind); the refresh re-reads this much before its last run,
# for transactions that committed late. Tests read their own writes at once (0).
SINERGI_TALLY_FRESH_SECONDS = float(os.environ.get("SINERGI_TALLY_FRESH_SECONDS", "0" if TESTING else "15"))
SINERGI_TALLY_OVERLAP_SECONDS = float(os.environ.get("SINERGI_TALLY_OVERLAP_SECONDS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SINERGI_LOG_LEVEL", "WARNING")},
}

# Optional: POST every notification as JSON to a messaging gateway (e.g. a WhatsApp/SMS bridge).
SINERGI_NOTIFY_WEBHOOK = os.environ.get("SINERGI_NOTIFY_WEBHOOK", "")
# Shared secret an SMS gateway sends with `POST /api/v1/sms/inbound`.
SINERGI_SMS_GATEWAY_TOKEN = os.environ.get("SINERGI_SMS_GATEWAY_TOKEN", "demo-sms-token" if DEMO or TESTING else "")
# The number field staff text when the field app offers a report as an SMS (empty: the phone asks).
SINERGI_SMS_NUMBER = os.environ.get("SINERGI_SMS_NUMBER", "")

# Messaging (issue 13, docs/messaging.md): credentials only from the environment, never the database.
SINERGI_FAKE_GATEWAY_PORT = int(os.environ.get("SINERGI_FAKE_GATEWAY_PORT", "8025"))
SINERGI_PUBLIC_URL = os.environ.get("SINERGI_PUBLIC_URL", "http://127.0.0.1:8000")
# People (issue 13, docs/people.md): activation links live this many days; one-time login codes' limits.
SINERGI_PEOPLE_ACTIVATION_DAYS = int(os.environ.get("SINERGI_PEOPLE_ACTIVATION_DAYS", "14"))
SINERGI_PEOPLE_OTP = {"ttl_seconds": 300, "per_phone": 3, "per_account": 5, "per_address": 10, "window_seconds": 900}
SINERGI_MESSAGING_CHANNEL_ORDER = os.environ.get(
    "SINERGI_MESSAGING_CHANNEL_ORDER", "sms,whatsapp,telegram,email"
).split(",")
# Deliver right after the sending transaction commits (a django-task); tests call the delivery themselves.
SINERGI_MESSAGING_DELIVER_ON_COMMIT = not TESTING
SINERGI_SMS_PROVIDER = os.environ.get("SINERGI_SMS_PROVIDER", "android")  # android | twilio
# "SMS Gateway for Android" (capcom6) local server or its cloud: base URL, basic-auth user and password,
# and the secret its webhooks are signed with (X-Signature, HMAC-SHA256).
SINERGI_ANDROID_SMS_URL = os.environ.get(
    "SINERGI_ANDROID_SMS_URL", f"http://127.0.0.1:{SINERGI_FAKE_GATEWAY_PORT}/android" if DEMO else ""
)
SINERGI_ANDROID_SMS_USER = os.environ.get("SINERGI_ANDROID_SMS_USER", "sinergi" if DEMO else "")
SINERGI_ANDROID_SMS_PASSWORD = os.environ.get("SINERGI_ANDROID_SMS_PASSWORD", "demo-android-password" if DEMO else "")
SINERGI_ANDROID_SMS_WEBHOOK_SECRET = os.environ.get(
    "SINERGI_ANDROID_SMS_WEBHOOK_SECRET", "demo-android-webhook-secret" if DEMO else ""
)
# Twilio Messages API.
SINERGI_TWILIO_URL = os.environ.get("SINERGI_TWILIO_URL", "https://api.twilio.com")
SINERGI_TWILIO_ACCOUNT_SID = os.environ.get("SINERGI_TWILIO_ACCOUNT_SID", "")
SINERGI_TWILIO_AUTH_TOKEN = os.environ.get("SINERGI_TWILIO_AUTH_TOKEN", "")
SINERGI_TWILIO_FROM = os.environ.get("SINERGI_TWILIO_FROM", "")  # a number or a Messaging Service SID (MG...)
# WhatsApp Business Cloud API (Meta Graph API).
_FAKE = f"http://127.0.0.1:{SINERGI_FAKE_GATEWAY_PORT}"  # `sinergi fake-gateway`, started by `sinergi demo`
SINERGI_WHATSAPP_URL = os.environ.get(
    "SINERGI_WHATSAPP_URL", f"{_FAKE}/whatsapp" if DEMO else "https://graph.facebook.com/v21.0"
)
SINERGI_WHATSAPP_TOKEN = os.environ.get("SINERGI_WHATSAPP_TOKEN", "demo-whatsapp-token" if DEMO else "")
SINERGI_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("SINERGI_WHATSAPP_PHONE_NUMBER_ID", "100000000000001" if DEMO else "")
SINERGI_WHATSAPP_APP_SECRET = os.environ.get("SINERGI_WHATSAPP_APP_SECRET", "demo-whatsapp-app-secret" if DEMO else "")
SINERGI_WHATSAPP_VERIFY_TOKEN = os.environ.get("SINERGI_WHATSAPP_VERIFY_TOKEN", "demo-verify" if DEMO else "")
# Telegram Bot API.
SINERGI_TELEGRAM_URL = os.environ.get(
    "SINERGI_TELEGRAM_URL", f"{_FAKE}/telegram" if DEMO else "https://api.telegram.org"
)
SINERGI_TELEGRAM_BOT_TOKEN = os.environ.get("SINERGI_TELEGRAM_BOT_TOKEN", "123456:demo-telegram-token" if DEMO else "")
SINERGI_TELEGRAM_BOT_USERNAME = os.environ.get("SINERGI_TELEGRAM_BOT_USERNAME", "sinergi_demo_bot" if DEMO else "")
SINERGI_TELEGRAM_WEBHOOK_SECRET = os.environ.get(
    "SINERGI_TELEGRAM_WEBHOOK_SECRET", "demo-telegram-secret" if DEMO else ""
)
# Per-provider send rate: (messages, per seconds). An Android phone sends under 30 SMS a minute.
SINERGI_MESSAGING_RATES = {
    "android": (int(os.environ.get("SINERGI_RATE_ANDROID_PER_MIN", "25")), 60),
    "twilio": (int(os.environ.get("SINERGI_RATE_TWILIO_PER_S", "10")), 1),
    "whatsapp": (int(os.environ.get("SINERGI_RATE_WHATSAPP_PER_S", "20")), 1),
    "telegram": (int(os.environ.get("SINERGI_RATE_TELEGRAM_PER_S", "25")), 1),
    "email": (int(os.environ.get("SINERGI_RATE_EMAIL_PER_S", "5")), 1),
}
SINERGI_MESSAGING_MAX_ATTEMPTS = int(os.environ.get("SINERGI_MESSAGING_MAX_ATTEMPTS", "5"))
SINERGI_MESSAGING_BACKOFF_SECONDS = int(os.environ.get("SINERGI_MESSAGING_BACKOFF_SECONDS", "30"))
SINERGI_MESSAGING_HTTP_TIMEOUT = float(os.environ.get("SINERGI_MESSAGING_HTTP_TIMEOUT", "10"))

# Reach (issue 13): broadcasts to more people than this wait for a second approver; an alert with no
# delivery receipt after this many minutes is tried on the recipient's next channel.
SINERGI_BROADCAST_APPROVAL_ABOVE = int(os.environ.get("SINERGI_BROADCAST_APPROVAL_ABOVE", "300"))
SINERGI_ALERT_FALLBACK_MINUTES = int(os.environ.get("SINERGI_ALERT_FALLBACK_MINUTES", "10"))
# Parallel HTTP sends per provider batch (the database writes stay in the worker's thread).
SINERGI_MESSAGING_SEND_THREADS = int(os.environ.get("SINERGI_MESSAGING_SEND_THREADS", "8"))
