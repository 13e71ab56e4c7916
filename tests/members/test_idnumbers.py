"""ID numbers are checked as GB 11643 defines them, and must agree with the record."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.idnumbers import check_digit, make_id_number, mask_id_number, validate_id_number
from tests.factories.members import MemberFactory

# A published example number (GB 11643 appendix): 11010519491231002X.
VALID = "11010519491231002X"


def test_the_standards_example_number_is_valid():
    assert check_digit(VALID[:17]) == "X"
    validate_id_number(VALID)


@pytest.mark.parametrize(
    "value, code",
    [
        ("1101051949123100", "id_format"),  # too short
        ("11010519491231002x", "id_format"),  # lower-case x is normalised by the model, not here
        ("99010519491231002X", "id_region"),  # no province 99
        ("110105194913310021", "id_birth_date"),  # month 13
        ("110105194902300025", "id_birth_date"),  # 30 February
        ("110105194912310021", "id_check_digit"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_id_number(value)
    assert error.value.code == code


def test_made_numbers_are_valid_and_carry_the_gender_in_the_sequence():
    number = make_id_number("140702", datetime.date(1938, 5, 17), 123)
    validate_id_number(number)
    assert number.startswith("14070219380517123")


def test_masking_keeps_the_first_and_last_four_characters():
    assert mask_id_number("14070219380517123X") == "1407**********123X"


@pytest.mark.django_db
def test_the_record_must_agree_with_the_id_number():
    member = MemberFactory.build(
        organisation=MemberFactory().organisation, birth_date=datetime.date(1940, 1, 1)
    )
    member.id_number = make_id_number("140702", datetime.date(1941, 2, 2), 101)  # a man
    member.gender = "F"
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert set(error.value.message_dict) == {"birth_date", "gender"}
    assert "1941-02-02" in error.value.message_dict["birth_date"][0]


@pytest.mark.django_db
def test_lower_case_x_and_spaces_are_normalised():
    member = MemberFactory.build(organisation=MemberFactory().organisation, gender="F")
    number = make_id_number("140702", member.birth_date, 100)
    member.id_number = f" {number.lower()} "
    member.full_clean()
    assert member.id_number == number


@pytest.mark.django_db
def test_factory_members_are_valid():
    for member in MemberFactory.create_batch(30):
        member.full_clean()
