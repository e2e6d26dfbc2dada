"""Every field of the sign-up form: what it accepts, what it refuses, and how it says so."""

import re

import pytest

from tests.volunteers.factories import VolunteerRoleFactory
from volunteers.forms import VolunteerApplicationForm


def errors_for(form_data, **changes):
    data = {**form_data, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    form = VolunteerApplicationForm(data=data)
    form.is_valid()
    return form


@pytest.mark.django_db
def test_the_complete_form_is_valid(form_data):
    form = errors_for(form_data)
    assert form.errors == {}
    assert form.cleaned_data["languages"] == ["Arabic", "English", "French"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("焦国标", "焦国标"),
        ("فاطمة الزهراء", "فاطمة الزهراء"),
        ("  Zoë   Ó Súilleabháin ", "Zoë Ó Súilleabháin"),
        ("Sam", "Sam"),
    ],
)
def test_names_in_any_script_are_welcome(form_data, name, expected):
    form = errors_for(form_data, name=name)
    assert "name" not in form.errors
    assert form.cleaned_data["name"] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter your name."), ("12345", "Enter your name using letters, in any script.")],
)
def test_name_errors(form_data, name, message):
    assert errors_for(form_data, name=name).errors["name"] == [message]


@pytest.mark.django_db
def test_name_has_a_length_limit(form_data):
    assert "name" in errors_for(form_data, name="a" * 201).errors


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "amira", "amira@", "amira@example", "a b@example.org"])
def test_email_errors(form_data, email):
    assert "email" in errors_for(form_data, email=email).errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "phone", ["", "01603 123456", "+44 1603 123456", "07700 900123", "+1 (555) 010-9999"]
)
def test_phone_is_optional_and_takes_uk_and_international_numbers(form_data, phone):
    assert "phone" not in errors_for(form_data, phone=phone).errors


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["call me", "12345", "+44 1603 123456 789 0123", "0160-CALL-NOW"])
def test_phone_errors(form_data, phone):
    assert "phone" in errors_for(form_data, phone=phone).errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("area", "expected"),
    [("NR2 4AB", "NR2"), ("nr24ab", "NR2"), ("Wymondham", "Wymondham"), ("NR2", "NR2")],
)
def test_area_keeps_only_the_postcode_district(form_data, area, expected):
    assert errors_for(form_data, area=area).cleaned_data["area"] == expected


@pytest.mark.django_db
def test_area_is_required(form_data):
    assert errors_for(form_data, area="  ").errors["area"] == [
        "Enter your area or postcode district."
    ]


@pytest.mark.django_db
def test_roles_need_at_least_one_current_role(form_data, roles):
    assert errors_for(form_data, roles=[]).errors["roles"] == [
        "Choose at least one role that interests you."
    ]
    assert "roles" in errors_for(form_data, roles=["999999"]).errors
    closed = VolunteerRoleFactory(is_active=False)
    assert "roles" in errors_for(form_data, roles=[str(closed.pk)]).errors
    assert "roles" not in errors_for(form_data, roles=[str(r.pk) for r in roles]).errors


@pytest.mark.django_db
def test_languages_are_optional_split_and_deduplicated(form_data):
    assert errors_for(form_data, languages="").cleaned_data["languages"] == []
    form = errors_for(form_data, languages="Arabic, arabic ,  Kurdish (Sorani); 中文")
    assert form.cleaned_data["languages"] == ["Arabic", "Kurdish (Sorani)", "中文"]


@pytest.mark.django_db
def test_languages_have_limits(form_data):
    many = ", ".join(f"Language {n}" for n in range(21))
    assert "languages" in errors_for(form_data, languages=many).errors
    assert "languages" in errors_for(form_data, languages="x" * 61).errors


@pytest.mark.django_db
def test_availability_needs_a_known_choice(form_data):
    assert errors_for(form_data, availability=[]).errors["availability"] == [
        "Choose at least one time when you could help."
    ]
    assert "availability" in errors_for(form_data, availability=["midnight"]).errors


@pytest.mark.django_db
def test_message_is_optional_with_a_limit(form_data):
    assert "message" not in errors_for(form_data, message="").errors
    assert "message" in errors_for(form_data, message="x" * 2001).errors


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["yes", "no", "not-sure"])
def test_dbs_is_yes_no_or_not_sure_for_a_role_that_needs_one(form_data, roles, answer):
    form = errors_for(form_data, roles=[str(roles[1].pk)], dbs_check=answer)
    assert form.errors == {}
    assert form.cleaned_data["dbs_check"] == answer


@pytest.mark.django_db
@pytest.mark.parametrize("answer", [None, "", "001234567890", "maybe"])
def test_dbs_never_takes_anything_else_for_a_role_that_needs_one(form_data, roles, answer):
    form = errors_for(form_data, roles=[str(roles[0].pk), str(roles[1].pk)], dbs_check=answer)
    assert "dbs_check" in form.errors


@pytest.mark.django_db
def test_dbs_is_required_only_if_a_chosen_role_needs_a_check(form_data, roles):
    steward, mentor = roles
    form = errors_for(form_data, roles=[str(steward.pk)], dbs_check=None)
    assert form.errors == {}
    assert form.cleaned_data["dbs_check"] == ""
    (message,) = errors_for(form_data, roles=[str(mentor.pk)], dbs_check=None).errors["dbs_check"]
    assert message == "Tell us whether you hold a current DBS check."


@pytest.mark.django_db
def test_an_answer_to_a_question_not_asked_is_not_kept(form_data, roles):
    # Someone ticked the mentor role, answered, then unticked it: the answer stays behind.
    form = errors_for(form_data, roles=[str(roles[0].pk)], dbs_check="yes")
    assert form.errors == {}
    assert form.cleaned_data["dbs_check"] == ""


@pytest.mark.django_db
def test_the_dbs_question_names_the_roles_that_need_a_check(form_data, roles):
    roles[1].order = 1
    roles[1].save()
    VolunteerRoleFactory(title="Library helper for schools", needs_dbs_check=True, order=2)
    VolunteerRoleFactory(title="Closed mentor role", needs_dbs_check=True, is_active=False)
    label = str(VolunteerApplicationForm().fields["dbs_check"].label)
    assert label == (
        "Only if you chose Mentor for young writers or Library helper for schools: "
        "do you hold a current DBS check?"
    )


@pytest.mark.django_db
def test_no_dbs_question_when_no_role_needs_a_check(form_data, roles):
    roles[1].delete()
    form = VolunteerApplicationForm()
    assert "dbs_check" not in form.fields
    valid = errors_for(form_data, dbs_check=None)
    assert valid.errors == {}
    assert valid.cleaned_data["dbs_check"] == ""


@pytest.mark.django_db
def test_roles_needing_a_check_are_marked_for_the_script(roles):
    html = str(VolunteerApplicationForm()["roles"])
    boxes = {
        value: tag
        for tag in re.findall(r"<input[^>]*>", html)
        if (value := re.search(r'value="(\d+)"', tag).group(1))
    }
    assert 'data-needs-dbs="true"' in boxes[str(roles[1].pk)]
    assert "data-needs-dbs" not in boxes[str(roles[0].pk)]


@pytest.mark.django_db
def test_under_18_is_refused_kindly(form_data):
    (message,) = errors_for(form_data, is_adult=None).errors["is_adult"]
    assert message.startswith("To volunteer with us you need to be 18 or over")
    assert "very welcome" in message


@pytest.mark.django_db
def test_consent_is_required_and_never_ticked_for_you(form_data):
    assert "consent" in errors_for(form_data, consent=None).errors
    html = str(VolunteerApplicationForm()["consent"])
    assert "checked" not in html


@pytest.mark.django_db
def test_news_opt_in_is_optional_and_separate(form_data):
    form = errors_for(form_data, news_opt_in=None)
    assert form.errors == {}
    assert form.cleaned_data["news_opt_in"] is False


@pytest.mark.django_db
def test_a_known_email_is_not_an_error_on_screen(form_data):
    from tests.volunteers.factories import VolunteerApplicationFactory

    VolunteerApplicationFactory(email="amira@example.org")
    assert errors_for(form_data).errors == {}
