"""Signed links are masked wherever a path is written down (refuge/logging.py)."""

import pytest

from refuge.logging import mask_tokens


@pytest.mark.parametrize(
    ("path", "masked"),
    [
        ("/bookings/manage/eyJpZCI6Ij.abc:1x2/", "/bookings/manage/…/"),
        ("/ar/bookings/confirm/tok_en-1/", "/ar/bookings/confirm/…/"),
        ("/fa/bookings/calendar/abc:def/booking.ics", "/fa/bookings/calendar/…/booking.ics"),
        ("/volunteer/withdraw/abc/", "/volunteer/withdraw/…/"),
        ("/bookings/12/", "/bookings/12/"),  # a date's booking page holds no secret
        ("/events/reading/", "/events/reading/"),
    ],
)
def test_tokens_in_paths_are_masked_and_nothing_else_is(path, masked):
    assert mask_tokens(f"Internal Server Error: {path}") == f"Internal Server Error: {masked}"
