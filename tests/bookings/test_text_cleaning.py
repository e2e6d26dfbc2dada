"""Names and access needs lose the invisible characters that disguise them (issue 15).

Bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069)
would reorder a name in the staff's attendee list, CSV and sign-in sheet; the left-to-right
and right-to-left marks (U+200E, U+200F) stay, as mixed Arabic or Persian and Latin text
may need them. The volunteer form shares the helper (core.sanitise.strip_bidi_controls).
"""

import pytest

from bookings.forms import BookingForm
from core.sanitise import strip_bidi_controls

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_the_helper_takes_out_every_control_and_keeps_the_marks():
    assert strip_bidi_controls(f"A{CONTROLS}b\u200ec\u200f") == "Ab\u200ec\u200f"
    assert strip_bidi_controls("أمل Amal") == "أمل Amal"


def test_the_booking_form_cleans_name_and_access_needs():
    form = BookingForm(
        {
            "name": "Ali \u202egnp.exe\u202c Reza\u2066x\u200f",
            "email": "ali@example.org",
            "places": "1",
            "access_needs": "Ramp\u2067 please\nand a \u202dseat",
            "consent": "on",
        },
        most_places=2,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Ali gnp.exe Rezax\u200f"
    assert form.cleaned_data["access_needs"] == "Ramp please\nand a seat"


def test_a_name_of_only_controls_is_refused():
    form = BookingForm({"name": CONTROLS, "email": "a@example.org", "places": "1", "consent": "on"})
    assert "name" in form.errors


@pytest.mark.django_db
def test_the_volunteer_form_cleans_the_same_way():
    from volunteers.forms import VolunteerApplicationForm

    form = VolunteerApplicationForm()
    for field, value, expected in [
        ("name", "Sara \u202eHussein\u202c", "Sara Hussein"),
        ("area", "Nor\u2068wich\u2069", "Norwich"),
        ("message", "Hello \u202bthere", "Hello there"),
    ]:
        form.cleaned_data = {field: value}
        assert getattr(form, f"clean_{field}")() == expected
    assert form.fields["languages"].to_python("Arabic\u202e, Farsi") == ["Arabic", "Farsi"]
