"""Small pieces every model module shares."""

from datetime import UTC

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import get_locale


class UTCDateTime(sa.TypeDecorator):
    """Timestamps stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: store UTC")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def in_user_language(kk: str | None, ru: str | None) -> str:
    """The text in the user's language, falling back to the other one (text is stored as typed)."""
    locale = get_locale()
    first, second = (ru, kk) if locale is not None and locale.language == "ru" else (kk, ru)
    return first or second or ""


class BilingualName:
    """Reference rows carry a Kazakh and a Russian name; `name` picks the user's language."""

    name_kk: so.Mapped[str]
    name_ru: so.Mapped[str]

    @property
    def name(self) -> str:
        return in_user_language(self.name_kk, self.name_ru)


def one_of(column: str, values: tuple[str, ...], name: str | None = None) -> sa.CheckConstraint:
    """A CHECK that a string column holds one of the given codes (the codes live in one tuple)."""
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=name or column)
