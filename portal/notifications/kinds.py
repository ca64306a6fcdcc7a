"""The kinds of notification: each one's line in the portal list (filled with its params) and
its e-mail subject, which names nothing but the kind of thing that happened (an e-mail may be
read by anyone who sees the recipient's screen or mailbox: no name, vacancy or reason)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    text: object  # lazy string with %(…)s placeholders from the notification's params
    subject: object  # lazy string, no placeholders
    group: str  # one switch on the settings page (GROUPS)


KINDS = {
    "employer_approved": Kind(
        _l("Your organisation has been approved: you can now post vacancies."),
        _l("Your organisation's registration has been decided"),
        "organisation",
    ),
    "employer_rejected": Kind(
        _l("Your organisation's registration has been rejected: its page gives the reason."),
        _l("Your organisation's registration has been decided"),
        "organisation",
    ),
    "proposal_made": Kind(
        _l("A candidate has been proposed for your vacancy “%(vacancy)s”."),
        _l("A candidate has been proposed to you"),
        "proposals",
    ),
    "proposal_invited": Kind(
        _l("The employer invited %(candidate)s to an interview (“%(vacancy)s”)."),
        _l("An employer has answered a proposal"),
        "answers",
    ),
    "proposal_declined": Kind(
        _l("The employer declined %(candidate)s (“%(vacancy)s”): %(reason)s."),
        _l("An employer has answered a proposal"),
        "answers",
    ),
    "proposal_hired": Kind(
        _l("The employer hired %(candidate)s (“%(vacancy)s”)."),
        _l("An employer has answered a proposal"),
        "answers",
    ),
    "placement_ended": Kind(
        _l("The employment of %(candidate)s has ended (“%(vacancy)s”): %(reason)s."),
        _l("A placement has changed"),
        "ended",
    ),
    "interview_booked": Kind(
        _l("Interview booked: %(candidate)s, “%(vacancy)s”, %(when)s."),
        _l("An interview has been booked or changed"),
        "interviews",
    ),
    "interview_moved": Kind(
        _l("Interview moved: %(candidate)s, “%(vacancy)s”, now %(when)s."),
        _l("An interview has been booked or changed"),
        "interviews",
    ),
    "interview_cancelled": Kind(
        _l("Interview cancelled: %(candidate)s, “%(vacancy)s”."),
        _l("An interview has been booked or changed"),
        "interviews",
    ),
    "interview_outcome": Kind(
        _l("The interview with %(candidate)s (“%(vacancy)s”) has taken place: record the outcome."),
        _l("An interview awaits its outcome"),
        "outcomes",
    ),
    "follow_up_due": Kind(
        _l("Follow-up check due: %(candidate)s, %(months)s months after the start."),
        _l("A follow-up check is due"),
        "follow_ups",
    ),
    "proposal_reminder": Kind(
        _l("A candidate for “%(vacancy)s” has been waiting %(days)s days for your decision."),
        _l("A candidate is waiting for your decision"),
        "reminders",
    ),
    "proposal_unanswered": Kind(
        _l("The employer has not answered the proposal of %(candidate)s for %(days)s days."),
        _l("A proposal has not been answered"),
        "unanswered",
    ),
    "proposal_expired": Kind(
        _l("The proposal of %(candidate)s closed without an answer after %(days)s days."),
        _l("A proposal has closed without an answer"),
        "expired",
    ),
    "quota_shortfall": Kind(
        _l("Your organisation still has %(due)s quota places to fill this year."),
        _l("Your quota for this year is not yet filled"),
        "quota",
    ),
    "retention_due": Kind(
        _l(
            "The record %(candidate)s reaches the end of its retention period on %(day)s and "
            "will then be anonymised."
        ),
        _l("A record will be anonymised at the end of its retention period"),
        "retention",
    ),
}


GROUPS = {
    "organisation": _l("Your organisation approved or rejected"),
    "proposals": _l("A candidate proposed to your organisation"),
    "answers": _l("The employer's answers to your proposals"),
    "ended": _l("Employment ended"),
    "interviews": _l("Interviews booked, moved or cancelled"),
    "outcomes": _l("Interviews awaiting their outcome"),
    "follow_ups": _l("Follow-up checks due"),
    "reminders": _l("Reminders of proposals awaiting a decision"),
    "unanswered": _l("Proposals left unanswered"),
    "expired": _l("Proposals closed without an answer"),
    "quota": _l("Quota places still to fill in the last quarter"),
    "retention": _l("Records coming to the end of their retention period"),
}
