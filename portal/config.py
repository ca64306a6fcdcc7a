"""Settings from the environment, with safe defaults (SQLite in instance/ when nothing is set)."""

import os
from datetime import timedelta

from portal import clock


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _non_negative(name: str, default: int) -> int:
    value = int(os.environ.get(name, str(default)))
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, not {value}")
    return value


def _retention_years(name: str, default: int) -> int | None:
    """Years a record of this status is kept after its last activity; 0 or "never": kept."""
    value = os.environ.get(name, str(default)).strip().lower()
    return None if value in {"0", "never"} else _non_negative(name, default)


def from_environment(instance_path: str) -> dict:
    env = os.environ.get("PORTAL_ENV", "development")
    production = env == "production"
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "portal.db")
    )
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]

    return {
        "ENV_NAME": env,
        # The keys: from the environment; when unset, portal/instance_keys.py decides.
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "TOTP_ENCRYPTION_KEY": os.environ.get("TOTP_ENCRYPTION_KEY"),
        # Encryption at rest (portal/data_crypto.py): Fernet keys, comma-separated, newest first.
        "DATA_ENCRYPTION_KEYS": os.environ.get("DATA_ENCRYPTION_KEYS"),
        "DATA_HASH_KEY": os.environ.get("DATA_HASH_KEY"),
        # Proxies in front of the portal whose X-Forwarded-For/-Proto/-Host are believed.
        "TRUSTED_PROXIES": _non_negative("TRUSTED_PROXIES", 0),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Cookies: HttpOnly always, Secure when served over HTTPS (production).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        # Idle timeout: a session with no request for this long ends (portal/auth/sessions.py);
        # pages warn SESSION_WARNING_MINUTES before, and a form sent after it is kept
        # KEPT_FORM_MINUTES for its user to find once signed in again (auth/kept_forms.py).
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_WARNING_MINUTES": 5,
        "KEPT_FORM_MINUTES": 60,
        # Absolute timeout: a session older than this ends whatever the activity.
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")),
        # The cookie outlives the idle limit (the server ends the session, not the browser):
        # a form sent after the idle limit still says whose session it was, so what was typed
        # can be kept for that user and for no one else.
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
        ),
        # The cookie is sent again only when the session changes (its idle clock: at most once
        # a minute, auth/sessions.py); the limits are the server's, not the cookie's expiry.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Time between the password and the second factor (or its enrolment) at sign-in.
        "SECOND_FACTOR_MINUTES": 10,
        # Failed sign-ins for one e-mail (from any address) before each next try waits, the wait
        # doubling from 2 s to LOGIN_BACKOFF_MAX_SECONDS: an attacker slows to a crawl, the
        # owner waits minutes at worst, never hours.
        "LOGIN_BACKOFF_FREE": 5,
        "LOGIN_BACKOFF_MAX_SECONDS": _non_negative("LOGIN_BACKOFF_MAX_SECONDS", 300),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "BABEL_DEFAULT_LOCALE": "kk",
        "BABEL_DEFAULT_TIMEZONE": clock.LOCAL_ZONE_NAME,
        "LANGUAGES": ("kk", "ru"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "120 per minute"),  # per token
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "5 per minute;20 per hour"),
        "PAGE_SIZE": 25,
        # Pages kept in each worker's memory for their session until a write (page_cache.py):
        # how many at most (0: none), and for how many seconds at most.
        "PAGE_CACHE_ENTRIES": _non_negative("PAGE_CACHE_ENTRIES", 256),
        "PAGE_CACHE_SECONDS": _non_negative("PAGE_CACHE_SECONDS", 60),
        # Administrative supervision: the minutes kept free between a shift and the person's
        # curfew, before it starts and after it ends (the way home, the way to work).
        "CURFEW_TRAVEL_MINUTES": _non_negative("CURFEW_TRAVEL_MINUTES", 60),
        # Quotas for released people and people on the probation register, as a share of the
        # employer's headcount (2016 employment law art. 27, now the Social Code — check).
        "QUOTA_PERCENT_MIN": float(os.environ.get("QUOTA_PERCENT_MIN", "0.5")),
        "QUOTA_PERCENT_MAX": float(os.environ.get("QUOTA_PERCENT_MAX", "1.0")),
        # How a percentage becomes whole workplaces: "half_up", "up" or "down" (check the
        # akimat resolution).
        "QUOTA_ROUNDING": os.environ.get("QUOTA_ROUNDING", "half_up"),
        # Search (portal/search/): one Whoosh index per kind under this folder, per app node.
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR")
        or os.path.join(instance_path, "search"),
        "SEARCH_SYNC_AFTER_COMMIT": _bool("SEARCH_SYNC_AFTER_COMMIT", True),
        "SEARCH_LOCK_TIMEOUT": float(
            os.environ.get("SEARCH_LOCK_TIMEOUT", "0")
        ),  # requests never wait
        "SEARCH_SYNC_BUDGET": 100,  # outbox rows a request applies at most; the rest by the CLI
        "SEARCH_MAX_HITS": 1000,  # best index hits checked against scope and rules per search
        "SEARCH_OUTBOX_GAP_SECONDS": 300,  # how long an uncommitted outbox id is waited for
        "SEARCH_REBUILD_MEMORY_MB": int(os.environ.get("SEARCH_REBUILD_MEMORY_MB", "256")),
        "SEARCH_SYNC_DELAY": float(os.environ.get("PORTAL_SEARCH_SYNC_DELAY", "0")),  # tests only
        # E-mail, sent by the worker (portal/notifications/mail.py); no MAIL_SERVER: none sent,
        # the outbox keeps them.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "portal@localhost"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "30")),
        "MAIL_MAX_BACKOFF_MINUTES": _non_negative("MAIL_MAX_BACKOFF_MINUTES", 360),
        # The portal's address as its users reach it: e-mails link there.
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000"),
        # A proposal still unanswered this many days on reminds the employer (twice as many:
        # the inspector too); after PROPOSAL_EXPIRE_DAYS it closes as "no answer".
        "PROPOSAL_REMIND_DAYS": int(os.environ.get("PROPOSAL_REMIND_DAYS", "7")),
        "PROPOSAL_EXPIRE_DAYS": int(os.environ.get("PROPOSAL_EXPIRE_DAYS", "30")),
        # Retention (portal/candidates/schedule.py): years a record is kept after the person's
        # last activity (release, end of supervision or of a ban, end of a placement, a change
        # of the record), per status; None keeps it (people in custody). Never while a
        # placement is active or a proposal open. Inspectors are told RETENTION_NOTICE_DAYS
        # before a record is anonymised.
        "RETENTION_YEARS": {
            "min_security": None,
            "pre_release": None,
            "released": _retention_years("RETENTION_YEARS_RELEASED", 3),
            "probation": _retention_years("RETENTION_YEARS_PROBATION", 3),
        },
        "RETENTION_NOTICE_DAYS": _non_negative("RETENTION_NOTICE_DAYS", 30),
    }


def add_engine_options(settings: dict) -> None:
    """PostgreSQL: no JIT. The portal's queries are short; compiling them costs more (seen:
    0.75 s of JIT on a 2 s ranking query) than it saves."""
    if settings["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("options", "-c jit=off")
