"""IIN/BIN check digits (docs/design.md "Identifiers"): first weights 1..11, then 3..11,1,2
when the sum gives 10."""

import pytest

from portal.reference.identifiers import (
    SECOND_WEIGHTS,
    check_digit,
    complete,
    is_valid_bin,
    is_valid_number,
)


def test_known_valid_numbers():
    assert is_valid_number("000740001307")
    assert is_valid_bin("000740001307")


@pytest.mark.parametrize(
    "value",
    [
        "000740001308",  # wrong check digit
        "00074000130",  # 11 digits
        "0007400013071",  # 13 digits
        "00074000130A",
        "٠٠٠٧٤٠٠٠١٣٠٧",  # not ASCII digits
        "",
        None,
    ],
)
def test_invalid_numbers(value):
    assert not is_valid_number(value)


def _first_sum(prefix: str) -> int:
    return sum(int(d) * w for d, w in zip(prefix, range(1, 12), strict=True)) % 11


def _second_sum(prefix: str) -> int:
    return sum(int(d) * w for d, w in zip(prefix, SECOND_WEIGHTS, strict=True)) % 11


def test_second_weights_case():
    """Find real-format prefixes whose first sum is 10: the second weights decide."""
    prefixes = [f"21024{n:06d}" for n in range(20000)]
    second = [p for p in prefixes if _first_sum(p) == 10 and _second_sum(p) != 10]
    impossible = [p for p in prefixes if _first_sum(p) == 10 and _second_sum(p) == 10]
    assert second and impossible
    prefix = second[0]
    number = complete(prefix)
    assert number is not None and int(number[-1]) == _second_sum(prefix)
    assert is_valid_number(number)
    # The digit the first weights would give (10) is impossible; any other digit is wrong.
    assert not is_valid_number(prefix + str((int(number[-1]) + 1) % 10))
    # Both sums 10: no check digit exists, and every 12th digit is rejected.
    assert check_digit(impossible[0]) is None
    assert not any(is_valid_number(impossible[0] + str(d)) for d in range(10))


@pytest.mark.parametrize(
    "prefix, ok",
    [
        ("21024001234", True),  # Feb 2021, resident legal entity, head office
        ("21025101234", True),  # non-resident, branch
        ("21134001234", False),  # month 13
        ("21021001234", False),  # type digit 1 is not a legal entity
    ],
)
def test_bin_structure(prefix, ok):
    number = complete(prefix)
    if number is None:  # pick a neighbour with a check digit
        prefix = prefix[:-1] + "5"
        number = complete(prefix)
    assert is_valid_bin(number) is ok
