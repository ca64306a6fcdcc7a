"""IIN and BIN (Kazakhstan's 12-digit individual and business numbers) check digits."""

FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no digit is valid (both sums give 10)."""
    digits = [int(ch) for ch in first_eleven]
    control = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11
    if control == 10:
        control = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=True)) % 11
    return None if control == 10 else control


def is_valid_number(value: str | None) -> bool:
    """True for 12 ASCII digits whose last digit is the check digit of the first eleven.

    The date part of an IIN is not compared with a birth date: since 2013 they may disagree.
    """
    if value is None or len(value) != 12 or not (value.isascii() and value.isdigit()):
        return False
    return check_digit(value[:11]) == int(value[11])


def is_valid_bin(value: str | None) -> bool:
    """A BIN: valid check digit, a real month, and a legal-entity type digit (4, 5 or 6)."""
    return (
        is_valid_number(value)
        and 1 <= int(value[2:4]) <= 12
        and value[4] in "456"
        and value[5] in "0123"
    )


def complete(first_eleven: str) -> str | None:
    """The full number for these 11 digits, or None when they admit no check digit."""
    digit = check_digit(first_eleven)
    return None if digit is None else first_eleven + str(digit)
