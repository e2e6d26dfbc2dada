"""Writings in the original language beside their translations: pages, safety on every
surface, search, sitemap, feed (issue 16, layer 1)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from programme.models import Writing
from tests.programme.factories import (
    WriterFactory,
    WritingFactory,
    WritingVersionFactory,
    writing_with_translation,
)

pytestmark = pytest.mark.django_db

UNSAFE_STATES = {
    "hidden": {"visibility": "hidden"},
    "no consent": {"consent_recorded_on": None},
    "consent withdrawn": {"consent_withdrawn_on": datetime.date(2026, 3, 1)},
    "unlisted": {"visibility": "unlisted"},
}
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def page(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200, url
    return response.content.decode()


# ---------------------------------------------------------------- the writing's page


def test_the_original_and_its_translation_each_run_in_their_own_direction(client):
    writing = writing_with_translation(slug="window", title="Window")
    content = page(client, "/writings/window/")
    assert '<html lang="en-GB" dir="ltr">' in content
    assert '<div class="writing-version__text" lang="fa" dir="rtl">' in content
    assert '<div class="writing-version__text" lang="en" dir="ltr">' in content
    assert content.index('lang="fa" dir="rtl"') < content.index('lang="en" dir="ltr"')
    assert "writing-versions--pair" in content
    # Line breaks kept: one stanza a paragraph, one line a <br>.
    assert "<p>I have no window facing the sea,<br>but every morning</p>" in content
    assert "Translated from Persian by Sam Example, with Roya Example" in content
    assert "css/writings.css" in content
    assert f'href="{writing.writer.get_absolute_url()}"' in content


def test_read_in_switches_between_versions_without_javascript(client):
    writing = writing_with_translation(slug="window")
    WritingVersionFactory(
        writing=writing, language="ar", is_original=False, title="نافذة", text="ليس لدي نافذة",
        translator="Layla Example", rights_note="Translation © Layla Example.",
    )  # fmt: skip
    content = page(client, "/writings/window/")
    # English is beside the original by default; Arabic is one link away.
    assert 'id="version-en"' in content
    assert 'id="version-ar"' not in content
    assert 'href="/writings/window/?with=ar#version-ar" hreflang="ar"' in content
    assert '<span lang="ar" dir="rtl">العربيّة</span>' in content
    arabic = page(client, "/writings/window/", **{"with": "ar"})
    assert 'id="version-ar"' in arabic
    assert 'id="version-en"' not in arabic
    assert '<div class="writing-version__text" lang="ar" dir="rtl">' in arabic
    assert "Translation © Layla Example." in arabic
    assert 'href="/writings/window/?with=ar#version-ar" hreflang="ar" aria-current="true"' in arabic
    # An unknown language falls back to the default pair.
    assert 'id="version-en"' in page(client, "/writings/window/", **{"with": "xx"})


def test_a_draft_translation_stays_off_the_public_page_and_the_switch():
    writing = writing_with_translation(slug="window")
    WritingVersionFactory(writing=writing, language="ar", is_original=False, status="draft")
    content = page(Client(), "/writings/window/")
    assert "version-ar" not in content


def test_drafts_are_404_to_the_public_and_a_preview_for_staff(client, admin_client):
    writing = writing_with_translation(slug="draft", status="draft")
    assert client.get("/writings/draft/").status_code == 404
    preview = page(admin_client, "/writings/draft/")
    assert "Preview: this writing is not public" in preview
    assert 'content="noindex, nofollow"' in preview
    assert writing.title in preview


def test_staff_who_may_not_change_writings_get_what_the_public_gets(client, django_user_model):
    writing_with_translation(slug="draft", status="draft")
    user = django_user_model.objects.create_user(
        "volunteers", password="pw-12345678", is_staff=True
    )
    client.force_login(user)
    assert client.get("/writings/draft/").status_code == 404


@pytest.mark.parametrize("state", UNSAFE_STATES, ids=UNSAFE_STATES.keys())
def test_a_writers_visibility_and_consent_rule_their_writings_on_every_surface(
    client, demo_content, state
):
    writer = WriterFactory(name="Zephyrine Quillfeather", slug="zephyrine", **UNSAFE_STATES[state])
    writing_with_translation(writer=writer, slug="zephyr-poem", title="Zephyr poem")
    WritingVersionFactory(writing__writer=writer, writing__slug="zephyr-2", title="Quillsong")
    for url in ["/", "/writers/", "/writings/", "/sitemap.xml", "/writings/rss/"]:
        content = client.get(url).content.decode()
        assert "zephyr" not in content.lower(), url
        assert "Quillsong" not in content, url
    # The page repeats its own address (og:url): look at what it lists.
    filtered = client.get("/writings/", {"writer": "zephyrine"}).content.decode()
    assert "Zephyr poem" not in filtered
    assert 'href="/writings/zephyr' not in filtered
    assert '<option value="zephyrine">' not in filtered
    for word in ["Quillsong", "window", "پنجره"]:
        found = client.get("/search/", {"q": word}).content.decode()
        assert "/writings/zephyr" not in found, word
    detail = client.get("/writings/zephyr-poem/")
    if state == "unlisted":
        # Reachable by link, as the writer's own page is, and never indexed.
        assert detail.status_code == 200
        assert 'content="noindex, nofollow"' in detail.content.decode()
        assert "/writings/zephyr-poem/" in page(client, writer.get_absolute_url())
    else:
        assert detail.status_code == 404


def test_staff_preview_a_hidden_writers_writing(admin_client):
    writer = WriterFactory(visibility="hidden")
    writing_with_translation(writer=writer, slug="hidden-poem")
    content = page(admin_client, "/writings/hidden-poem/")
    assert "Preview: this writing is not public" in content


# ---------------------------------------------------------------- the list and the writer


def test_the_list_shows_each_writing_with_its_versions_in_their_languages(client):
    writing_with_translation(slug="window", title="Window")
    content = page(client, "/writings/")
    assert '<a href="/writings/window/">Window</a>' in content
    assert '<span lang="fa" dir="rtl">پنجره</span>' in content
    assert 'href="/writings/window/?with=en#version-en"' in content
    assert (
        '<link rel="alternate" type="application/rss+xml" title="New writings (RSS)" '
        'href="/writings/rss/">'
    ) in content


def test_the_list_filters_by_writer_and_language(client):
    mina = WriterFactory(name="Mina", slug="mina")
    omar = WriterFactory(name="Omar", slug="omar")
    writing_with_translation(writer=mina, slug="minas-poem", title="Mina’s poem")
    WritingVersionFactory(
        writing__writer=omar, writing__slug="omars-essay", writing__title="Omar’s essay",
        language="ar", title="مقالة",
    )  # fmt: skip
    content = page(client, "/writings/")
    assert '<label class="form-label" for="id_writer">Writer</label>' in content
    assert '<option value="ar">Arabic (العربيّة)</option>' in content
    assert '<option value="fa">Persian (فارسی)</option>' in content
    by_mina = page(client, "/writings/", writer="mina")
    assert "Mina’s poem" in by_mina
    assert "Omar’s essay" not in by_mina
    in_arabic = page(client, "/writings/", language="ar")
    assert "Omar’s essay" in in_arabic
    assert "Mina’s poem" not in in_arabic
    assert "1 writing" in in_arabic
    # An unknown writer is dropped, not fatal.
    everything = page(client, "/writings/", writer="nobody")
    assert "Mina’s poem" in everything
    assert "Omar’s essay" in everything
    none = page(client, "/writings/", writer="mina", language="ar")
    assert "No writings match these filters." in none


def test_the_list_makes_the_same_few_queries_at_any_size(client, django_assert_max_num_queries):
    writing_with_translation()
    with django_assert_max_num_queries(8) as small:
        page(client, "/writings/")
    for _ in range(15):
        writing_with_translation()
    with django_assert_max_num_queries(8) as large:
        page(client, "/writings/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_writer_page_lists_their_published_writings_only(client):
    writer = WriterFactory(slug="mina")
    writing_with_translation(writer=writer, slug="published", title="Published poem")
    writing_with_translation(writer=writer, slug="draft", title="Draft poem", status="draft")
    content = page(client, "/writers/mina/")
    assert '<a href="/writings/published/">Published poem</a>' in content
    assert "(Poem: Persian, English)" in content
    assert "Draft poem" not in content


def test_the_writers_page_links_to_the_writings(client):
    assert 'href="/writings/"' in page(client, "/writers/")


def test_the_demo_has_a_writing_in_two_languages_that_says_it_is_a_demonstration(
    client, demo_content
):
    writing = Writing.objects.listed().get()
    versions = list(writing.versions.all())
    assert len(versions) == 2
    assert {version.direction for version in versions} == {"rtl", "ltr"}
    content = page(client, writing.get_absolute_url())
    assert "demonstration" in content.lower()
    assert "Translated from Persian by" in content


# ---------------------------------------------------------------- search


def test_search_finds_an_arabic_text_by_an_arabic_word_in_another_form(client):
    WritingVersionFactory(
        writing__slug="letters", language="ar", title="رسائل إلى البحر",
        text="كتبت الكتاب في المدينة\nوالبحر بعيد",
    )  # fmt: skip
    # The same word as written…
    assert 'href="/writings/letters/"' in page(client, "/search/", q="الكتاب")
    # …and without its article: the Arabic configuration stems both to one lexeme.
    assert 'href="/writings/letters/"' in page(client, "/search/", q="كتاب")
    assert 'href="/writings/letters/"' not in page(client, "/search/", q="شجرة")


def test_search_finds_each_version_in_its_own_language_and_links_to_it(client):
    writing_with_translation(slug="window")
    WritingVersionFactory(
        writing__slug="dusha", language="ru", title="Окна", text="Я писала письма домой",
    )  # fmt: skip
    english = page(client, "/search/", q="mornings")  # stemmed as English: "morning"
    assert 'href="/writings/window/?with=en#version-en"' in english
    persian = page(client, "/search/", q="پنجره")
    assert 'href="/writings/window/"' in persian
    russian = page(client, "/search/", q="письмо")  # stemmed as Russian: "письм"
    assert 'href="/writings/dusha/"' in russian


def test_search_never_finds_a_draft_writing_or_version(client):
    WritingVersionFactory(writing__status="draft", title="Quillsong")
    WritingVersionFactory(status="draft", title="Featherhymn")
    assert "Nothing matched" in page(client, "/search/", q="Quillsong")
    assert "Nothing matched" in page(client, "/search/", q="Featherhymn")


# ---------------------------------------------------------------- sitemap and feed


def test_the_sitemap_lists_each_version_with_hreflang_alternates(client):
    writing_with_translation(slug="window")
    WritingVersionFactory(writing__slug="alone", language="ckb", title="تەنها")
    response = client.get("/sitemap.xml")
    tree = ET.fromstring(response.content)  # noqa: S314 (our own answer, not untrusted)
    urls = {
        url.find("s:loc", SITEMAP_NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP_NS)
        }
        for url in tree.findall("s:url", SITEMAP_NS)
    }
    base = "http://testserver/writings/window/"
    expected = {"fa": base, "en": f"{base}?with=en", "x-default": base}
    assert urls[base] == expected
    assert urls[f"{base}?with=en"] == expected
    assert urls["http://testserver/writings/alone/"]["ckb"] == "http://testserver/writings/alone/"
    assert "http://testserver/writings/" in urls


def test_the_sitemap_makes_one_query_for_writings_at_any_size(
    client, django_assert_max_num_queries
):
    writing_with_translation()
    with django_assert_max_num_queries(20) as small:
        client.get("/sitemap.xml")
    for _ in range(10):
        writing_with_translation()
    with django_assert_max_num_queries(20) as large:
        client.get("/sitemap.xml")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_rss_feed_lists_new_writings_with_their_languages(client):
    writer = WriterFactory(name="Mina")
    writing_with_translation(writer=writer, slug="window", title="Window")
    response = client.get("/writings/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own answer)
    (item,) = channel.findall("item")
    assert item.find("title").text == "Window, by Mina"
    assert item.find("link").text == "http://testserver/writings/window/"
    assert item.find("description").text == "Poem by Mina. Read it in: Persian, English."


def test_content_editors_may_change_writings_and_so_preview_them():
    group = Group.objects.get(name="Content editor")
    codenames = set(group.permissions.values_list("codename", flat=True))
    for model in ("writing", "writingversion"):
        assert {f"{action}_{model}" for action in ("view", "add", "change", "delete")} <= codenames


def test_the_writing_factory_default_is_a_published_poem():
    assert WritingFactory().kind == "poem"


def test_staff_preview_a_draft_version_marked_as_a_draft(client, admin_client):
    writing = writing_with_translation(slug="window")
    WritingVersionFactory(
        writing=writing, language="ar", is_original=False, status="draft", title="نافذة",
        translator="Layla Example",
    )  # fmt: skip
    preview = page(admin_client, "/writings/window/", **{"with": "ar"})
    assert '<div class="writing-version__text" lang="ar" dir="rtl">' in preview
    assert "Translation, in Arabic · <strong>Draft</strong>" in preview
    assert "version-ar" not in page(client, "/writings/window/", **{"with": "ar"})


def test_a_published_writing_without_a_published_version_is_404(client):
    WritingFactory(slug="empty")
    WritingVersionFactory(writing__slug="all-drafts", status="draft")
    assert client.get("/writings/empty/").status_code == 404
    assert client.get("/writings/all-drafts/").status_code == 404
