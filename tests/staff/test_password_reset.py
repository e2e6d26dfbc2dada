"""Staff password reset: it works, and it never reveals whether an address has an account."""

import re
import time
from unittest import mock

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "editor", "editor@example.org", "old-password-long-enough", is_staff=True
    )


def test_the_login_page_links_to_password_reset(client):
    assert 'href="/admin/password_reset/"' in client.get("/admin/login/").content.decode()


def test_known_and_unknown_addresses_get_the_same_answer(client, staff):
    known = client.post("/admin/password_reset/", {"email": "editor@example.org"})
    unknown = client.post("/admin/password_reset/", {"email": "stranger@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/admin/password_reset/done/"
    assert len(mail.outbox) == 1  # only the real account gets an email
    assert mail.outbox[0].to == ["editor@example.org"]


def test_the_emailed_link_sets_a_new_password(client, staff):
    client.post("/admin/password_reset/", {"email": "editor@example.org"})
    link = re.search(r"http://testserver(/admin/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("a-brand-new-password")


def test_a_short_new_password_is_refused(client, staff):
    client.post("/admin/password_reset/", {"email": "editor@example.org"})
    link = re.search(r"http://testserver(/admin/reset/\S+/)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "short-1", "new_password2": "short-1"})
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_reset_mails_to_one_address_are_capped(client, staff, settings):
    """Anyone can ask; the address gets a few mails an hour, and every answer is the same."""
    now = time.time()
    with mock.patch("refuge.login_limits.time.time", return_value=now) as clock:
        for address in ["editor@example.org", " Editor@Example.ORG"] * 5:
            response = client.post("/admin/password_reset/", {"email": address})
            assert response.status_code == 302
            assert response["Location"] == "/admin/password_reset/done/"
        assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_HOUR

        # Another address is not held up by it.
        other = type(staff).objects.create_user(
            "writer", "writer@example.org", "another-long-password", is_staff=True
        )
        client.post("/admin/password_reset/", {"email": other.email})
        assert mail.outbox[-1].to == ["writer@example.org"]

        clock.return_value = now + 3600  # the next hour
        client.post("/admin/password_reset/", {"email": "editor@example.org"})
        assert mail.outbox[-1].to == ["editor@example.org"]
        assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_HOUR + 2
