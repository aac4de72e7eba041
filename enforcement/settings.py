"""Settings, read from the environment (django-environ).

Defaults give an embedded development setup: a SQLite file and a filesystem Celery broker under
``var/``, so ``make run`` needs no server. Set ``DATABASE_URL`` / ``REDIS_URL`` for PostgreSQL and
Redis; set ``DEBUG=off`` plus ``SECRET_KEY`` and ``ALLOWED_HOSTS`` for production, which then
passes ``manage.py check --deploy``.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite file, broker folders, generated documents

env = environ.Env(
    DEBUG=(bool, True),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    SECURE_SSL_REDIRECT=(bool, True),
)

DEBUG = env("DEBUG")
_DEV_SECRET = "dev-insecure-secret-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
# The audit chain's HMAC key (SPEC §12): a secret the database never holds. Kept apart from
# SECRET_KEY so rotating the session/CSRF key does not orphan the audit trail.
_DEV_AUDIT_KEY = "dev-insecure-audit-key-do-not-use-in-production-0123456789abcdef"
AUDIT_KEY = env.str("AUDIT_KEY", default=_DEV_AUDIT_KEY if DEBUG else "")
if not AUDIT_KEY:
    raise environ.ImproperlyConfigured("AUDIT_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally: court networks are often offline
    "django_fsm",
    "axes",  # the login lockout (SPEC §13 "Auth")
    "enforcement",
    "cases",
    "deadlines",
    "funds",
    "credit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # SPEC §13 "Idempotency": an API act and its stored answer commit in one transaction.
    "enforcement.idempotency.IdempotencyMiddleware",
    "enforcement.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a refused login into its 429
]

ROOT_URLCONF = "enforcement.urls"
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
                "enforcement.context_processors.navigation",
                "deadlines.context_processors.calendar_warning",
            ],
            # ``|data`` marks data (names, numbers, typed text) apart from the translated interface.
            "builtins": ["enforcement.templatetags.i18n_data"],
        },
    },
]
WSGI_APPLICATION = "enforcement.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process, the worker and beat share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
        # No JIT: the dashboard's facet counts carry planner costs far above jit_above_cost while
        # running in ~100 ms, and PostgreSQL then spends most of a second compiling each (measured
        # at 1 M cases, issue 16). Short OLTP queries never gain from it.
        opts = DATABASES["default"].setdefault("OPTIONS", {})
        opts["options"] = f"{opts.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "enforcement.User"
AUTHENTICATION_BACKENDS = [
    "enforcement.accounts.lockout.LockoutBackend",  # django-axes' gate, before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Redis / Celery -------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Every Redis call gives up after this long: a paused or unreachable Redis costs a request a short
# wait, never a hung worker (the outbox keeps what could not be sent; the cache is an optimisation).
# The broker's stays above kombu's 1 s BRPOP wait, so an idle worker is not mistaken for a dead one;
# the cache answers in well under a millisecond when it is well.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
_REDIS_TIMEOUTS: dict[str, Any] = {"socket_timeout": REDIS_SOCKET_TIMEOUT,
                                     "socket_connect_timeout": REDIS_SOCKET_TIMEOUT}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = None
    CELERY_BROKER_TRANSPORT_OPTIONS = {**_REDIS_TIMEOUTS, "health_check_interval": 10}
    CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_timeout": CACHE_SOCKET_TIMEOUT,
                                      "socket_connect_timeout": CACHE_SOCKET_TIMEOUT}}}
    # SPEC: one beat, highly available -- the schedule and a lock live in Redis (celery-redbeat), so a
    # second beat started as a standby waits for the lock instead of sending every entry twice.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_REDIS_OPTIONS = dict(_REDIS_TIMEOUTS)
    CELERY_REDBEAT_LOCK_TIMEOUT = 5 * 60  # a standby takes over at most 5 minutes after the beat died
    CELERY_REDBEAT_KEY_PREFIX = env.str("REDBEAT_KEY_PREFIX", default="redbeat:")
else:
    # Embedded default: kombu's filesystem transport needs no server.
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("out", "processed", "control"):  # the transport does not create its folders
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The outbox (enforcement.outbox): one try to hand a message to the broker, then it stays queued;
# after a failure the web process leaves relaying to the sweep for a few seconds.
OUTBOX_PUBLISH_RETRY = False
OUTBOX_BROKER_BACKOFF_SECONDS = 10
OUTBOX_RETRY_AFTER = timedelta(minutes=1)  # the sweep re-sends what is still queued after a minute
OUTBOX_REDISPATCH_AFTER = timedelta(minutes=10)  # ... and what the broker took but no worker ran
OUTBOX_KEEP_DONE = timedelta(days=7)
# SPEC §13 "Idempotency": keys are kept at least 24 hours.
IDEMPOTENCY_KEY_TTL = timedelta(hours=env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=48))
# Every periodic job, in one place. One beat process only (README, "Production").
CELERY_BEAT_SCHEDULE = {
    # SPEC §5: the breach scan, every minute; safe to overlap (SKIP LOCKED + unique alerts).
    "scan-deadlines": {"task": "deadlines.tasks.scan_deadlines_task", "schedule": 60.0},
    # SPEC §8: rebuild the dashboard indicators' summary tables every 10 minutes (a full rebuild, safe to repeat).
    "refresh-dashboard-stats": {"task": "deadlines.tasks.refresh_dashboard_stats_task", "schedule": 600.0},
    # SPEC §6.4: daily at 00:10, expired dishonest listings are lifted and stuck platform messages re-sent.
    "expire-sanctions": {"task": "credit.tasks.expire_sanctions_task", "schedule": crontab(hour=0, minute=10)},
    # SPEC §6.1: daily at 00:20, simple-track cases not closed within 30 days convert to the normal track.
    "convert-simple-cases": {"task": "cases.tasks.convert_overdue_simple_cases_task",
                             "schedule": crontab(hour=0, minute=20)},
    # The outbox sweep, every minute: re-sends side effects still queued after a minute (a broker
    # outage), forgets done rows and expired idempotency keys. Safe to overlap (SKIP LOCKED).
    "outbox-sweep": {"task": "enforcement.tasks.outbox_sweep_task", "schedule": 60.0},
    # SPEC §12: every minute, a checkpoint of every audit chain's head outside the database
    # (writes nothing when no chain moved; safe to overlap).
    "checkpoint-audit": {"task": "enforcement.tasks.checkpoint_audit_task", "schedule": 60.0},
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "enforcement.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "enforcement.drf.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["enforcement.drf.CourtFilter"],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "enforcement.schema.AutoSchema",
    "EXCEPTION_HANDLER": "enforcement.drf.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "执行案件管理系统 API",
    "DESCRIPTION": "Enforcement case management — staff REST API (SPEC §13).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" choice; name each enum so the schema is stable and
    # `check --deploy` (which generates the schema) stays warning-free.
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "cases.models.CaseKind",
        "CaseStatusEnum": "cases.models.CaseStatus",
        "ClosureEnum": "cases.models.Closure",
        "PartyKindEnum": "cases.models.PartyKind",
        "PartyRoleEnum": "cases.models.PartyRole",
        "MilestoneKindEnum": "cases.models.MilestoneKind",
        "PropertyTypeEnum": "cases.models.PropertyType",
        "SanctionKindEnum": "credit.models.SanctionKind",
        "LiftReasonEnum": "credit.models.LiftReason",
        "DocumentKindEnum": "enforcement.models.DocumentKind",
        "LimitStopKindEnum": "cases.models.LimitStopKind",
        "TransferKindEnum": "cases.models.TransferKind",
        "DisputeKindEnum": "cases.models.DisputeKind",
        "DisputeStatusEnum": "cases.models.DisputeStatus",
        "DelegationStatusEnum": "cases.models.DelegationStatus",
        "DelegationTaskEnum": "cases.models.DelegationTask",
        "SupervisionStatusEnum": "cases.models.SupervisionStatus",
        "ApprovalKindEnum": "enforcement.models.ApprovalKind",
        "ApprovalStatusEnum": "enforcement.models.ApprovalStatus",
    },
}

# --- Accounts (SPEC §13 "Auth") ----------------------------------------------------------------
# API tokens live this long from their issue; then 401 token_expired and a new login.
TOKEN_TTL_HOURS = env.int("TOKEN_TTL_HOURS", default=12)
# 10 failed logins for one username from one address lock that pair out for 15 minutes (browser,
# admin and API alike); other users and addresses are unaffected. django-axes counts the failures
# (database handler) and forgets them once 15 minutes pass without one.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # "for 15 minutes", not for ever under attack
AXES_LOCKOUT_CALLABLE = "enforcement.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "enforcement.accounts.lockout.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # logins are in the audit trail (SPEC §12); no second log of them
AXES_VERBOSE = False  # no banner on every manage.py command; failures are still logged
# Reverse proxies in front of the application that append to X-Forwarded-For (0: none, the client
# is REMOTE_ADDR). Set it, or every client looks like the proxy to the lockout.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Security (production) ------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# One handler for everything: Django's own "django" logger would otherwise print each request
# warning twice in development (its DEBUG-only console handler and, propagated, the root's).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_without_traceback": {"()": "enforcement.logging.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django": {"handlers": [], "level": env.str("LOG_LEVEL", default="INFO"), "propagate": True}},
}

# --- Domain settings ------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo")
# Where checkpoints of the audit chains' heads are kept (SPEC §12): a store class (dotted path)
# and, for the default file store, its JSON-lines file.
AUDIT_CHECKPOINT_STORE = env.str("AUDIT_CHECKPOINT_STORE", default="enforcement.audit.FileCheckpointStore")
AUDIT_CHECKPOINT_FILE = Path(env.str("AUDIT_CHECKPOINT_FILE", default=str(VAR_DIR / "audit-checkpoints.jsonl")))
# An entry more than this many days after the act it records is a late entry (SPEC §13).
LATE_ENTRY_DAYS = 3
# Notification channels; "console" prints in development (SPEC §5).
NOTIFICATION_ADAPTERS = env.list("NOTIFICATION_ADAPTERS", default=["inapp", "console"])
