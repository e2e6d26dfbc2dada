"""Events in Arabic and Persian: translated words, English fallback marked and noted
(issue 16, layer 3)."""

import json
import re

import pytest
from django.utils import timezone

from tests.admin_forms import post_back
from tests.events.factories import EventFactory, soon

pytestmark = pytest.mark.django_db

NOTE_AR = "لم يُترجَم بعد — معروض بالإنجليزية"


def translated_event(**extra):
    return EventFactory(
        title="Poetry night",
        slug="poetry-night",
        summary="Poems read aloud.",
        title_ar="أمسية شعرية",
        summary_ar="قصائد تُقرأ بصوت عال.",
        start=soon(3),
        end=soon(3) + timezone.timedelta(hours=2),
        **extra,
    )


def test_an_event_page_in_arabic_shows_its_translation_and_notes_the_english_body(client):
    event = translated_event(body="<p>Bring a poem.</p>")
    url = event.get_absolute_url()  # before a request in Arabic leaves Arabic active
    content = client.get(f"/ar{url}").content.decode()
    assert "<h1>أمسية شعرية</h1>" in content
    assert '<p class="lead">قصائد تُقرأ بصوت عال.</p>' in content
    assert '<div class="prose" lang="en" dir="ltr"><p>Bring a poem.</p></div>' in content
    assert content.count(NOTE_AR) == 1
    english = client.get(url).content.decode()
    assert "<h1>Poetry night</h1>" in english
    assert "أمسية" not in english


def test_cards_in_the_list_month_and_day_mark_english_titles(client):
    translated_event()
    EventFactory(title="Library morning", start=soon(3), end=soon(3) + timezone.timedelta(hours=1))
    listing = client.get("/ar/events/").content.decode()
    assert "أمسية شعرية" in listing
    assert '<span lang="en" dir="ltr">Library morning</span>' in listing
    assert listing.count(NOTE_AR) == 1  # the untranslated card only
    day = soon(3)
    month = client.get(f"/ar/events/calendar/{day.year}/{day.month}/").content.decode()
    assert "أمسية شعرية" in month
    assert '<span lang="en" dir="ltr">Library morning</span>' in month


def test_json_ld_names_the_event_in_the_pages_language_when_translated(client):
    event = translated_event()
    content = client.get(f"/ar{event.get_absolute_url()}").content.decode()
    ld = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content, re.S)
    assert ld
    data = json.loads(ld.group(1))
    assert "أمسية شعرية" in json.dumps(data, ensure_ascii=False)


def test_staff_translate_an_event_in_admin_twice_with_the_repeat_editor(admin_client):
    event = EventFactory(title="Workshop", slug="workshop")
    url = f"/admin/events/event/{event.pk}/change/"
    form = admin_client.get(url).content.decode()
    title_ar = re.search(r'<input[^>]*name="title_ar"[^>]*>', form).group(0)
    assert 'dir="rtl"' in title_ar
    assert 'name="repeats"' in form  # the repeat editor is still there
    response = post_back(admin_client, url, {"title_ar": "ورشة"}, form_id="event_form")
    assert response.status_code == 302, response.content.decode()[:2000]
    response = post_back(admin_client, url, {"summary_fa": "کارگاه"}, form_id="event_form")
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_en, event.title_ar, event.summary_fa) == ("Workshop", "ورشة", "کارگاه")
    assert event.occurrences.count() == 1


def test_arabic_search_finds_the_translated_event(client):
    translated_event()
    content = client.get("/ar/search/", {"q": "شعرية"}).content.decode()
    assert "أمسية شعرية" in content


@pytest.mark.parametrize("size", [2, 20])
def test_arabic_event_pages_keep_their_query_budget(client, django_assert_max_num_queries, size):
    for i in range(size):
        EventFactory(
            title=f"Reading {i}",
            title_ar=f"قراءة {i}" if i % 2 else None,
            start=soon(i % 10 + 1),
            end=soon(i % 10 + 1) + timezone.timedelta(hours=1),
        )
    event = translated_event()
    day = soon(3)
    for url in [
        "/ar/events/",
        "/fa/events/",
        f"/ar/events/calendar/{day.year}/{day.month}/",
        f"/ar/events/calendar/{day.year}/{day.month}/{day.day}/",
        f"/ar{event.get_absolute_url()}",
        "/ar/events/rss/",
        "/ar/",
    ]:
        with django_assert_max_num_queries(8, info=url):
            assert client.get(url).status_code == 200
