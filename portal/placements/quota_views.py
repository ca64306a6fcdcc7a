"""Quotas: the akimat's (or administrator's) list of employers with their fulfilment, and the
form that sets an employer's quotas for a year. The rules are quotas.py's; refusals are shown
on the form and nothing is written."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, AKIMAT
from portal.employers.models import Employer
from portal.employers.scope import employer_filter
from portal.extensions import db, htmx
from portal.forms import database_int
from portal.pagination import paginate_list
from portal.placements import bp
from portal.placements.forms import QuotaForm
from portal.placements.models import Quota
from portal.placements.quotas import QuotasRefused, save_quotas, standings

YEARS_BACK, YEARS_AHEAD = 3, 1


def _year() -> int:
    year = request.args.get("year", type=database_int)
    return year if year and 2000 <= year <= 2100 else clock.today().year


def _year_choices(year: int) -> list[int]:
    this_year = clock.today().year
    return sorted(set(range(this_year - YEARS_BACK, this_year + YEARS_AHEAD + 1)) | {year})


@bp.get("/quotas")
@roles_required(AKIMAT, ADMIN)
def quotas():
    """Approved employers of the user's territory; those below their quota first (the most
    places due first), then those with a quota met, then those with none."""
    year = _year()
    employers = list(
        db.session.scalars(
            sa.select(Employer).where(employer_filter(current_user), Employer.status == "approved")
        )
    )
    standing = standings(employers, year)

    def order(employer: Employer):
        s = standing[employer.id]
        group = 0 if s.due else (1 if s.fulfilment else 2)
        return group, -s.due, employer.name.casefold()

    page = paginate_list(sorted(employers, key=order))
    template = "placements/_quota_rows.html" if htmx else "placements/quotas.html"
    return render_template(
        template, page=page, standing=standing, year=year, years=_year_choices(year)
    )


def _percent_help() -> str:
    low, high = current_app.config["QUOTA_PERCENT_MIN"], current_app.config["QUOTA_PERCENT_MAX"]
    return _(
        "As a percentage: from %(low)s%% to %(high)s%% of the headcount.",
        low=format_decimal(low),
        high=format_decimal(high),
    )


def _prefill(form: QuotaForm, employer: Employer, year: int) -> None:
    """The quotas already set for the year, on a form opened (not posted)."""
    for quota in db.session.scalars(
        sa.select(Quota).where(Quota.employer_id == employer.id, Quota.year == year)
    ):
        form[f"{quota.category}_mode"].data = quota.mode
        form[f"{quota.category}_value"].data = quota.value.normalize()


def _save(form: QuotaForm, employer: Employer) -> bool:
    """Every category's quota, or none: each refusal is shown by its field."""
    fields = form.category_fields()
    quotas = [(category, mode.data, value.data) for category, mode, value in fields]
    try:
        save_quotas(employer, form.year.data, [q for q in quotas if q[2] is not None], current_user)
    except QuotasRefused as refusals:
        for category, _mode, value in fields:
            if category in refusals.refused:
                value.errors = [*value.errors, str(refusals.refused[category].message)]
        return False
    return True


@bp.route("/quotas/<int:employer_id>", methods=["GET", "POST"])
@roles_required(AKIMAT, ADMIN)
def set_quotas(employer_id: int):
    employer = db.first_or_404(
        sa.select(Employer).where(Employer.id == employer_id, employer_filter(current_user))
    )
    year = _year()
    form = QuotaForm(year=year)
    if request.method == "GET":
        _prefill(form, employer, year)
    elif form.validate_on_submit() and _save(form, employer):
        flash(_("The quotas for %(year)s have been saved.", year=form.year.data), "success")
        return redirect(url_for(".quotas", year=form.year.data), 303)
    shown_year = form.year.data if isinstance(form.year.data, int) else year
    return render_template(
        "placements/quota_form.html",
        form=form,
        employer=employer,
        standing=standings([employer], shown_year)[employer.id],
        percent_help=_percent_help(),
    ), 400 if request.method == "POST" else 200
