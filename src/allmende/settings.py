"""Settings, all taken from the environment (and an optional ``.env`` file).

Every variable is listed with its safe default in ``.env.example``. With nothing set, the
platform runs on SQLite in ``var/`` with no external services.
"""

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet as leaflet_static
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from ``.env`` without overriding the real environment."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_load_dotenv(Path(os.environ.get("ALLMENDE_ENV_FILE", PROJECT_DIR / ".env")))


def env(name: str, default: str = "") -> str:
    """The variable's value; unset or empty means the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = PROJECT_DIR / env("ALLMENDE_VAR_DIR", "var")  # relative paths: to the checkout
DEBUG = env_bool("ALLMENDE_DEBUG", False)
SECRET_KEY = env("ALLMENDE_SECRET_KEY", "")
if not SECRET_KEY:
    # A per-checkout key kept in var/, so a fresh machine needs no configuration and
    # no key is ever committed.
    _key_file = VAR_DIR / "secret_key"
    if _key_file.is_file():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = secrets.token_urlsafe(50)
        _key_file.write_text(SECRET_KEY)
        _key_file.chmod(0o600)

ALLOWED_HOSTS = env_list("ALLMENDE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("ALLMENDE_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("ALLMENDE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("ALLMENDE_SITE_NAME", "Allmende Jena")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allmende.core",
    "allmende.catalog",
    "allmende.sensors",
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
    "allmende.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "allmende.urls"
WSGI_APPLICATION = "allmende.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "allmende.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'allmende.sqlite3'}"),
        conn_max_age=int(env("ALLMENDE_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["allmende.core.auth.ThrottledModelBackend"]
ALLMENDE_LOGIN_ATTEMPTS = int(env("ALLMENDE_LOGIN_ATTEMPTS", "10"))
ALLMENDE_LOGIN_WINDOW = int(env("ALLMENDE_LOGIN_WINDOW", "900"))

# A file cache is shared by all server processes on the machine (rate limits, throttles).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("ALLMENDE_TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
MEDIA_URL = "/media/"
MEDIA_ROOT = PROJECT_DIR / env("ALLMENDE_MEDIA_ROOT", str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Front-end libraries come from PyPI packages and are served by us (no CDN).
STATICFILES_DIRS = [("vendor/leaflet", leaflet_static.BASE_DIR)]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Size limits. Uploads of distribution files and RDF imports are refused beyond these.
ALLMENDE_MAX_UPLOAD_BYTES = int(env("ALLMENDE_MAX_UPLOAD_BYTES", str(100 * 1024 * 1024)))
ALLMENDE_MAX_RDF_BYTES = int(env("ALLMENDE_MAX_RDF_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("ALLMENDE_MAX_REQUEST_BYTES", str(5 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Outgoing fetches (import from URL, later harvesting).
ALLMENDE_FETCH_TIMEOUT = float(env("ALLMENDE_FETCH_TIMEOUT", "30"))
ALLMENDE_FETCH_ALLOW_PRIVATE = env_bool("ALLMENDE_FETCH_ALLOW_PRIVATE", False)
# Hosts (names or addresses, comma-separated) that may be fetched although they are
# private, loopback or link-local, e.g. an intranet portal of the city.
ALLMENDE_FETCH_ALLOWED_HOSTS = env_list("ALLMENDE_FETCH_ALLOWED_HOSTS", "")
ALLMENDE_FETCH_RETRIES = int(env("ALLMENDE_FETCH_RETRIES", "3"))

# Harvesting: the largest page a source may send, and datasets per CKAN request.
ALLMENDE_HARVEST_MAX_PAGE_BYTES = int(env("ALLMENDE_HARVEST_MAX_PAGE_BYTES", str(50 * 1024 * 1024)))
ALLMENDE_HARVEST_MAX_PAGES = int(env("ALLMENDE_HARVEST_MAX_PAGES", "10000"))
ALLMENDE_HARVEST_CKAN_ROWS = int(env("ALLMENDE_HARVEST_CKAN_ROWS", "100"))
# Pages a run reads ahead in a second process while it stores (0: read in the run's own).
ALLMENDE_HARVEST_READ_AHEAD = int(env("ALLMENDE_HARVEST_READ_AHEAD", "2"))

# SensorThings API: entities per page unless $top says otherwise, and at most.
ALLMENDE_STA_DEFAULT_TOP = int(env("ALLMENDE_STA_DEFAULT_TOP", "100"))
ALLMENDE_STA_MAX_TOP = int(env("ALLMENDE_STA_MAX_TOP", "10000"))
# Observations one CreateObservations request may carry.
ALLMENDE_STA_MAX_OBSERVATIONS = int(env("ALLMENDE_STA_MAX_OBSERVATIONS", "100000"))
# The most requests one $batch request may carry (413 above).
ALLMENDE_STA_MAX_BATCH = int(env("ALLMENDE_STA_MAX_BATCH", "1000"))

# MQTT (SensorThings MQTT extension): the broker (empty: no MQTT), the subscriber's
# client id and session lifetime, observations per stored batch, days message keys are
# kept (redelivery guard), and whether changes are announced.
ALLMENDE_MQTT_URL = env("ALLMENDE_MQTT_URL", "")
ALLMENDE_MQTT_CLIENT_ID = env("ALLMENDE_MQTT_CLIENT_ID", "allmende-worker")
ALLMENDE_MQTT_SESSION_HOURS = int(env("ALLMENDE_MQTT_SESSION_HOURS", "168"))
ALLMENDE_MQTT_BATCH = int(env("ALLMENDE_MQTT_BATCH", "5000"))
ALLMENDE_MQTT_KEY_DAYS = int(env("ALLMENDE_MQTT_KEY_DAYS", "7"))
ALLMENDE_MQTT_PUBLISH = env_bool("ALLMENDE_MQTT_PUBLISH", True)

# Background worker (scheduled harvests, checks), started by `allmende serve`.
ALLMENDE_RUN_WORKER = env_bool("ALLMENDE_RUN_WORKER", True)

# Metadata quality (MQA), measured by the worker: datasets per run and processes for it;
# URL reachability checks: on/off, URLs per run, seconds between two requests to one
# host, days until a URL is checked again, timeout of one check.
ALLMENDE_QUALITY_BATCH = int(env("ALLMENDE_QUALITY_BATCH", "2000"))
ALLMENDE_QUALITY_PROCESSES = int(env("ALLMENDE_QUALITY_PROCESSES", "1"))
ALLMENDE_QUALITY_CHECK_URLS = env_bool("ALLMENDE_QUALITY_CHECK_URLS", True)
ALLMENDE_QUALITY_URLS_PER_RUN = int(env("ALLMENDE_QUALITY_URLS_PER_RUN", "300"))
ALLMENDE_QUALITY_URL_HOST_DELAY = float(env("ALLMENDE_QUALITY_URL_HOST_DELAY", "1"))
ALLMENDE_QUALITY_URL_RECHECK_DAYS = int(env("ALLMENDE_QUALITY_URL_RECHECK_DAYS", "7"))
ALLMENDE_QUALITY_URL_TIMEOUT = float(env("ALLMENDE_QUALITY_URL_TIMEOUT", "10"))

# Web server (allmende serve)
ALLMENDE_WEB_WORKERS = int(env("ALLMENDE_WEB_WORKERS", "2"))
ALLMENDE_FORWARDED_ALLOW_IPS = env("ALLMENDE_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Catalogue
ALLMENDE_CATALOG_PAGE_SIZE = int(env("ALLMENDE_CATALOG_PAGE_SIZE", "100"))
# SPARQL endpoint /sparql: store directory (derived data), time limit per query (s),
# most result rows/triples, largest query (bytes).
ALLMENDE_SPARQL_STORE = PROJECT_DIR / env("ALLMENDE_SPARQL_STORE", str(VAR_DIR / "sparql"))
ALLMENDE_SPARQL_TIMEOUT = float(env("ALLMENDE_SPARQL_TIMEOUT", "10"))
ALLMENDE_SPARQL_MAX_RESULTS = int(env("ALLMENDE_SPARQL_MAX_RESULTS", "10000"))
ALLMENDE_SPARQL_MAX_QUERY_BYTES = int(env("ALLMENDE_SPARQL_MAX_QUERY_BYTES", "65536"))
ALLMENDE_MAP_TILE_URL = env("ALLMENDE_MAP_TILE_URL", "")
ALLMENDE_MAP_TILE_ATTRIBUTION = env("ALLMENDE_MAP_TILE_ATTRIBUTION", "")

# Search: "auto" (PostgreSQL full-text on PostgreSQL, else the in-process tantivy index),
# "postgres" or "tantivy"; where the tantivy index lives; seconds a write waits for the
# index lock another process holds.
ALLMENDE_SEARCH_BACKEND = env("ALLMENDE_SEARCH_BACKEND", "auto")
ALLMENDE_SEARCH_INDEX = PROJECT_DIR / env("ALLMENDE_SEARCH_INDEX", str(VAR_DIR / "search"))
ALLMENDE_SEARCH_LOCK_WAIT = float(env("ALLMENDE_SEARCH_LOCK_WAIT", "30"))

# Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_https = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("ALLMENDE_SECURE_COOKIES", _https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("ALLMENDE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(env("ALLMENDE_HSTS_SECONDS", "0"))
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ALLMENDE_BEHIND_PROXY", False) else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("ALLMENDE_LOG_LEVEL", "INFO")},
}
