"""Citizen ID numbers as GB 11643-1999 defines them (公民身份号码).

Eighteen characters: a six-digit region code (the first two digits a province), the birth date
as YYYYMMDD, a three-digit sequence whose last digit is odd for men and even for women, and a
check digit computed with ISO 7064 MOD 11-2 (`X` stands for 10).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.workbook import mask_id_number

__all__ = [
    "check_digit",
    "id_number_birth_date",
    "id_number_is_male",
    "make_id_number",
    "mask_id_number",
    "validate_id_number",
]

PATTERN = re.compile(r"^\d{17}[\dX]$")
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARACTERS = "10X98765432"
# GB/T 2260 province-level codes (the first two digits of every region code).
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}  # fmt: skip
EARLIEST_BIRTH = datetime.date(1880, 1, 1)

MESSAGE_FORMAT = _("An ID number has 18 characters: 17 digits and a digit or X at the end.")
MESSAGE_REGION = _("The first six digits are not a valid region code.")
MESSAGE_BIRTH_DATE = _("Digits 7 to 14 are not a valid birth date.")
MESSAGE_CHECK_DIGIT = _("The last character is not the right check digit; please check the number.")


def check_digit(first17):
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def id_number_birth_date(value):
    """The birth date written in an ID number, or None if it is not a real date."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except (ValueError, IndexError):
        return None


def id_number_is_male(value):
    return int(value[16]) % 2 == 1


def validate_id_number(value):
    """Raises ValidationError (in Chinese, via the catalogue) unless `value` is a valid number."""
    if not PATTERN.match(value or ""):
        raise ValidationError(MESSAGE_FORMAT, code="id_format")
    if value[:2] not in PROVINCES or value[2:6] == "0000":
        raise ValidationError(MESSAGE_REGION, code="id_region")
    born = id_number_birth_date(value)
    if born is None or not EARLIEST_BIRTH <= born <= datetime.date.today():
        raise ValidationError(MESSAGE_BIRTH_DATE, code="id_birth_date")
    if check_digit(value[:17]) != value[17]:
        raise ValidationError(MESSAGE_CHECK_DIGIT, code="id_check_digit")


def make_id_number(region, birth_date, sequence):
    """A valid number for `region` (six digits), `birth_date` and a sequence (0–999; odd: male)."""
    first17 = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


def normalise_id_number(value):
    """What people type: spaces around, a lower-case x."""
    return (value or "").strip().replace(" ", "").upper()
