"""Two gunicorn instances over one PostgreSQL behave as one portal.

What one instance writes (applications, sessions, images, rate-limit counts)
the other sees, because they share only PostgreSQL, the cache (Redis or
PostgreSQL) and media storage (S3-compatible object storage here).
"""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from core.models import RateLimitCounter
from tests.ops.conftest import (
    OPS_REDIS_URL,
    Visitor,
    csrf_token,
    http_client,
    make_staff,
    staff_login,
)
from volunteers.models import VolunteerApplication

pytestmark = pytest.mark.slow


def test_a_sign_up_through_one_instance_reaches_a_coordinator_through_the_other(
    app_servers, smtp_server, volunteer_role
):
    sink, smtp_port = smtp_server()
    mail = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": smtp_port,
        "EMAIL_TIMEOUT": 5,
    }
    a, b = app_servers("a", **mail), app_servers("b", **mail)

    volunteer = Visitor()
    response = volunteer.sign_up(a, email_address="layla@example.org", role_id=volunteer_role.pk)
    assert response.status_code == 302, response.text[:500]
    assert response.headers["location"] == "/volunteer/thanks/"

    # The confirmation email came from A; the link works on B.
    (text,) = sink.texts()
    path = re.search(rf"{re.escape(a.url)}(/volunteer/confirm/[^/\s]+/)", text).group(1)
    volunteer.open_form(b, path)
    response = volunteer.client.post(b.url + path, data={"csrfmiddlewaretoken": volunteer.csrf})
    assert response.status_code == 302
    application = VolunteerApplication.objects.get(email="layla@example.org")
    assert application.email_confirmed_at is not None

    # A coordinator signs in (password and authenticator code) on B and finds it there…
    coordinator = Visitor()
    staff_login(coordinator, b, make_staff("coordinator", coordinator=True))
    listing = coordinator.client.get(b.url + "/admin/volunteers/volunteerapplication/")
    assert listing.status_code == 200
    assert "Amira Haddad" in listing.text
    # …and the same session works on A: sessions live in PostgreSQL.
    detail = coordinator.client.get(
        a.url + f"/admin/volunteers/volunteerapplication/{application.pk}/change/"
    )
    assert detail.status_code == 200
    assert "layla@example.org" in detail.text


def test_an_image_uploaded_through_one_instance_is_served_by_the_other(app_servers, s3_bucket):
    a, b = app_servers("a", **s3_bucket), app_servers("b", **s3_bucket)
    editor = Visitor()
    staff_login(editor, a, make_staff("editor", superuser=True))

    add_url = a.url + "/admin/programme/partner/add/"
    photo = io.BytesIO()
    Image.new("RGB", (800, 400), (30, 90, 160)).save(photo, "JPEG")
    response = editor.client.post(
        add_url,
        data={
            "csrfmiddlewaretoken": csrf_token(editor.client.get(add_url).text),
            "name": "Paul Hamlyn Foundation",
            "kind": "funder",
            "url": "",
            "description": "",
            "order": "0",
            "status": "published",
            "publish_from_0": "",
            "publish_from_1": "",
        },
        files={"logo": ("logo.jpg", photo.getvalue(), "image/jpeg")},
    )
    assert response.status_code == 302, re.findall(r'class="errorlist[^>]*>.*?</ul>', response.text)

    # B lists the supporter with the logo's address in object storage…
    page = http_client().get(b.url + "/supporters/")
    assert "Paul Hamlyn Foundation" in page.text
    endpoint = s3_bucket["AWS_S3_ENDPOINT_URL"]
    sources = re.findall(rf'src="({re.escape(endpoint)}/[^"]+)"', page.text)
    assert sources, page.text
    assert all(f"/{s3_bucket['AWS_STORAGE_BUCKET_NAME']}/media/partners/" in s for s in sources)
    # …its pages may load images from there (CSP)…
    assert endpoint in page.headers["content-security-policy"]
    # …and the image is there, cleaned and resized by A.
    image_url = sources[0].replace("&amp;", "&")
    image = http_client().get(image_url)
    assert image.status_code == 200
    with Image.open(io.BytesIO(image.content)) as served:
        assert served.width <= 800
    # Nothing was written to the app servers' own disk.
    assert not list(Path(a.env["MEDIA_ROOT"]).rglob("*.*"))


@pytest.mark.parametrize("counter", ["redis", "postgresql"])
def test_the_sign_up_rate_limit_counts_across_instances(app_servers, counter):
    limits = {
        "VOLUNTEER_RATE_LIMIT": 3,
        "VOLUNTEER_RATE_LIMIT_WINDOW": 86400,  # no window ends mid-test (bar one second a day)
        "REDIS_URL": OPS_REDIS_URL if counter == "redis" else "",
    }
    a, b = app_servers("a", **limits), app_servers("b", **limits)
    visitor = Visitor()
    visitor.open_form(a)

    statuses = []
    for server in (a, b, a, b, a):
        response = visitor.client.post(
            server.url + "/volunteer/apply/", data={"csrfmiddlewaretoken": visitor.csrf}
        )
        statuses.append(response.status_code)
    # Three posts in all are allowed (each re-shows the form with its errors), not three each.
    assert statuses == [200, 200, 200, 429, 429]
    assert "Retry-After" in response.headers
    # The count lived where it should: Redis when set, else PostgreSQL.
    assert RateLimitCounter.objects.exists() is (counter == "postgresql")
