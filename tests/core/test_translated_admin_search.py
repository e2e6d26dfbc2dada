"""The admin's list search finds staff-edited text in every language (last review of
issue 16: it looked in English only)."""

import pytest

from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_an_arabic_title_finds_its_event(admin_client):
    EventFactory(title="Poetry evening", title_ar="أمسية شعرية")
    EventFactory(title="Quince tasting")
    page = admin_client.get("/admin/events/event/", {"q": "أمسية"}).content.decode()
    assert "Poetry evening" in page
    assert "Quince tasting" not in page


def test_a_persian_summary_finds_its_strand(admin_client):
    from tests.programme.factories import StrandFactory

    StrandFactory(title="Shahrazad", summary_fa="داستان‌های شبانه")
    page = admin_client.get("/admin/programme/strand/", {"q": "داستان"}).content.decode()
    assert "Shahrazad" in page
