"""Django settings for cso.

Every deployment-specific value comes from the environment through the typed helpers in
``cso.env``. SQLite is the default (single machine, demo); set ``DATABASE_URL`` for PostgreSQL.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from cso.env import env_bool, env_int, env_list, env_quarter_days, env_str

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
    "cso.stats",
    "cso.reports",
    "cso.dashboards",
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
SESSION_COOKIE_SECURE = env_bool("CSO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Lockout after repeated failed sign-ins (django-axes), per user name and per address.
AXES_FAILURE_LIMIT = env_int("CSO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CSO_LOGIN_LOCKOUT_MINUTES", 30))
# Per user name only: offices sit behind one NAT address, so locking by address would lock a whole
# street office out because of one clerk.
AXES_LOCKOUT_PARAMETERS = ["username"]
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
    # Lockout is per user name on purpose (see AXES_LOCKOUT_PARAMETERS above).
    "axes.W006",
    # SQLite ignores the INCLUDE columns of covering indexes (org_division_name_cover); PostgreSQL,
    # the production database, uses them. The index itself works on both.
    "models.W040",
]

# Product settings that differ between places (see README "设置").
CSO_PAGE_SIZE = env_int("CSO_PAGE_SIZE", 50)
# Quarterly statistics tables are due on these days (seed 000: 6/20, 9/20, 12/20; Q1 by analogy).
CSO_REPORT_DEADLINES = env_quarter_days("CSO_REPORT_DEADLINES", {1: "03-20", 2: "06-20", 3: "09-20", 4: "12-20"})
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

# Cache: per process by default; with CSO_CACHE_DIR every worker of the machine shares one (the
# dashboards' cached national and provincial figures then serve all gunicorn workers).
if env_str("CSO_CACHE_DIR"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": env_str("CSO_CACHE_DIR")}}
