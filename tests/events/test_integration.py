"""Events inside the rest of the portal: site search, images, audit history."""

import json
import re

import pytest

from core.search import search
from events.models import Event
from tests.events.factories import EventFactory, soon
from tests.programme.images import phone_photo

pytestmark = pytest.mark.django_db


def test_search_finds_published_and_cancelled_events_but_never_drafts():
    EventFactory(title="Lantern reading", status="published")
    EventFactory(title="Lantern workshop", status="cancelled", cancellation_reason="Ill")
    EventFactory(title="Lantern draft", status="draft")
    page, _ = search("lantern")
    titles = {result.title for result in page.object_list}
    assert titles == {"Lantern reading", "Lantern workshop"}
    assert all(result.kind == "Event" for result in page.object_list)
    assert page.object_list[0].url.startswith("/events/")


def test_event_search_query_count_is_flat(client, django_assert_max_num_queries):
    EventFactory(title="Harbour poems")
    with django_assert_max_num_queries(5):
        client.get("/search/", {"q": "harbour"})
    for number in range(40):
        EventFactory(title=f"Harbour evening {number}", start=soon(days=number + 1))
    with django_assert_max_num_queries(5):
        content = client.get("/search/", {"q": "harbour"}).content.decode()
    assert "41 results" in content


def test_an_event_image_is_stripped_and_offered_to_pages_and_search_engines(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(
        title="Film poems", image=phone_photo(1600, 1200), image_alt="A projector in the dark"
    )
    stored = (tmp_path / event.image.name).read_bytes()
    assert b"Exif" not in stored
    content = client.get(event.get_absolute_url()).content.decode()
    assert 'alt="A projector in the dark"' in content
    blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    data = json.loads(blob.group(1))
    assert data["image"][0].startswith("http://testserver/media/events/")
    assert data["image"][0].endswith(".1200w.jpg")  # the photo was turned upright


def test_event_changes_are_in_the_audit_history(admin_client, admin_user):
    event = EventFactory(title="Before")
    event.title = "After"
    event.save()
    assert [record.title for record in Event.history.filter(id=event.pk)] == ["After", "Before"]
    page = admin_client.get(f"/admin/events/event/{event.pk}/history/").content.decode()
    assert "After" in page


def test_the_event_form_uses_the_rich_text_editor(admin_client):
    content = admin_client.get("/admin/events/event/add/").content.decode()
    assert "data-django-prose-editor-configurable" in content
    assert 'name="image_alt"' in content
