"""Django settings for cso.

Every deployment-specific value comes from the environment through the typed helpers in
``cso.env``. SQLite is the default (single machine, demo); set ``DATABASE_URL`` for PostgreSQL.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from cso.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("CSO_DEBUG", False)
SECRET_KEY = env_str("CSO_SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    # Tests and the demo set CSO_DEBUG or CSO_SECRET_KEY; production must set a real key.
    SECRET_KEY = "insecure-default-set-CSO_SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("CSO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "ninja",  # Swagger UI served from its own package (no CDN)
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",  # only used with CSO_TASKS_BACKEND=rq
    # project apps, one per domain
    "cso.core",
    "cso.regions",
    "cso.accounts",
    "cso.orgs",
    "cso.applications",
    "cso.stats",
    "cso.reports",
    "cso.supervision",
    "cso.support",
    "cso.funding",
    "cso.notices",
    "cso.dashboards",
    "cso.portal",
    "cso.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cso.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # axes must be last
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cso.urls"

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
                "cso.core.context_processors.navigation",
                "cso.notices.context_processors.bell",
            ],
        },
    },
]

WSGI_APPLICATION = "cso.wsgi.application"
ASGI_APPLICATION = "cso.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CSO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A test run may name its own throw-away database, so that two runs on one server don't collide.
    if env_str("CSO_TEST_DB_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("CSO_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",  # the responsibilities table (cso.accounts.responsibilities)
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("CSO_PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cso.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("CSO_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# HTTPS: on by default whenever debug is off — every request is redirected to https, HSTS tells
# browsers to keep to it, and the session and CSRF cookies travel over HTTPS only. The switches:
# CSO_HTTPS=0 for a site reached over plain http (the demo on 127.0.0.1, the tests); behind a
# TLS-terminating proxy, CSO_PROXY_SSL_HEADER=1 (the proxy sets X-Forwarded-Proto: https) or
# CSO_SSL_REDIRECT=0 when the proxy redirects itself.
HTTPS = env_bool("CSO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("CSO_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("CSO_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CSO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("CSO_HSTS_PRELOAD", False)
if env_bool("CSO_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("CSO_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Lockout after repeated failed sign-ins (django-axes; cso.accounts.lockout): a user name from one
# address is locked after CSO_LOGIN_FAILURE_LIMIT failures, an address as a whole after
# CSO_LOGIN_ADDRESS_FAILURE_LIMIT failures whatever the user names. A stranger cannot lock the real
# user out, and one office behind a shared address is not locked out by one clerk.
AXES_HANDLER = "cso.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("CSO_LOGIN_FAILURE_LIMIT", 5)
CSO_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("CSO_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CSO_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# Behind reverse proxies the client's address is the last-but-N entry of X-Forwarded-For.
if env_int("CSO_PROXY_COUNT", 0):
    AXES_IPWARE_PROXY_COUNT = env_int("CSO_PROXY_COUNT", 0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cso.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_ENABLED = env_bool("CSO_AXES_ENABLED", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("CSO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Third-party front-end assets come from the npm registry (package.json / package-lock.json)
# and are served by Django itself: no CDN at run time.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("CSO_MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (demo, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = env_bool("CSO_STATIC_FROM_FINDERS", not env_bool("CSO_MANIFEST_STATIC", False))
MEDIA_ROOT = BASE_DIR / "media"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Content Security Policy: everything is served from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CSO_LOG_LEVEL", "WARNING")},
}

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a decision to submit the domain to the browsers' preload lists
    # (CSO_HSTS_PRELOAD=1 once that is decided); HSTS itself is on.
    "security.W021",
    # SQLite ignores the INCLUDE columns of covering indexes (org_division_name_cover); PostgreSQL,
    # the production database, uses them. The index itself works on both.
    "models.W040",
]

# Product settings that differ between places (see README "设置").
CSO_PAGE_SIZE = env_int("CSO_PAGE_SIZE", 50)
# Reporting rounds of the statistics table are data per province (reports.ReportingRound; default: seed 000's
# 6/20, 9/20, 12/20), no longer a setting.
# Online handling (cso.applications): days each step of an application may take before it is overdue
# (本平台建议; keys are the states waiting for a move), and the minimum members of a 群众活动团队 per
# province (2-digit code; RULES.md: Shanghai ≥ 10, {"31": 10}); off by default.
CSO_APPLICATION_STEP_DAYS = {"submitted": 5, "accepted": 15, "needs_correction": 30}
CSO_FILING_MIN_MEMBERS: dict[str, int] = {}
# The daily scan of overdue steps (`manage.py run_schedule` enqueues it at this local time, "HH:MM") and the
# public progress lookup's limit per client address and hour.
CSO_OVERDUE_SCAN_TIME = env_str("CSO_OVERDUE_SCAN_TIME", "02:00")
CSO_PROGRESS_LOOKUPS_PER_HOUR = env_int("CSO_PROGRESS_LOOKUPS_PER_HOUR", 20)
# Materials of applications (cso.applications.materials): uploaded files are stored outside the web root
# (never under STATIC_ROOT or MEDIA_ROOT; system check applications.E002), at most CSO_UPLOAD_MAX_BYTES each.
# CSO_FILING_ROSTER_REQUIRED: the 备案 needs a member roster (True everywhere, or a list of 2-digit province codes).
CSO_PRIVATE_MEDIA_ROOT = env_str("CSO_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private-media"))
CSO_UPLOAD_MAX_BYTES = env_int("CSO_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
CSO_FILING_ROSTER_REQUIRED: bool | list[str] = False
# Annual reports (cso.supervision.annual): per province (2-digit code; "" for everywhere) the deadline ("MM-DD" of the
# year after the report year), the day before which an organization must have registered to owe a report for the
# year ("MM-DD" of that year), the days before the deadline on which missing reports are reminded, and the tracks.
CSO_ANNUAL_REPORT_RULES: dict[str, dict] = {
    "": {"deadline": "05-31", "registered_before": "07-01", "remind_days": [30, 7, 1], "tracks": ["registered"]},
}

# Support places (cso.support.targets): per province (2-digit code; "" for everywhere) how many county-level
# incubation bases each county should have (seed 000: 每个县（市、区）建设1至2个孵化基地).
CSO_SUPPORT_BASE_TARGETS: dict[str, dict] = {"": {"min": 1, "max": 2}}
# Funding programmes (cso.funding.rules): per province (2-digit code; "" for everywhere) the evaluation grade that
# gives priority (RULES.md: 3A and above have priority for purchased services) and the bonus points it adds to the
# average score (本平台建议), and the reading of "rural organization" for the money views ("code": the community's
# urban–rural code 2xx, falling back to a villagers' committee; "committee": a villagers' committee only).
CSO_FUNDING_RULES: dict[str, dict] = {
    "": {"priority_grade": "3A", "priority_bonus": 5, "rural_reading": "code"},
}

# Messages (cso.core.messaging): the SMS sender class (default: write to the log) and e-mail through
# Django's backend (console unless CSO_EMAIL_HOST is set).
CSO_SMS_SENDER = env_str("CSO_SMS_SENDER", "cso.core.messaging.LogSmsSender")
# The site's address for absolute links in text messages (account invitations).
CSO_SITE_URL = env_str("CSO_SITE_URL", "http://127.0.0.1:8000")
# Sign-up codes by SMS: minutes valid, tries per code, codes per phone and per client address per hour.
CSO_PHONE_CODE_MINUTES = env_int("CSO_PHONE_CODE_MINUTES", 10)
CSO_PHONE_CODE_ATTEMPTS = env_int("CSO_PHONE_CODE_ATTEMPTS", 5)
CSO_PHONE_CODES_PER_PHONE_HOUR = env_int("CSO_PHONE_CODES_PER_PHONE_HOUR", 5)
CSO_PHONE_CODES_PER_ADDRESS_HOUR = env_int("CSO_PHONE_CODES_PER_ADDRESS_HOUR", 20)
# Days an account invitation stays valid.
CSO_INVITATION_DAYS = env_int("CSO_INVITATION_DAYS", 7)
if env_str("CSO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("CSO_EMAIL_HOST")
    EMAIL_PORT = env_int("CSO_EMAIL_PORT", 465)
    EMAIL_HOST_USER = env_str("CSO_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("CSO_EMAIL_PASSWORD")
    EMAIL_USE_SSL = env_bool("CSO_EMAIL_SSL", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("CSO_EMAIL_FROM", "cso@localhost")
# How long dashboards keep computed past quarters and national/provincial results.
CSO_DASHBOARD_CACHE_SECONDS = env_int("CSO_DASHBOARD_CACHE_SECONDS", 15 * 60)
# Memory PostgreSQL may use for one national or provincial statistics aggregation.
CSO_STATS_WORK_MEM = env_str("CSO_STATS_WORK_MEM", "64MB")

# Background work (django-tasks): imports, large exports and national/provincial roll-ups run in a
# worker process (`manage.py db_worker`; scripts/demo.sh starts one beside the web server), never in
# the web process. CSO_TASKS_BACKEND: "database" (default: the task queue is a table of the same
# database, SQLite or PostgreSQL, nothing else to run), "rq" (Redis through django-rq, for large
# installations: `manage.py rqworker --job-class django_tasks_rq.backend.Job default`; Redis at
# CSO_REDIS_URL) or "immediate" (runs every task inside the request: only for tests and debugging).
CSO_TASKS_BACKEND = env_str("CSO_TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if CSO_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ValueError(f"CSO_TASKS_BACKEND: '{CSO_TASKS_BACKEND}' is not one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[CSO_TASKS_BACKEND], "QUEUES": ["default"]}}
CSO_REDIS_URL = env_str("CSO_REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": CSO_REDIS_URL, "DEFAULT_TIMEOUT": env_int("CSO_TASK_TIMEOUT_SECONDS", 3600)}}
# Exports of at most this many rows are answered in the request; larger ones run in the background
# and are offered on their job page when done.
CSO_EXPORT_SYNC_ROWS = env_int("CSO_EXPORT_SYNC_ROWS", 5000)
# How long a finished job's file is kept (days); `manage.py prune_jobs` deletes older ones.
CSO_JOB_KEEP_DAYS = env_int("CSO_JOB_KEEP_DAYS", 7)
# Credit lists (民政部令第60号): organizations per chunk of a run of the rules (one transaction each), and the most
# rows one download of the public lists gives.
CSO_CREDIT_RUN_CHUNK = env_int("CSO_CREDIT_RUN_CHUNK", 2000)
CSO_CREDIT_PUBLIC_EXPORT_ROWS = env_int("CSO_CREDIT_PUBLIC_EXPORT_ROWS", 100000)

# Cache: per process by default; with CSO_CACHE_DIR every worker of the machine shares one (the
# dashboards' cached national and provincial figures then serve all gunicorn workers).
if env_str("CSO_CACHE_DIR"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": env_str("CSO_CACHE_DIR")}}

# Random inspections (社会组织抽查暂行办法, 民发〔2017〕45号): the minimum yearly share (percent) of the organizations
# registered at each level drawn for inspection; provinces may set higher ones.
CSO_INSPECTION_MIN_RATES = {
    "province": env_int("CSO_INSPECTION_MIN_RATE_PROVINCE", 5),
    "city": env_int("CSO_INSPECTION_MIN_RATE_CITY", 4),
    "county": env_int("CSO_INSPECTION_MIN_RATE_COUNTY", 3),
}

# Zombie detection (清理整治): thresholds and weights of the signals, 本平台建议 (cso.supervision.zombie.DEFAULT_RULES);
# {"default": {...}, "<province code prefix>": {...}} overrides some keys, e.g. {"45": {"no_activity_months": 18}}.
CSO_ZOMBIE_RULES: dict = {}

# Grade evaluation (等级评估, 民政部令第39号; cso.supervision.evaluation): {"": defaults, "<province>": overrides}
# of min_years (2), upgrade_years (2), validity_years (5), renewal_window_days (180, 本平台建议), notice_days (公示期,
# 7, 本平台建议) and cutoffs ([[grade, minimum of 1,000]], highest first; default Luoyang's 900/800/700/600 and 1A 500
# 本平台建议; e.g. {"34": {"cutoffs": [["5A", 950], ["4A", 901], ["3A", 851], ["2A", 801]]}} for Anqing's).
CSO_EVALUATION_RULES: dict[str, dict] = {"": {}}
