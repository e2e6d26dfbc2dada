"""Hostile addresses, methods and bodies: a 404, 405, 400 or 413, never a 500 or a disk filling.

Issue 11, item 7: huge numbers and NUL bytes in a URL, TRACE and its kind, files sent
to forms that take none and bodies of any size.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from tests.conftest import verify_second_factor
from tests.events.factories import EventFactory
from tests.programme.factories import PageFactory, StrandFactory, WriterFactory
from tests.programme.images import not_an_image
from volunteers.models import VolunteerApplication

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # more than a C long: datetime.date overflowed on it


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "address",
    [
        f"/events/calendar/2026/{HUGE}/",
        f"/events/calendar/{HUGE}/1/",
        f"/events/calendar/2026/1/{HUGE}/",
        f"/events/calendar/{HUGE}/{HUGE}/{HUGE}/",
        "/events/calendar/2026/13/",
        "/events/calendar/2026/0/",
        "/events/calendar/2026/2/32/",
        "/events/calendar/2026/2/30/",  # a day the month has not: the view's own 404
        "/events/calendar/1999/12/",  # outside the calendar's years: the view's own 404
        "/events/calendar/-2026/1/",
    ],
)
def test_impossible_calendar_dates_are_404(client, address):
    assert client.get(address).status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "/writers/%00/",
        "/writers/a%00b/",
        "/events/%00/",
        "/events/%00.ics",
        "/events/feed/%00.ics",
        "/pages/%00/",
        "/programme/%00/",
        "/programme/%00/x/",
        "/programme/x/%00/",
    ],
)
def test_a_nul_byte_in_a_slug_is_404_not_a_database_error(client, address):
    StrandFactory(slug="x")
    assert client.get(address).status_code == 404


def test_unicode_slugs_still_find_their_pages(client):
    """Slugs allow any script (SlugField(allow_unicode=True)): the converter must too."""
    strand = StrandFactory(slug="شعر", title="Poetry")
    writer = WriterFactory(slug="نویسنده-مهمان", name="Guest writer", strand=strand)
    page = PageFactory(slug="关于我们", title="About us")
    event = EventFactory(slug="читання-вірші_2026", title="A reading", strand=strand)

    for url, text in [
        (writer.get_absolute_url(), "Guest writer"),
        (page.get_absolute_url(), "About us"),
        (strand.get_absolute_url(), "Poetry"),
        (event.get_absolute_url(), "A reading"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode()
    calendar = client.get(reverse("events:event_ics", kwargs={"slug": event.slug}))
    assert calendar.status_code == 200
    assert b"SUMMARY:A reading" in calendar.content
    feed = client.get(reverse("events:strand_feed", kwargs={"strand": strand.slug}))
    assert feed.status_code == 200
    assert b"BEGIN:VCALENDAR" in feed.content


def test_calendar_addresses_keep_their_shape(client):
    assert reverse("events:month", kwargs={"year": 2026, "month": 5}) == "/events/calendar/2026/5/"
    assert (
        reverse("events:day", kwargs={"year": 2026, "month": 5, "day": 3})
        == "/events/calendar/2026/5/3/"
    )
    leading_zero = client.get("/events/calendar/2026/05/03/")
    assert leading_zero.status_code == 200
    assert leading_zero.context["day"].isoformat() == "2026-05-03"


# ---------------------------------------------------------------- methods


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/events/",
        "/events/calendar/",
        "/events/rss/",
        "/events/atom/",
        "/events/feed.ics",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/volunteer/apply/",
        "/admin/",
        "/admin/login/",
        "/static/no-such-file.css",
        "/no-such-page/",
    ],
)
@pytest.mark.parametrize("method", ["TRACE", "PUT", "PATCH", "DELETE", "CONNECT", "PROPFIND"])
def test_methods_no_page_uses_answer_405(client, address, method):
    response = client.generic(method, address)
    assert response.status_code == 405
    assert method not in response["Allow"]


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("/", "GET, HEAD, OPTIONS"),
        ("/volunteer/apply/", "GET, HEAD, POST, OPTIONS"),
        ("/events/rss/", "GET, HEAD, POST, OPTIONS"),  # a function: the site's methods
        ("/no-such-page/", "GET, HEAD, POST, OPTIONS"),
    ],
)
def test_a_405_says_what_the_address_allows(client, address, allowed):
    assert client.trace(address)["Allow"] == allowed


def test_a_put_to_a_form_is_not_taken_for_a_post(client):
    """Django's FormView handles PUT as POST; no form of ours takes a PUT."""
    response = client.put(
        "/volunteer/apply/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 405


@pytest.mark.parametrize(
    "address", ["/events/rss/", "/events/atom/", "/sitemap.xml", "/events/calendar/"]
)
def test_documents_and_redirects_that_only_answer_get_refuse_a_post(client, address):
    assert client.post(address).status_code == 405
    assert client.head(address).status_code in {200, 302}


def test_get_head_and_options_still_answer(client):
    assert client.get("/").status_code == 200
    assert client.head("/").status_code == 200
    options = client.options("/events/")
    assert options.status_code == 200
    assert "GET" in options["Allow"]


# ---------------------------------------------------------------- request bodies


@pytest.fixture
def spooled(monkeypatch):
    """Every file part Django's own upload handlers start to store."""
    started = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.new_file

        def spy(self, *args, _original=original, **kwargs):
            started.append(args[1])  # the file's name
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(handler, "new_file", spy)
    return started


def a_file(size=10_000):
    return SimpleUploadedFile("payload.bin", b"\0" * size, content_type="application/octet-stream")


@pytest.mark.parametrize(
    "address", ["/volunteer/apply/", "/admin/login/", "/admin/password_reset/", "/search/", "/"]
)
def test_an_anonymous_file_upload_is_refused_before_it_is_stored(client, spooled, address):
    response = client.post(address, {"name": "Ada", "upload": a_file()})
    assert response.status_code == 400
    assert "takes no files" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert spooled == []


def test_a_refused_upload_to_the_volunteer_form_keeps_nothing(client, spooled):
    response = client.post(
        "/volunteer/apply/",
        {"name": "Ada", "email": "ada@example.org", "consent": "on", "cv": a_file()},
    )
    assert response.status_code == 400
    assert not VolunteerApplication.objects.exists()


def test_an_anonymous_upload_to_an_admin_form_is_refused_not_stored(client, spooled):
    response = client.post("/admin/programme/writer/add/", {"portrait": a_file()})
    assert response.status_code == 400
    assert spooled == []


def test_staff_without_the_second_factor_may_not_upload(client, spooled, django_user_model):
    user = django_user_model.objects.create_superuser("half", "half@example.org", "password-1234")
    client.force_login(user)  # password only: the admin itself does not open yet
    response = client.post("/admin/programme/writer/add/", {"portrait": a_file()})
    assert response.status_code == 400
    assert spooled == []


def test_a_form_without_a_chosen_file_is_not_an_upload(client, spooled):
    """A browser sends an empty file part for a file input left empty: not refused."""
    body = (
        "--B\r\n"
        'Content-Disposition: form-data; name="name"\r\n\r\nAda\r\n'
        "--B\r\n"
        'Content-Disposition: form-data; name="upload"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
        "--B--\r\n"
    )
    response = client.post(
        "/volunteer/apply/", body, content_type="multipart/form-data; boundary=B"
    )
    assert response.status_code == 200  # the form again, with its own errors
    assert response.context["form"].data["name"] == "Ada"
    assert spooled == []


def test_staff_in_the_admin_may_upload_and_hear_the_form_s_own_verdict(admin_client, spooled):
    response = admin_client.post(
        "/admin/programme/writer/add/",
        {
            "name": "Test",
            "slug": "test",
            "visibility": "hidden",
            "portrait": not_an_image(),
            "portrait_alt": "x",
            "works-TOTAL_FORMS": "0",
            "works-INITIAL_FORMS": "0",
            "quotes-TOTAL_FORMS": "0",
            "quotes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with the image field's error
    assert spooled  # the file reached Django's own handlers, and the form
    assert response.context["adminform"].form.errors["portrait"]


def test_an_anonymous_body_over_the_data_limit_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.post("/volunteer/apply/", {"message": "x" * 2_000})
    assert response.status_code == 413
    small = client.post("/volunteer/apply/", {"message": "x" * 100})
    assert small.status_code == 200


def test_any_method_s_body_is_bounded(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.generic("GET", "/", "x" * 2_000, content_type="text/plain")
    assert response.status_code == 413


def test_a_staff_upload_is_bounded_by_its_own_limit(settings, admin_user):
    staff = Client()
    verify_second_factor(staff, admin_user)
    settings.UPLOAD_REQUEST_MAX_BYTES = 50_000
    response = staff.post("/admin/programme/writer/add/", {"portrait": a_file(60_000)})
    assert response.status_code == 413


def test_the_upload_limit_leaves_room_for_the_largest_image(settings):
    assert settings.UPLOAD_REQUEST_MAX_BYTES >= (
        settings.IMAGE_MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.UPLOAD_REQUEST_MAX_BYTES


@pytest.mark.parametrize(
    "url",
    [
        "/admin/programme/writer/?visibility__exact=%00",
        "/admin/autocomplete/?term=%00&app_label=programme&model_name=project&field_name=partners",
    ],
)
def test_a_nul_byte_in_an_admin_query_string_is_a_bad_request(admin_client, url):
    assert admin_client.get(url).status_code == 400
