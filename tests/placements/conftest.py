"""A sewing shop in Astana with a one-place vacancy, its employer user, an inspector of Astana."""

from dataclasses import dataclass
from datetime import date

import pytest

from portal import clock
from portal.auth.models import INSPECTOR, User
from portal.employers.models import Employer, Vacancy
from portal.placements import lifecycle
from portal.placements.models import Placement


@dataclass
class Shop:
    employer: Employer
    employer_user: User
    inspector: User
    vacancy: Vacancy

    def propose(self, candidate, vacancy=None) -> Placement:
        return lifecycle.propose(
            candidate.id, (vacancy or self.vacancy).id, self.inspector, clock.today()
        )

    def interview(self, candidate, vacancy=None) -> Placement:
        p = self.propose(candidate, vacancy)
        return lifecycle.accept_for_interview(p.id, p.version, self.employer_user, clock.today())

    def hire(self, candidate, start: date | None = None, vacancy=None) -> Placement:
        p = self.interview(candidate, vacancy)
        return lifecycle.hire(
            p.id, p.version, self.employer_user, start=start or clock.today(), on=clock.today()
        )


@pytest.fixture
def shop(make_employer, make_user, make_vacancy) -> Shop:
    employer = make_employer(
        name_kk="«Тігін» ЖШС", name_ru="ТОО «Тигин»", headcount=200, workshop_capacity=120
    )
    return Shop(
        employer=employer,
        employer_user=make_user("employer", employer_id=employer.id),
        inspector=make_user(INSPECTOR),
        vacancy=make_vacancy(employer, places=1, title_ru="Швея", title_kk="Тігінші"),
    )


@pytest.fixture
def csrf_app(make_app):
    """An app that checks CSRF tokens (forms from a page left open: kept_forms.keep_stale)."""
    return make_app(WTF_CSRF_ENABLED=True)
