"""Telling people: a notification row per recipient, written in the caller's transaction (so
nothing is told of an event that was rolled back), and the e-mail it calls for put in the
outbox, rendered in the recipient's language. The worker sends the outbox (mail.py).
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.auth.models import EMPLOYER, INSPECTOR, User
from portal.candidates.models import Candidate
from portal.extensions import db
from portal.notifications.kinds import KINDS
from portal.notifications.models import MailOutbox, Notification, NotificationSetting
from portal.placements.models import Placement

# The page each kind of object opens on, by the recipient's side.
LINKS = {
    "placement": ("placements.detail", "placement_id"),
    "vacancy": ("placements.vacancy_proposals", "vacancy_id"),
    "employer": ("employers.detail", "employer_id"),
    "candidate": ("candidates.view", "candidate_id"),
}


def portal_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, from PORTAL_BASE_URL: the worker has no request to
    take a host from."""
    base = urlsplit(current_app.config["PORTAL_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def link(notification: Notification, external: bool = False) -> str:
    endpoint, argument = LINKS[notification.object_type]
    values = {argument: notification.object_id}
    return portal_url(endpoint, **values) if external else url_for(endpoint, **values)


def employer_users(employer_id: int) -> list[User]:
    """The organisation's own active users, and nobody else's."""
    return list(
        db.session.scalars(
            sa.select(User).where(
                User.employer_id == employer_id, User.role == EMPLOYER, User.active.is_(True)
            )
        )
    )


def record_inspectors(candidate: Candidate) -> list[User]:
    """Every active inspector whose scope holds the record."""
    return list(db.session.scalars(_scope_inspectors(candidate)))


def _scope_inspectors(candidate: Candidate) -> sa.Select:
    return sa.select(User).where(
        User.role == INSPECTOR,
        User.active.is_(True),
        User.region_id == candidate.region_id,
        sa.or_(User.institution_id.is_(None), User.institution_id == candidate.institution_id),
    )


def inspectors_of(placement: Placement) -> list[User]:
    """The inspector who proposed, while they still have the person's record in scope;
    otherwise every active inspector whose scope holds it."""
    scope = _scope_inspectors(placement.candidate)
    if placement.proposed_by_id is not None:
        proposer = db.session.scalar(scope.where(User.id == placement.proposed_by_id))
        if proposer is not None:
            return [proposer]
    return list(db.session.scalars(scope))


def placement_params(placement: Placement, **more) -> dict:
    """What a placement's notification text names: the vacancy in both languages and the
    candidate's code (never their name or record: the code is all a notice needs)."""
    vacancy = placement.vacancy
    return {
        "vacancy_kk": vacancy.title_kk,
        "vacancy_ru": vacancy.title_ru,
        "candidate": placement.candidate.code,
        **more,
    }


def notify(
    users: Iterable[User],
    kind: str,
    object_type: str,
    object_id: int,
    params: dict | None = None,
    dedupe: str | None = None,
) -> list[Notification]:
    """One notification per user (once per `dedupe` key), each with the e-mail its
    recipient's settings ask for. No commit: the caller's transaction holds it all."""
    users = {user.id: user for user in users}
    if dedupe is not None and users:
        told = db.session.scalars(
            sa.select(Notification.user_id).where(
                Notification.user_id.in_(users), Notification.dedupe == dedupe
            )
        )
        for user_id in told:
            users.pop(user_id)
    settings = {
        row.user_id: row
        for row in db.session.scalars(
            sa.select(NotificationSetting).where(NotificationSetting.user_id.in_(users))
        )
    }
    made = []
    for user in users.values():
        notification = Notification(
            user_id=user.id,
            kind=kind,
            object_type=object_type,
            object_id=object_id,
            params=params or {},
            dedupe=dedupe,
        )
        db.session.add(notification)
        setting = settings.get(user.id)
        if setting is not None and KINDS[kind].group in setting.email_off:
            pass  # the portal list keeps it; no e-mail
        elif setting is not None and setting.digest:
            notification.digest_pending = True
        else:
            db.session.add(single_mail(user, notification))
        made.append(notification)
    return made


def _locale(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def _footer() -> str:
    url = portal_url("notifications.settings")
    return _("You can choose which e-mails you receive: %(url)s", url=url)


def single_mail(user: User, notification: Notification) -> MailOutbox:
    with force_locale(_locale(user)):
        subject = str(KINDS[notification.kind].subject)
        body = "\n\n".join(
            [
                _("Hello, %(name)s.", name=user.full_name),
                subject + ".",
                _("Sign in to the portal to see it: %(url)s", url=link(notification, True)),
                _footer(),
            ]
        )
        return MailOutbox(
            user_id=user.id,
            to_address=user.email,
            subject=_("Work after prison") + ": " + subject,
            body=body + "\n",
        )


def digest_mail(user: User, notifications: list[Notification]) -> MailOutbox:
    """One e-mail for the day's notifications: how many of each kind, and a link to the list."""
    with force_locale(_locale(user)):
        counts: dict[str, int] = {}
        for notification in notifications:
            subject = str(KINDS[notification.kind].subject)
            counts[subject] = counts.get(subject, 0) + 1
        lines = [f"- {subject}: {count}" for subject, count in counts.items()]
        listing = portal_url("notifications.index")
        body = "\n\n".join(
            [
                _("Hello, %(name)s.", name=user.full_name),
                _("What happened in the portal since the last digest:"),
                "\n".join(lines),
                _("Sign in to the portal to see it: %(url)s", url=listing),
                _footer(),
            ]
        )
        return MailOutbox(
            user_id=user.id,
            to_address=user.email,
            subject=_("Work after prison") + ": " + _("daily digest"),
            body=body + "\n",
        )
