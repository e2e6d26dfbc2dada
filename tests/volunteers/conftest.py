import time

import pytest


@pytest.fixture(autouse=True)
def _volunteer_settings(settings):
    """Generous limits by default; each test tightens what it tests. Mail goes to locmem."""
    settings.REDIS_URL = ""
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 1000, "MIN_FILL_SECONDS": 3}
    settings.CLIENT_IP_HEADER = ""


@pytest.fixture
def roles(db):
    from tests.volunteers.factories import VolunteerRoleFactory

    return [
        VolunteerRoleFactory(title="Event steward", slug="test-event-steward"),
        VolunteerRoleFactory(
            title="Mentor for young writers", slug="test-young-writers-mentor", needs_dbs_check=True
        ),
    ]


def old_ticket(seconds_ago: float = 60, version: str = "1.0") -> str:
    """A form ticket issued ``seconds_ago`` (conftest is loaded before Django is set up)."""
    from volunteers.tokens import FormTicket

    ticket = FormTicket.issue(version)
    return FormTicket(ticket.key, time.time() - seconds_ago, version).dumps()


@pytest.fixture
def form_data(roles):
    """A complete, valid application as the browser would post it."""
    return {
        "name": "Amira Haddad",
        "email": "amira@example.org",
        "phone": "01603 123456",
        "area": "NR2 4AB",
        "roles": [str(roles[0].pk)],
        "languages": "Arabic, English, French",
        "availability": ["weekends", "weekday-evenings"],
        "message": "I have stewarded at the Norwich Arts Centre.",
        "dbs_check": "no",
        "is_adult": "on",
        "consent": "on",
        "website": "",
        "ticket": old_ticket(),
    }
