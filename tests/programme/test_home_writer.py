"""The home page shows the writer in residence, or else the most recent one, honestly
worded: never the first writer ever hosted under "Writer in residence" (issue 14)."""

import datetime

import pytest

from tests.programme.factories import WriterFactory

pytestmark = pytest.mark.django_db


def writer_section(client) -> str:
    page = client.get("/").content.decode()
    start = page.index('id="writer-heading"')
    return page[start : page.index("</section>", start)]


def test_with_nobody_in_residence_the_most_recent_writer_is_shown_as_such(client):
    WriterFactory(
        name="Jiao Guobiao",
        residency_start=datetime.date(2008, 3, 1),
        residency_end=datetime.date(2009, 9, 30),
    )
    WriterFactory(
        name="Amira Haddad",
        residency_start=datetime.date(2023, 1, 1),
        residency_end=datetime.date(2024, 12, 31),
    )
    WriterFactory(name="Soon Arriving", residency_start=datetime.date(2099, 1, 1))
    section = writer_section(client)
    assert "Our most recent writer in residence" in section
    assert "Amira Haddad" in section
    assert "Jiao Guobiao" not in section
    assert "Soon Arriving" not in section


def test_a_writer_in_residence_today_is_the_writer_in_residence(client):
    WriterFactory(
        name="Amira Haddad",
        residency_start=datetime.date(2023, 1, 1),
        residency_end=datetime.date(2024, 12, 31),
    )
    WriterFactory(name="Here Now", residency_start=datetime.date(2025, 1, 1))
    section = writer_section(client)
    assert ">Writer in residence</h2>" in section
    assert "Here Now" in section
    assert "Amira Haddad" not in section
