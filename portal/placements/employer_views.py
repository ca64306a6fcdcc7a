"""The employer's page of one vacancy: the candidates proposed, grouped by state, each row with
the steps the employer may take (accept for interview, decline, hire, end).

What an employer sees of a candidate is decided here, by what is loaded: the pseudonymous code,
trades, skills, languages, district and availability date. Every other column and relationship
of the candidate raises if a template reaches for it.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import render_template
from flask_login import current_user

from portal import clock
from portal.auth import audit
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, EMPLOYER
from portal.candidates.models import Candidate
from portal.employers.models import Vacancy
from portal.employers.scope import vacancy_filter
from portal.extensions import db
from portal.placements import bp
from portal.placements.display import seen_state
from portal.placements.kept_steps import kept_step, row_steps
from portal.placements.lifecycle import possible_steps
from portal.placements.models import Placement
from portal.placements.scope import placement_filter
from portal.placements.vocabulary import STATE_ORDER

EMPLOYER_SEES = so.joinedload(Placement.candidate).options(
    so.load_only(
        Candidate.id,
        Candidate.code,
        Candidate.skills,
        Candidate.languages,
        Candidate.district_id,
        Candidate.available_from,
        raiseload=True,
    ),
    so.joinedload(Candidate.district),
    so.selectinload(Candidate.occupations),
    so.raiseload("*"),
)


def proposals(*where: sa.ColumnElement[bool]) -> list[Placement]:
    """Placements in the user's scope, with only what an employer may see of the candidate."""
    return list(
        db.session.scalars(
            sa.select(Placement)
            .where(placement_filter(current_user), *where)
            .options(
                EMPLOYER_SEES,
                so.selectinload(Placement.interview),
                # The inspector's name, phone and e-mail: the employer's contact for this person.
                so.selectinload(Placement.proposed_by),
            )
            .execution_options(populate_existing=True)
            .order_by(Placement.proposed_at, Placement.id)
        ).unique()
    )


def state_counts(rows: list[Placement]) -> dict[str, int]:
    """How many proposals each group of the page holds, by the state the employer sees."""
    return {state: sum(1 for p in rows if seen_state(p) == state) for state in STATE_ORDER}


def render_row(placement: Placement, **context) -> str:
    """One proposal's row, the htmx answer to a step; with it, out of band, every group's
    count, so the headings follow the step (the row itself stays where it was until reload)."""
    counts = state_counts(proposals(Placement.vacancy_id == placement.vacancy_id))
    return render_template(
        "placements/_proposal_row.html",
        p=placement,
        vacancy=placement.vacancy,
        steps=row_steps(placement, possible_steps(placement, placement.vacancy)),
        today=clock.today(),
        oob_counts=counts,
        **context,
    )


@bp.get("/vacancies/<int:vacancy_id>")
@roles_required(EMPLOYER, ADMIN)
def vacancy_proposals(vacancy_id: int):
    vacancy = db.first_or_404(
        sa.select(Vacancy).where(Vacancy.id == vacancy_id, vacancy_filter(current_user))
    )
    rows = proposals(Placement.vacancy_id == vacancy.id)
    audit.read("proposals_listed", [p.candidate_id for p in rows], vacancy)
    groups = [(state, [p for p in rows if seen_state(p) == state]) for state in STATE_ORDER]
    steps = {p.id: row_steps(p, possible_steps(p, vacancy)) for p in rows}
    return render_template(
        "placements/vacancy_proposals.html",
        vacancy=vacancy,
        groups=[(state, items) for state, items in groups if items],
        counts=state_counts(rows),
        hired=sum(1 for p in rows if p.state == "hired"),
        steps=steps,
        kept=kept_step(rows, steps),
        today=clock.today(),
    )
