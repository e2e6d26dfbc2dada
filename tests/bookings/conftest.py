import pytest


@pytest.fixture(autouse=True)
def _booking_settings(settings):
    """Known limits; mail to locmem; links start with the test server's address."""
    settings.REDIS_URL = ""
    settings.CLIENT_IP_HEADER = ""
    settings.BOOKINGS = {
        **settings.BOOKINGS,
        "HOLD_MINUTES": 30,
        "OFFER_HOURS": 24,
        "MIN_OFFER_MINUTES": 30,
        "RATE_LIMIT": 1000,
        "MIN_FILL_SECONDS": 3,
    }
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "http://testserver"}


def book_data(**overrides) -> dict:
    data = {"name": "Amira Haddad", "email": "amira@example.org", "places": 1}
    data.update(overrides)
    return data
