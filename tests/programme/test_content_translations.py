"""Staff-edited programme text in Arabic and Persian, English the fallback (issue 16, layer 3)."""

import re

import pytest
from django.utils import translation

from programme.models import HomePage, Strand
from tests.admin_forms import post_back
from tests.programme.factories import PageFactory, ProjectFactory, StrandFactory, WriterFactory

pytestmark = pytest.mark.django_db

NOTE_AR = "لم يُترجَم بعد — معروض بالإنجليزية"
NOTE_FA = "هنوز ترجمه نشده — به انگلیسی نمایش داده می‌شود"
NOTE_EN = "Not yet translated — shown in English"


def translated_strand(**extra) -> Strand:
    return StrandFactory(
        title="Festival of stories",
        slug="festival",
        summary="Stories told aloud.",
        title_ar="مهرجان الحكايات",
        summary_ar="حكايات تُروى بصوت عال.",
        body_ar="<p>قصة المهرجان.</p>",
        **extra,
    )


def heading(content: str) -> str:
    return re.search(r"<h1[^>]*>.*?</h1>", content, re.S).group(0)


def test_an_untranslated_strand_in_arabic_is_english_marked_as_english_with_one_note(client):
    StrandFactory(title="Community Programme", slug="community", summary="Since 2006.")
    content = client.get("/ar/programme/community/").content.decode()
    assert heading(content) == '<h1 lang="en" dir="ltr">Community Programme</h1>'
    assert '<p class="lead" lang="en" dir="ltr">Since 2006.</p>' in content
    assert '<div class="prose" lang="en" dir="ltr">' in content
    assert content.count(NOTE_AR) == 1
    assert NOTE_EN not in content


def test_a_translated_strand_carries_no_note_and_no_english_marks(client):
    translated_strand()
    content = client.get("/ar/programme/festival/").content.decode()
    assert heading(content) == "<h1>مهرجان الحكايات</h1>"
    assert "<p>قصة المهرجان.</p>" in content
    assert NOTE_AR not in content
    assert 'lang="en"' not in content.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_half_translated_strand_marks_only_the_english_field(client):
    StrandFactory(title="Festival", slug="festival", summary="In English.", title_fa="جشنواره")
    content = client.get("/fa/programme/festival/").content.decode()
    assert heading(content) == "<h1>جشنواره</h1>"
    assert '<p class="lead" lang="en" dir="ltr">In English.</p>' in content
    assert content.count(NOTE_FA) == 1


def test_english_pages_never_show_a_translation_or_the_note(client):
    translated_strand()
    content = client.get("/programme/festival/").content.decode()
    assert "Festival of stories" in content
    assert "مهرجان" not in content
    assert NOTE_EN not in content
    assert "<h1>Festival of stories</h1>" in content


def test_lists_cards_and_the_home_page_mark_each_card(client, demo_content):
    translated_strand()
    listing = client.get("/ar/programme/").content.decode()
    assert "مهرجان الحكايات" in listing
    # The demo's other strands are English only: each card says so once.
    assert listing.count(NOTE_AR) == Strand.objects.filter(title_ar__isnull=True).count()
    home = client.get("/ar/").content.decode()
    assert HomePage.objects.get().heading_ar in home  # the demo's draft translation
    assert '<h2 id="volunteer-heading" lang="en" dir="ltr">Get involved</h2>' in home


def test_projects_pages_and_biographies_fall_back_too(client):
    strand = translated_strand()
    ProjectFactory(strand=strand, slug="letters", title="Letters", title_ar="رسائل")
    PageFactory(slug="about", title="About us")
    WriterFactory(
        slug="a-writer", biography="<p>Born by the sea.</p>", biography_fa="<p>زاده کنار دریا.</p>"
    )
    project = client.get("/ar/programme/festival/letters/").content.decode()
    assert heading(project) == "<h1>رسائل</h1>"
    assert project.count(NOTE_AR) == 1  # its summary is English
    about = client.get("/ar/about/").content.decode()
    assert heading(about) == '<h1 lang="en" dir="ltr">About us</h1>'
    writer = client.get("/fa/writers/a-writer/").content.decode()
    assert "<p>زاده کنار دریا.</p>" in writer
    assert 'lang="en" dir="ltr">Born by the sea.' not in writer


def test_staff_translate_a_strand_in_admin_and_it_survives_a_second_save(admin_client):
    strand = StrandFactory(title="Shahrazad", slug="shahrazad")
    url = f"/admin/programme/strand/{strand.pk}/change/"
    form = admin_client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="title_ar"[^>]*>', form)
    title_ar_input = re.search(r'<input[^>]*name="title_ar"[^>]*>', form).group(0)
    assert 'dir="rtl"' in title_ar_input
    assert 'lang="ar"' in title_ar_input
    assert "Arabic — العربيّة" in form  # Django's own name for it, with its shadda
    assert "Persian — فارسی" in form
    changes = {
        "title_ar": "شهرزاد",
        "summary_ar": "حكايات للحياة.",
        "body_ar": '<p onclick="x()">قصص<script>alert(1)</script></p>',
    }
    response = post_back(admin_client, url, changes, form_id="strand_form")
    assert response.status_code == 302, response.content.decode()[:3000]
    response = post_back(admin_client, url, form_id="strand_form")  # saved again untouched
    assert response.status_code == 302
    strand.refresh_from_db()
    assert (strand.title_en, strand.title_ar, strand.summary_ar) == (
        "Shahrazad",
        "شهرزاد",
        "حكايات للحياة.",
    )
    assert strand.body_ar == "<p>قصص</p>"  # sanitised like the English
    assert strand.title_fa in (None, "")
    assert strand.history.first().title_ar == "شهرزاد"  # history keeps every language
    with translation.override("ar"):
        assert str(Strand.objects.get(pk=strand.pk)) == "شهرزاد"


def test_an_emptied_translation_falls_back_to_english(admin_client, client):
    strand = translated_strand()
    url = f"/admin/programme/strand/{strand.pk}/change/"
    response = post_back(
        admin_client, url, {"title_ar": "", "body_ar": "<p></p>"}, form_id="strand_form"
    )
    assert response.status_code == 302
    content = client.get("/ar/programme/festival/").content.decode()
    assert heading(content) == '<h1 lang="en" dir="ltr">Festival of stories</h1>'
    assert content.count(NOTE_AR) == 1


def test_arabic_search_finds_the_translated_strand_by_an_arabic_word(client):
    translated_strand()
    StrandFactory(title="Another strand", slug="another")
    content = client.get("/ar/search/", {"q": "الحكايات"}).content.decode()
    assert "مهرجان الحكايات" in content
    assert "Another strand" not in content
    # Stemmed as Arabic: the word without its article finds it too.
    assert "مهرجان الحكايات" in client.get("/ar/search/", {"q": "حكايات"}).content.decode()
    # English visitors still find it by its English words, under its English title.
    english = client.get("/search/", {"q": "stories"}).content.decode()
    assert "Festival of stories" in english
    assert "مهرجان" not in english


def test_persian_search_finds_a_persian_word(client):
    StrandFactory(title="Festival", slug="festival", title_fa="جشنواره داستان")
    content = client.get("/fa/search/", {"q": "جشنواره"}).content.decode()
    assert "جشنواره داستان" in content


@pytest.mark.usefixtures("page_cache")
def test_caches_never_cross_languages_after_staff_edit_a_translation(client):
    strand = translated_strand()
    english = client.get("/programme/festival/").content.decode()
    arabic = client.get("/ar/programme/festival/").content.decode()
    assert "مهرجان الحكايات" in arabic
    assert "مهرجان" not in english
    strand.title_ar = "مهرجان القصص"
    strand.save()
    arabic = client.get("/ar/programme/festival/").content.decode()
    english = client.get("/programme/festival/").content.decode()
    assert "مهرجان القصص" in arabic
    assert "مهرجان القصص" not in english
    assert "Festival of stories" in english
    assert client.get("/ar/programme/").content.decode().count("مهرجان القصص") == 1


@pytest.fixture
def page_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "translations-tests",
        }
    }
    settings.PAGE_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()
