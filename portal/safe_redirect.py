"""Redirect targets from user input (?next=, Referer) may only point into this site."""

from urllib.parse import urlsplit

from flask import request, url_for


def is_local_url(target: str | None) -> bool:
    if not target:
        return False
    # Browsers treat backslashes like slashes; "/\evil.com" would leave the site.
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
    )


def local_target(*candidates: str | None, default_endpoint: str = "main.index") -> str:
    for target in candidates:
        if is_local_url(target):
            return target
    return url_for(default_endpoint)


def referrer_path() -> str | None:
    """The path (and query) of the page the user came from, if it is on this site."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_local_url(path) else None


def back_to_referrer(default_endpoint: str = "main.index") -> str:
    """The page the user came from, if it is on this site (used after small POST actions)."""
    return local_target(referrer_path(), default_endpoint=default_endpoint)
