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


@pytest.fixture
def staff_roles(db):
    """The groups the role migrations make. A transactional test elsewhere in the run
    flushes every table, groups included: make them again, exactly as the migrations do."""
    from importlib import import_module

    from django.apps import apps

    from tests.browser.conftest import restore_staff_roles

    restore_staff_roles()
    import_module("bookings.migrations.0003_booking_coordinator_group").create_group(apps, None)
