"""The BIN field of the organisation forms: check digit (docs/design.md "Identifiers"),
structure, uniqueness."""

import pytest

from portal.employers.forms import OrganisationForm
from portal.reference.identifiers import FIRST_WEIGHTS, SECOND_WEIGHTS
from tests.employers.helpers import registration_data
from tests.helpers import translated


def _sum(digits: str, weights) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11


def bin_errors(app, value: str) -> list[str]:
    with app.test_request_context(method="POST", data=registration_data(bin=value)):
        form = OrganisationForm()
        form.validate()
        return [str(error) for error in form.bin.errors]


@pytest.mark.parametrize(
    "value",
    [
        "190540045679",  # May 2019, resident legal entity (4), head office (0)
        "980741000111",  # RSE branch (1) registered July 1998
        "1905 4004 5679",  # spaces as printed on certificates are ignored
        "190540000503",  # first weights give 10, the second weights give the check digit 3
    ],
)
def test_valid_bins_pass(app, value):
    assert bin_errors(app, value) == []


def test_the_second_weights_case_is_real():
    assert _sum("19054000050", FIRST_WEIGHTS) == 10
    assert _sum("19054000050", SECOND_WEIGHTS) == 3


@pytest.mark.parametrize(
    "value",
    [
        "190540045678",  # wrong check digit
        "190540000500",  # second-weights prefix with the digit the first weights cannot give
        "190540000590",  # both sums are 10: no digit is valid
        "19054004567",  # 11 digits
        "1905400456790",  # 13 digits
        "19054004567A",  # a letter
        "191340045674",  # month 13
        "190510045675",  # type digit 1 is not a legal entity
    ],
)
def test_invalid_bins_are_refused(app, value):
    assert len(bin_errors(app, value)) == 1


def test_a_registered_bin_is_taken(app, make_employer):
    make_employer(bin="190540045679")
    assert bin_errors(app, "1905 4004 5679") == [
        translated(app, "An organisation with this BIN is already registered.")
    ]
