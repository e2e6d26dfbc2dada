"""The interface in English, Arabic and Persian (issue 16, layer 2).

English is unprefixed, Arabic at /ar/…, Persian at /fa/…; the address alone names the
language, so no cache (pages, fragments, documents) can serve one language's answer for
another's address. The catalogues are compiled by `make` (locale/*.po → .mo).
"""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core.caching import fragments
from core.templatetags.portal import in_section, language_tag, top_section
from tests.volunteers.conftest import old_ticket

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture(autouse=True)
def _language_left_behind():
    """The test client runs in this thread, and the language middleware leaves a request's
    language active after it (as Django's does): no later test may inherit Arabic."""
    yield
    translation.deactivate()


@pytest.fixture
def caches_on(settings):
    """The page cache and the fragments on, over private in-memory caches."""
    settings.CACHES = {
        "default": {"BACKEND": LOCMEM, "LOCATION": "i18n-tests-default"},
        "fragments": {"BACKEND": LOCMEM, "LOCATION": "i18n-tests-fragments"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300
    caches["default"].clear()
    caches["fragments"].clear()
    yield
    caches["default"].clear()
    caches["fragments"].clear()


@pytest.fixture
def volunteer_form(db, settings):
    """Generous limits, two roles, and a complete application as the browser posts it."""
    from tests.volunteers.factories import VolunteerRoleFactory

    settings.REDIS_URL = ""
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 1000, "MIN_FILL_SECONDS": 3}
    role = VolunteerRoleFactory(title="Event steward", slug="test-event-steward")
    return {
        "name": "Amira Haddad",
        "email": "amira@example.org",
        "area": "NR2 4AB",
        "roles": [str(role.pk)],
        "availability": ["weekends"],
        "dbs_check": "no",
        "is_adult": "on",
        "consent": "on",
        "website": "",
        "ticket": old_ticket(),
    }


def html_of(response) -> str:
    return response.content.decode()


def html_tag(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en-gb", "/events/"), ("ar", "/ar/events/"), ("fa", "/fa/events/")],
)
def test_visitor_addresses_carry_the_language_english_none(language, expected):
    with translation.override(language):
        assert reverse("events:list") == expected
        assert reverse("home") == expected.removesuffix("events/")
        assert reverse("volunteers:apply").startswith(expected.removesuffix("events/"))


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_admin_and_machine_documents_stay_unprefixed(language):
    with translation.override(language):
        assert reverse("admin:index") == "/admin/"
        assert reverse("sitemap") == "/sitemap.xml"
        assert reverse("robots") == "/robots.txt"
        assert reverse("healthz") == "/healthz"


@pytest.mark.django_db
def test_unprefixed_is_english_whatever_the_browser_asks(client, demo_content):
    response = client.get("/events/", headers={"accept-language": "ar,fa;q=0.9"})
    client.cookies["django_language"] = "ar"
    again = client.get("/events/", headers={"accept-language": "ar"})
    for answer in (response, again):
        assert answer.status_code == 200
        assert 'lang="en-GB" dir="ltr"' in html_tag(html_of(answer))
        assert answer["Content-Language"] == "en-gb"
        # The language never comes from the header, so no cache need vary by it.
        assert "Accept-Language" not in answer.get("Vary", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "lang", "direction", "heading"),
    [
        ("/ar/events/", "ar", "rtl", "الفعاليات القادمة"),
        ("/fa/events/", "fa", "rtl", "رویدادهای پیش رو"),
        ("/events/", "en-GB", "ltr", "Upcoming events"),
    ],
)
def test_pages_in_each_language_say_lang_and_dir(
    client, demo_content, path, lang, direction, heading
):
    response = client.get(path)
    html = html_of(response)
    assert response.status_code == 200
    assert f'lang="{lang}" dir="{direction}"' in html_tag(html)
    assert response["Content-Language"] == lang.lower()
    assert heading in html
    stylesheet = "bootstrap.rtl.min.css" if direction == "rtl" else "bootstrap.min.css"
    assert f"vendor/bootstrap/{stylesheet}" in html
    assert ("bootstrap.rtl.min.css" in html) == (direction == "rtl")


@pytest.mark.django_db
def test_no_redirect_is_chosen_by_accept_language(client, demo_content):
    """Were one ever added, it would have to say Vary: Accept-Language."""
    for path in ("/", "/events/", "/no-such-page/"):
        response = client.get(path, headers={"accept-language": "fa"})
        assert response.status_code in (200, 404)
        assert "Location" not in response


# ---------------------------------------------------------------- the switcher and alternates


def switcher(html: str) -> str:
    return re.search(r'<nav class="site-languages".*?</nav>', html, re.DOTALL).group(0)


@pytest.mark.django_db
def test_switcher_links_to_this_page_in_the_other_languages(client, demo_content):
    html = html_of(client.get("/events/past/"))
    links = switcher(html)
    assert 'href="/ar/events/past/" lang="ar" hreflang="ar">العربية</a>' in links
    assert 'href="/fa/events/past/" lang="fa" hreflang="fa">فارسی</a>' in links
    assert "English" not in links  # the language being read is not offered
    arabic = switcher(html_of(client.get("/ar/events/past/")))
    assert 'href="/events/past/" lang="en-GB" hreflang="en-GB">English</a>' in arabic
    assert 'href="/fa/events/past/" lang="fa" hreflang="fa">فارسی</a>' in arabic
    assert "العربية" not in arabic


@pytest.mark.django_db
def test_switcher_keeps_the_query_and_the_page(client, demo_content):
    today = timezone.localdate()
    path = f"/events/calendar/{today.year}/{today.month}/"
    links = switcher(html_of(client.get(f"/fa{path}")))
    assert f'href="{path}"' in links
    assert f'href="/ar{path}"' in links
    links = switcher(html_of(client.get("/ar/search/?q=refuge")))
    assert 'href="/search/?q=refuge"' in links


@pytest.mark.django_db
def test_head_lists_every_language_and_x_default(client, demo_content):
    html = html_of(client.get("/ar/volunteer/"))
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    assert alternates == [
        ("en-GB", "http://testserver/volunteer/"),
        ("x-default", "http://testserver/volunteer/"),
        ("ar", "http://testserver/ar/volunteer/"),
        ("fa", "http://testserver/fa/volunteer/"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "locale", "alternates"),
    [
        ("/", "en_GB", ["ar_AR", "fa_IR"]),
        ("/ar/", "ar_AR", ["en_GB", "fa_IR"]),
        ("/fa/", "fa_IR", ["en_GB", "ar_AR"]),
    ],
)
def test_open_graph_locale_per_language(client, demo_content, path, locale, alternates):
    html = html_of(client.get(path))
    assert re.findall(r'<meta property="og:locale" content="([^"]+)">', html) == [locale]
    found = re.findall(r'<meta property="og:locale:alternate" content="([^"]+)">', html)
    assert found == alternates


@pytest.mark.django_db
def test_navigation_marks_the_section_in_every_language(client, demo_content):
    html = html_of(client.get("/ar/events/past/"))
    assert '<a class="nav-link active" aria-current="page" href="/ar/events/">الفعاليات</a>' in html
    assert '<a class="nav-link" href="/ar/">الرئيسية</a>' in html
    home = html_of(client.get("/fa/"))
    assert 'aria-current="page" href="/fa/"' in home


def test_navigation_filters_know_language_prefixes():
    assert top_section("/ar/events/past/") == "/ar/events/"
    assert top_section("/events/past/") == "/events/"
    assert top_section("/ar/") == "/ar/"
    assert top_section("/") == "/"
    assert in_section("/ar/", "/ar/")
    assert not in_section("/ar/events/", "/ar/")
    assert in_section("/ar/events/past/", "/ar/events/")
    assert not in_section("/arabic-poetry/", "/ar/")
    assert language_tag("en-gb") == "en-GB"
    assert language_tag("fa") == "fa"


# ---------------------------------------------------------------- dates


@pytest.mark.django_db
def test_dates_in_the_language_british_unchanged(client, demo_content):
    path = "/events/calendar/2027/3/"
    assert "Events in March 2027" in html_of(client.get(path))
    assert "الفعاليات في مارس 2027" in html_of(client.get(f"/ar{path}"))
    assert "رویدادهای مارس 2027" in html_of(client.get(f"/fa{path}"))


def test_named_formats_per_language():
    from django.utils.formats import date_format

    moment = timezone.make_aware(timezone.datetime(2027, 3, 5, 14, 30))
    with translation.override("en-gb"):
        assert date_format(moment, "DATE_FORMAT") == "5 March 2027"
        assert date_format(moment, "TIME_FORMAT") == "14:30"
        assert date_format(moment, "YEAR_MONTH_FORMAT") == "March 2027"
    with translation.override("ar"):
        assert date_format(moment, "DATE_FORMAT") == "5 مارس 2027"
        assert date_format(moment, "TIME_FORMAT") == "14:30"
    with translation.override("fa"):
        assert date_format(moment, "YEAR_MONTH_FORMAT") == "مارس 2027"


# ---------------------------------------------------------------- no cache crosses languages


@pytest.mark.django_db
@pytest.mark.usefixtures("caches_on")
def test_page_cache_never_serves_one_language_for_another(demo_content):
    visitor = Client()
    english = visitor.get("/events/")
    assert "Upcoming events" in html_of(english)
    arabic = visitor.get("/ar/events/")
    assert "الفعاليات القادمة" in html_of(arabic)
    assert "Upcoming events" not in html_of(arabic)
    # Both kept now: each address answers its own language, whatever the browser says.
    again = visitor.get("/events/", headers={"accept-language": "ar"})
    assert html_of(again) == html_of(english)
    assert again["Content-Language"] == "en-gb"
    kept_arabic = visitor.get("/ar/events/", headers={"accept-language": "en"})
    assert html_of(kept_arabic) == html_of(arabic)
    assert kept_arabic["Content-Language"] == "ar"
    keys = list(caches["default"]._cache)
    assert any(":page:ar:" in key for key in keys)
    assert any(":page:en-gb:" in key for key in keys)


@pytest.mark.django_db
@pytest.mark.usefixtures("caches_on")
def test_arabic_kept_first_is_not_served_in_english(demo_content):
    visitor = Client()
    arabic = html_of(visitor.get("/fa/"))
    english = html_of(visitor.get("/"))
    assert 'lang="fa"' in html_tag(arabic)
    assert 'lang="en-GB"' in html_tag(english)
    assert "رفتن به محتوای اصلی" in arabic
    assert "Skip to main content" in english


@pytest.mark.django_db
@pytest.mark.usefixtures("caches_on")
def test_header_and_footer_fragments_are_kept_per_language(settings, demo_content):
    """Visitors with a cookie miss the page cache: their pages are put together from
    kept fragments (the header's navigation, the footer), which must carry the language."""
    settings.PAGE_CACHE_SECONDS = 0
    visitor = Client()
    visitor.cookies["csrftoken"] = "x" * 32
    english = html_of(visitor.get("/writers/"))
    arabic = html_of(visitor.get("/ar/writers/"))
    persian = html_of(visitor.get("/fa/writers/"))
    assert 'href="/events/">Events</a>' in english
    assert 'href="/ar/events/">الفعاليات</a>' in arabic
    assert 'href="/fa/events/">رویدادها</a>' in persian
    assert "Accessibility statement" in english
    assert "بيان إمكانية الوصول" in arabic
    assert "بیانیهٔ دسترس‌پذیری" in persian
    # Kept, and read back the second time, still per language.
    assert html_of(visitor.get("/ar/writers/")) == arabic
    assert html_of(visitor.get("/writers/")) == english
    kept = [key for key in caches["fragments"]._cache if ":footer:" in key]
    assert {key.split(":")[-3] for key in kept} >= {"en-gb", "ar", "fa"}


def test_fragment_and_document_keys_carry_the_language(rf):
    request = rf.get("/events/")
    with translation.override("ar"):
        arabic = fragments.fragment_key(request, "g1", "header", ["/events/"])
    with translation.override("en-gb"):
        english = fragments.fragment_key(request, "g1", "header", ["/events/"])
    assert arabic != english
    assert ":ar:" in arabic


@pytest.mark.django_db
@pytest.mark.usefixtures("caches_on")
def test_feed_etags_differ_by_language(demo_content):
    visitor = Client()
    english = visitor.get("/events/feed.ics")
    arabic = visitor.get("/ar/events/feed.ics")
    assert english.status_code == arabic.status_code == 200
    assert english["ETag"] != arabic["ETag"]
    # An English ETag is no 304 for the Arabic address.
    stale = visitor.get("/ar/events/feed.ics", headers={"if-none-match": english["ETag"]})
    assert stale.status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("caches_on")
def test_staff_preview_is_in_the_address_language_and_never_kept(client, admin_client):
    from events.models import EventStatus
    from tests.events.factories import EventFactory

    event = EventFactory(status=EventStatus.DRAFT)
    english_url = event.get_absolute_url()
    with translation.override("ar"):
        arabic_url = event.get_absolute_url()
    assert arabic_url == f"/ar{english_url}"
    preview = html_of(admin_client.get(arabic_url))
    assert "معاينة: هذا غير منشور، لذا لا يراه إلا الموظفون." in preview
    assert "Preview: this is not published" in html_of(admin_client.get(english_url))
    assert client.get(arabic_url).status_code == 404  # nothing of the preview was kept
    assert not [key for key in caches["fragments"]._cache if event.slug in key]


# ---------------------------------------------------------------- errors and forms


@pytest.mark.django_db
def test_not_found_in_arabic(client, demo_content):
    response = client.get("/ar/no-such-page/")
    html = html_of(response)
    assert response.status_code == 404
    assert 'lang="ar" dir="rtl"' in html_tag(html)
    assert "لا نجد تلك الصفحة" in html
    # No page here, so the switcher offers each language's home page, and no alternates.
    assert 'href="/" lang="en-GB"' in switcher(html)
    assert 'href="/fa/" lang="fa"' in switcher(html)
    assert 'rel="alternate" hreflang' not in html


@pytest.mark.usefixtures("volunteer_form")
def test_volunteer_form_in_arabic_with_errors(client):
    form = html_of(client.get("/ar/volunteer/apply/"))
    assert 'lang="ar" dir="rtl"' in html_tag(form)
    assert "ما الأدوار التي تهمك؟" in form
    response = client.post(
        "/ar/volunteer/apply/",
        {"name": "", "email": "not-an-address", "website": "", "ticket": old_ticket()},
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "أدخل اسمك." in html
    assert "أدخل عنوان بريد إلكتروني مثل name@example.com." in html
    assert "اختر دورًا واحدًا على الأقل يهمك." in html
    assert "Enter your name." not in html


def test_volunteer_form_in_arabic_redirects_within_arabic(
    client, volunteer_form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ar/volunteer/apply/", volunteer_form)
    assert response.status_code == 302
    assert response["Location"] == "/ar/volunteer/thanks/"


def test_volunteer_emails_speak_arabic_to_the_volunteer_and_english_to_staff(
    client, volunteer_form, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "COORDINATOR_EMAILS": ["coord@example.org"]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ar/volunteer/apply/", volunteer_form)
    confirmation = mailoutbox[0]
    assert "يُرجى تأكيد عنوان بريدك الإلكتروني" in confirmation.body
    confirm_url = re.search(r"http://testserver(/ar/volunteer/confirm/[^/\s]+/)", confirmation.body)
    assert confirm_url, confirmation.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url.group(1))
    notification = mailoutbox[-1]
    assert notification.to == ["coord@example.org"]
    assert "has been confirmed and is waiting for you" in notification.body


# ---------------------------------------------------------------- the catalogues


@pytest.mark.parametrize(
    ("language", "english", "translated"),
    [
        ("ar", "Skip to main content", "انتقل إلى المحتوى الرئيسي"),
        ("fa", "Skip to main content", "رفتن به محتوای اصلی"),
        ("en-gb", "Skip to main content", "Skip to main content"),
    ],
)
def test_catalogues_are_compiled(language, english, translated):
    with translation.override(language):
        assert translation.gettext(english) == translated


def test_arabic_plurals_have_six_forms():
    with translation.override("ar"):
        forms = {
            n: translation.ngettext("%(counter)s upcoming date", "%(counter)s upcoming dates", n)
            % {"counter": n}
            for n in (0, 1, 2, 3, 11, 100)
        }
    assert forms[1] == "موعد قادم واحد (1)"
    assert forms[2] == "موعدان قادمان (2)"
    assert forms[3] == "3 مواعيد قادمة"
    assert forms[11] == "11 موعدًا قادمًا"
    assert forms[100] == "100 موعد قادم"


# ---------------------------------------------------------------- the sitemap


@pytest.mark.django_db
def test_sitemap_lists_the_site_pages_per_language_with_alternates(client, demo_content):
    body = client.get("/sitemap.xml").content.decode()
    for address in ("/", "/ar/", "/fa/", "/events/", "/ar/events/", "/fa/volunteer/"):
        assert f"<loc>http://testserver{address}</loc>" in body, address
    assert '<xhtml:link rel="alternate" hreflang="ar" href="http://testserver/ar/events/"/>' in body
    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver/events/"/>'
        in body
    )
