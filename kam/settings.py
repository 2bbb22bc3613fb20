"""Settings for the KAM Programme.

Everything comes from environment variables read through `kam.env`. With no variables at all
the app runs in its embedded default: SQLite, Celery tasks in-process, console e-mail, DEBUG on.
Real mode: DATABASE_URL=postgres://..., CELERY_BROKER_URL=redis://..., DEBUG=0, SECRET_KEY=...
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from common.limits import REQUEST_BODY_MAX_BYTES

from .env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "insecure-dev-key-only-for-the-embedded-default"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    # Stage apps, in dependency order: a later app may import an earlier one, never the reverse.
    "common",
    "accounts",
    "notifications",
    "strategy",
    "discovery",
    "opportunities",
    "planning",
    "outcomes",
    "delivery",
    "organisation",
    "portfolio",
    "audit",
    "rhythm",
    "integrations",
    "api",
    "workspace",
    "kam",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kam.middleware.SecurityHeadersMiddleware",
    # The whole page or one block of it, chosen by htmx's headers: the answer varies on them.
    "kam.middleware.VaryOnFragmentMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language), else LANGUAGE_CODE; no prefix in URLs.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware (which refuses hosts not in ALLOWED_HOSTS): the address e-mail
    # links fall back to when KAM_SITE_URL is not set (notifications/links.py).
    "notifications.links.SiteAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's chosen language (their settings page) beats the browser's.
    "kam.middleware.UserLanguageMiddleware",
    # An editor in place whose session ended: a 401 htmx does not swap, not the log-in page
    # swapped over what was typed.
    "kam.middleware.SessionEndedInPlaceMiddleware",
    # After authentication, so that its 400 page has the site's menu: a NUL byte in the path
    # or query is refused before any view or query sees it.
    "kam.middleware.RejectNulBytesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (it says why a session ended): a single sign-on session is checked with the
    # provider again once its ID token has expired (at the latest after KAM_OIDC_RENEW_SECONDS);
    # the user is signed out if the provider refuses.
    "kam.sso.SessionRefreshMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A POST edit of something removed meanwhile: a page that keeps the typed text, not a 404.
    "kam.middleware.RemovedWhileEditingMiddleware",
    # A browser holding only a customer workspace link (no login) reaches the workspace and
    # nothing else: every other page answers 404.
    "workspace.middleware.CustomerLinkBoundaryMiddleware",
    # Last, so that it turns a lock-out flagged during authentication into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kam.urls"
WSGI_APPLICATION = "kam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE for <html lang>, LANGUAGES for the settings page.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kam.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler starts on queries it estimates as costly, such as the
    # dashboard's table of 2,000 accounts with correlated counts: it then spends ~1.1 s
    # compiling a query that runs in 0.13 s (measured, bench/README.md). A web app's queries
    # are short; JIT only pays off for long analytical scans.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Prepared statements: psycopg binds parameters on the server and, after a statement's
    # fifth run on a connection, prepares it, so PostgreSQL stops parsing and planning it
    # again (planning a read with four joins costs more than running it: bench/README.md,
    # finding 46). Django leaves this off for connection poolers in transaction mode, which
    # cannot keep a session's prepared statements; set DB_PREPARED_STATEMENTS=0 behind one.
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out username+address before the password is even checked.
# It needs `request` in authenticate(); tests log in with `client.force_login(user)`.
# Then passwords (refused to everyone but superusers when KAM_PASSWORD_LOGIN is off), then
# single sign-on with OpenID Connect (kam/sso.py; inert until KAM_OIDC_CLIENT_ID is set).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kam.sso.PasswordBackend",
    "kam.sso.OIDCBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
LANGUAGES = [("en-gb", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Short dates by name, one module per language (kam/formats/__init__.py says why).
FORMAT_MODULE_PATH = ["kam.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            # WhiteNoise's compressed manifest storage, addresses kept once worked out.
            else "kam.storage.StaticFilesStorage"
        )
    },
}

# Forms: Django's own renderer, its <select>, <input> and <textarea> drawn in Python (the same
# markup): an option through Django's templates is two includes, an input three, ~0.1 ms each on
# the bench host (common/form_renderer.py, bench/README.md finding 57).
FORM_RENDERER = "common.form_renderer.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: the folder the e-mails
# are written to (one file per connection; the crash tests count what each user got there).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "") or None
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "KAM Programme <kam@localhost>")

# Celery: no broker means tasks run in-process (embedded default and most tests).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
# A task whose worker died (kill -9, a lost machine) stays "unacked" in Redis and is delivered
# again this many seconds after it was first delivered (Celery's default is one hour). It must
# exceed the hard time limit: a task still running when it passes would be handed to a second
# worker. A job run still "running" this long after it started is shown as failed on /jobs/.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfiguredEnv(
        f"CELERY_VISIBILITY_TIMEOUT ({CELERY_VISIBILITY_TIMEOUT}) must be longer than "
        f"CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT})"
    )
# Seconds a page waits for the broker before giving up on queueing a task: with Redis down, a
# page answers at once with a message instead of hanging (kombu's defaults wait ~20 s or, on a
# broker that accepts connections but never answers, for ever).
CELERY_BROKER_TIMEOUT = env_int("CELERY_BROKER_TIMEOUT", 2)
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": CELERY_BROKER_TIMEOUT,
    "socket_timeout": CELERY_BROKER_TIMEOUT,
    # How often a worker looks for tasks of dead workers whose visibility timeout has passed
    # (kombu's default looks every 100 s).
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# One Redis database can serve several installations (or the crash tests' own workers).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Beat's schedule (programme time zone, CELERY_TIMEZONE). Every job is idempotent, so running
# one again (a second beat, `manage.py run_due_jobs`, a retried task) creates nothing twice.
CELERY_BEAT_SCHEDULE: dict = {
    # Daily: plan health scores depend on the date (due dates pass, reviews age); storing
    # today's scores early keeps the portfolio dashboard's first view of the day fast.
    "refresh-plan-health": {
        "task": "rhythm.refresh_plan_health",
        "schedule": crontab(hour=0, minute=10),
    },
    # Daily, so a missed quarter start is caught up; only ever opens the current quarter.
    "open-quarterly-reviews": {
        "task": "rhythm.open_quarterly_reviews",
        "schedule": crontab(hour=0, minute=30),
    },
    # Daily: reviews still open 30 days after opening go to the director (once each).
    "escalate-overdue-reviews": {
        "task": "rhythm.escalate_overdue_reviews",
        "schedule": crontab(hour=7, minute=0),
    },
    # Daily: open high and critical customer issues past their due date go to the account's
    # director (once each).
    "escalate-overdue-issues": {
        "task": "rhythm.escalate_overdue_issues",
        "schedule": crontab(hour=7, minute=5),
    },
    # Daily, just after the programme's midnight: sent quotes whose validity ended yesterday
    # expire, and their authors and the accounts' managers are told (once each).
    "expire-quotes": {
        "task": "rhythm.expire_quotes",
        "schedule": crontab(hour=0, minute=20),
    },
    # Hourly: each user gets at most one digest per local date (their time zone), so every
    # time zone is served shortly after its midnight; weekly digests go out on local Mondays.
    "send-reminder-digests": {
        "task": "rhythm.send_digests",
        "schedule": crontab(minute=5),
    },
    # Daily: programme admins are reminded 30 days before the annual programme review.
    "annual-review-reminder": {
        "task": "rhythm.annual_review_reminder",
        "schedule": crontab(hour=8, minute=0),
    },
    # Hourly: exports older than 24 hours are deleted from MEDIA_ROOT/exports/.
    "cleanup-expired-exports": {
        "task": "rhythm.cleanup_exports",
        "schedule": crontab(minute=45),
    },
    # Hourly: e-mails of notifications that the mail server refused when they were written
    # are tried again (each is sent once; given up after 5 attempts).
    "send-pending-emails": {
        "task": "rhythm.send_pending_emails",
        "schedule": crontab(minute=20),
    },
    # Every 5 minutes: webhook deliveries due for a retry whose task was lost (broker down).
    "send-due-webhooks": {
        "task": "rhythm.send_due_webhooks",
        "schedule": crontab(minute="*/5"),
    },
    # Hourly: actions that became overdue are announced to webhook subscribers (once each).
    "announce-overdue-actions": {
        "task": "rhythm.announce_overdue_actions",
        "schedule": crontab(minute=15),
    },
}

# Webhook receivers on private, loopback, link-local or reserved addresses are refused unless
# this is on (SECURITY.md "Webhooks"): on by default only with DEBUG (the demo's local receiver).
KAM_WEBHOOKS_ALLOW_PRIVATE = env_bool("KAM_WEBHOOKS_ALLOW_PRIVATE", DEBUG)
# A CRM file with more rows than this is applied by a Celery task instead of in the request.
KAM_IMPORT_INLINE_MAX_ROWS = env_int("KAM_IMPORT_INLINE_MAX_ROWS", 100)

# Security: strict in real mode (DEBUG off); `manage.py check --deploy` is clean there.
# SECURITY.md explains the whole model; tests/security/ checks it.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Rows per transaction in the periodic jobs (reviews, digests): a crash loses at most one batch
# of work, which the redelivered task does again.
RHYTHM_BATCH_SIZE = env_int("RHYTHM_BATCH_SIZE", 500)
# Test-only pause point (common.faults.checkpoint): the crash tests start a worker that stops at
# the named point, so that `kill -9` lands mid-run deterministically. Empty (off) in every real
# installation.
KAM_TEST_STALL_AT = env_str("KAM_TEST_STALL_AT", "")
KAM_TEST_STALL_FILE = env_str("KAM_TEST_STALL_FILE", "")

# Absolute address of the site, for links in e-mails (e.g. https://kam.example.com).
KAM_SITE_URL = env_str("KAM_SITE_URL", "")

# Portfolio dashboard aggregates are cached this many seconds (0 turns the cache off).
PORTFOLIO_CACHE_SECONDS = env_int("PORTFOLIO_CACHE_SECONDS", 60)
# The plan page's rendered document (planning/page_cache.py) is kept at most this many seconds
# (0 turns the cache off). Changes never wait for it (they move the plan's content version);
# the limit bounds only what moves with the clock alone, such as a workspace link expiring.
PLAN_PAGE_CACHE_SECONDS = env_int("PLAN_PAGE_CACHE_SECONDS", 600)
# The plan PDF is kept this many seconds under a digest of the HTML it is drawn from
# (common.pdf.kept_pdf_key; 0 draws every request). The HTML names everything the PDF shows, so
# a change is never served stale; the limit bounds the cache's size and a system font upgrade.
PLAN_PDF_KEEP_SECONDS = env_int("PLAN_PDF_KEEP_SECONDS", 3600)
# After a step changes a plan, a worker draws its PDF ahead this many seconds after the last
# change of a burst, so that the first request finds it kept (planning.printing; 0: off). Only
# with a real worker and a shared cache (CELERY_BROKER_URL and CACHE_URL).
PLAN_PDF_PREDRAW_SECONDS = env_int("PLAN_PDF_PREDRAW_SECONDS", 5)

# The customer workspace (workspace app): how long a personal link lives, how often one link
# and one address may open it (per WORKSPACE_RATE_WINDOW seconds, counted in the cache). The
# health thresholds (a satisfaction drop, days without a visit) are planning/rules.py's.
WORKSPACE_LINK_DAYS = env_int("WORKSPACE_LINK_DAYS", 90)
WORKSPACE_RATE_PER_TOKEN = env_int("WORKSPACE_RATE_PER_TOKEN", 60)
WORKSPACE_RATE_PER_IP = env_int("WORKSPACE_RATE_PER_IP", 120)
WORKSPACE_RATE_WINDOW = env_int("WORKSPACE_RATE_WINDOW", 600)
# The cache: each process's own memory by default; with CACHE_URL (redis://…) one cache shared
# by every gunicorn worker and server, so a dashboard computed by one is reused by the others.
_cache_url = env_str("CACHE_URL", "")
if _cache_url and not _cache_url.startswith(("redis://", "rediss://")):
    raise ImproperlyConfiguredEnv(
        f"CACHE_URL must be a redis:// or rediss:// URL, not {_cache_url!r}"
    )
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _cache_url,
        "KEY_PREFIX": "kam",
        # Short timeouts: the cache is a speed-up, and a cache host that does not answer must
        # not hold a request for long (common.cache computes without it).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if _cache_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kam"}
}
# Content-Security-Policy and Permissions-Policy, sent by kam.middleware on every response in
# every mode (in DEBUG too, so that a developer sees a violation in the browser console the
# moment they write one). Only Django's own DEBUG error pages, which need inline CSS and
# JavaScript, get the policy as Report-Only. No inline scripts, no `style="..."` attributes
# (SVG presentation attributes such as fill="..." are fine), no CDN.
KAM_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # Two fixed inline <style> blocks, allowed by hash (tests/security/test_headers.py
    # recomputes both from their sources, so an upgrade that changes them fails a test):
    # htmx 2's indicator styles, and Django admin's change list without actions.
    "style-src": [
        "'self'",
        "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='",
        "'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='",
    ],
    # Bootstrap's CSS draws its icons (select arrows, the navbar toggler) as data: SVG.
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
KAM_PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
}

# Login protection (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one username from
# one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES; a success resets the count.
# Unknown usernames are counted and locked exactly like real ones (no user enumeration).
# Unlock: `python manage.py axes_reset_username NAME`, or delete the row under Admin → Axes →
# Access attempts.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kam.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth address
# from the right; with 0 (no proxy) it is REMOTE_ADDR. A wrong number lets clients choose their
# own address, so count only proxies you run.
KAM_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "kam.security.client_ip_address"
AXES_VERBOSE = False
AXES_WHITELIST_CALLABLE = "kam.security.not_a_password_guess"

# Single sign-on with OpenID Connect (mozilla-django-oidc; kam/sso.py, SECURITY.md "Single
# sign-on"). Off until KAM_OIDC_CLIENT_ID is set; then KAM_OIDC_ISSUER is required, and the
# provider's endpoints come from its discovery document ({issuer}/.well-known/openid-configuration,
# fetched on first use) unless given one by one.
KAM_OIDC_ISSUER = (env_str("KAM_OIDC_ISSUER", "") or "").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("KAM_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("KAM_OIDC_CLIENT_SECRET", "")
KAM_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if KAM_OIDC_ENABLED and not KAM_OIDC_ISSUER:
    raise ImproperlyConfiguredEnv("KAM_OIDC_ISSUER must be set when KAM_OIDC_CLIENT_ID is set")
if KAM_OIDC_ENABLED and not OIDC_RP_CLIENT_SECRET:
    raise ImproperlyConfiguredEnv(
        "KAM_OIDC_CLIENT_SECRET must be set when KAM_OIDC_CLIENT_ID is set"
    )
if KAM_OIDC_ISSUER and not KAM_OIDC_ISSUER.startswith(("https://", "http://")):
    raise ImproperlyConfiguredEnv(
        f"KAM_OIDC_ISSUER must be an http(s) URL, not {KAM_OIDC_ISSUER!r}"
    )
# Explicit endpoints (each overrides the discovery document's).
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("KAM_OIDC_AUTHORIZATION_ENDPOINT", "") or None
OIDC_OP_TOKEN_ENDPOINT = env_str("KAM_OIDC_TOKEN_ENDPOINT", "") or None
OIDC_OP_USER_ENDPOINT = env_str("KAM_OIDC_USERINFO_ENDPOINT", "") or None
OIDC_OP_JWKS_ENDPOINT = env_str("KAM_OIDC_JWKS_ENDPOINT", "") or None
KAM_OIDC_END_SESSION_ENDPOINT = env_str("KAM_OIDC_END_SESSION_ENDPOINT", "") or None
OIDC_RP_SCOPES = env_str("KAM_OIDC_SCOPES", "openid email profile")
if KAM_OIDC_ENABLED and "openid" not in OIDC_RP_SCOPES.split():
    raise ImproperlyConfiguredEnv(f"KAM_OIDC_SCOPES must include openid; got {OIDC_RP_SCOPES!r}")
OIDC_RP_SIGN_ALGO = env_str("KAM_OIDC_SIGN_ALGO", "RS256")
# The name on the button: "Sign in with <name>".
KAM_OIDC_PROVIDER_NAME = env_str("KAM_OIDC_PROVIDER_NAME", "single sign-on")
# The claim that lists the user's groups at the provider, and which group gives which of the
# programme's global roles: "kam-admins=programme_admin,kam-execs=executive". The roles named
# here follow the provider at every sign-in (a group removed there removes the role here); a
# role named nowhere stays managed in the app, like every account membership.
KAM_OIDC_GROUPS_CLAIM = env_str("KAM_OIDC_GROUPS_CLAIM", "groups")
KAM_OIDC_ROLE_NAMES = {"programme_admin": "Programme admin", "executive": "Executive"}
KAM_OIDC_GROUP_ROLES: dict[str, str] = {}
for _pair in env_list("KAM_OIDC_GROUP_ROLES", []):
    _group, _sep, _role = (part.strip() for part in _pair.partition("="))
    if not _sep or not _group or _role not in KAM_OIDC_ROLE_NAMES:
        raise ImproperlyConfiguredEnv(
            f"KAM_OIDC_GROUP_ROLES must be group=role pairs with a role among "
            f"{', '.join(KAM_OIDC_ROLE_NAMES)}; got {_pair!r}"
        )
    KAM_OIDC_GROUP_ROLES[_group] = _role
# New users are created at their first sign-on (off: only users who already exist, linked by
# a verified e-mail address, may sign on).
OIDC_CREATE_USER = env_bool("KAM_OIDC_CREATE_USERS", True)
# The session is checked with the provider again (a silent sign-in, prompt=none) when its ID
# token expires, and at the latest this many seconds after the last check.
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env_int("KAM_OIDC_RENEW_SECONDS", 15 * 60)
# Seconds to wait for the provider's token, userinfo, keys and discovery answers.
OIDC_TIMEOUT = env_int("KAM_OIDC_TIMEOUT", 5)
# Password sign-in: on by default. Off (0), the log-in page offers single sign-on only, and
# the password form (behind "Emergency administrator sign-in") lets superusers alone in.
KAM_PASSWORD_LOGIN = env_bool("KAM_PASSWORD_LOGIN", True)
if not KAM_PASSWORD_LOGIN and not KAM_OIDC_ENABLED:
    raise ImproperlyConfiguredEnv("KAM_PASSWORD_LOGIN=0 needs single sign-on (KAM_OIDC_CLIENT_ID)")
# mozilla-django-oidc's fixed choices: state, nonce and PKCE (S256) on every request; the ID
# token kept in the session for the provider's logout (id_token_hint); our views and checks.
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True
OIDC_VERIFY_SSL = True
OIDC_CALLBACK_CLASS = "kam.sso.CallbackView"
OIDC_AUTHENTICATE_CLASS = "kam.sso.AuthenticateView"
OIDC_EXEMPT_URLS = ["login", "logout", "healthz"]
LOGIN_REDIRECT_URL_FAILURE = "login"
if KAM_OIDC_ISSUER:
    # The log-out form's redirect to the provider's end-session page is a form submission that
    # leaves the site: the Content-Security-Policy's form-action must name the provider.
    from urllib.parse import urlsplit as _urlsplit

    _origins = {
        "{0.scheme}://{0.netloc}".format(_urlsplit(url))
        for url in (KAM_OIDC_ISSUER, KAM_OIDC_END_SESSION_ENDPOINT)
        if url
    }
    KAM_CONTENT_SECURITY_POLICY["form-action"] = ["'self'", *sorted(_origins)]

# Form bodies (not uploaded files) may be this large, so that an over-long text reaches its
# form and gets the field's error with the text kept (common.limits); a larger body gets a page
# saying the text is still in the browser's form (kam.errors). Uploads keep their own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REQUEST_BODY_MAX_BYTES", REQUEST_BODY_MAX_BYTES)
# The form's security token missing or stale: a page in the site's layout (Django's has inline
# styles that the Content-Security-Policy blocks).
CSRF_FAILURE_VIEW = "kam.errors.csrf_failure"
# Password reset e-mails: at most this many per address and per client address an hour
# (kam.password_reset); the page reads the same whether or not the address is known.
KAM_PASSWORD_RESET_PER_EMAIL = env_int("PASSWORD_RESET_PER_EMAIL", 3)
KAM_PASSWORD_RESET_PER_CLIENT = env_int("PASSWORD_RESET_PER_CLIENT", 10)

# The REST API at /api/v1/ (the `api` app, Django REST framework): personal tokens only (no
# session cookies, so no CSRF to think about), JSON in and out, 50 rows a page, and a request
# budget per token per minute counted in the cache (api/v1/throttling.py).
KAM_API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 300)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.v1.access.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.v1.access.TokenScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.v1.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": f"{KAM_API_RATE_PER_MINUTE}/min"},
    "DEFAULT_PAGINATION_CLASS": "api.v1.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.v1.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KAM Programme API",
    "DESCRIPTION": (
        "Key accounts, customers, stakeholders, opportunities, plans, actions and meetings. "
        "Authenticate with a personal token (Authorization: Bearer kam_…). Objects carry a "
        "`revision`, sent back as the ETag; a change sends it in If-Match and a stale one gets "
        "412 with the current version."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The relationship stage and the service level offered share one set of choices; a
    # target status code is named as what it is (its field is called `code`).
    "ENUM_NAME_OVERRIDES": {
        "RelationshipStageEnum": "accounts.models.RelationshipStage",
        "TargetStatusCodeEnum": "planning.rules.STATUS_LABELS",
    },
}
KAM_PASSWORD_RESET_WINDOW_SECONDS = 60 * 60

# CSV uploads (common.uploads): refused above these limits with a message saying which one.
KAM_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
KAM_UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 5000)

# Demo data: `seed_demo` refuses to create password "demo" users when DEBUG is off.
KAM_DEMO_PASSWORD = "demo"  # noqa: S105

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
