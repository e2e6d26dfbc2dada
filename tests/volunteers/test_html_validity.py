"""The volunteer pages are valid HTML5 (Nu Html Checker), errors showing included."""

import pytest
from django.http import HttpResponse

from tests.html_validator import html_errors
from volunteers import thanks
from volunteers.models import VolunteerApplication
from volunteers.tokens import CONFIRM, WITHDRAW, make_link_token

pytestmark = pytest.mark.html  # starts Java (the Nu Html Checker)


def thanks_cookie(application) -> str:
    response = HttpResponse()
    thanks.remember(response, email=application.email, application=application)
    return response.cookies[thanks.COOKIE].value


@pytest.mark.django_db
def test_volunteer_pages_are_valid_html(client, demo_content, tmp_path):
    from tests.volunteers.factories import VolunteerApplicationFactory

    application = VolunteerApplicationFactory(email_confirmed_at=None)
    confirm = make_link_token(application.public_id, CONFIRM)
    withdraw = make_link_token(application.public_id, WITHDRAW)
    pages = {
        url: client.get(url).content.decode()
        for url in [
            "/volunteer/",
            "/volunteer/apply/",
            "/volunteer/thanks/",
            f"/volunteer/confirm/{confirm}/",
            f"/volunteer/withdraw/{withdraw}/",
            "/volunteer/confirm/tampered/",
            "/volunteer/withdrawn/",
        ]
    }
    pages["apply with errors"] = client.post("/volunteer/apply/", {"name": "x"}).content.decode()
    assert "There is a problem" in pages["apply with errors"]
    pages["apply for a role"] = client.get(
        "/volunteer/apply/?role=young-writers-mentor"
    ).content.decode()
    for url in ("/contact/", "/ar/contact/", "/contact/thanks/"):
        pages[url] = client.get(url).content.decode()
    pages["contact with errors"] = client.post("/contact/", {"name": "x"}).content.decode()
    assert "There is a problem" in pages["contact with errors"]
    client.cookies[thanks.COOKIE] = thanks_cookie(application)
    pages["thanks with the address"] = client.get("/volunteer/thanks/").content.decode()
    assert "Send it again" in pages["thanks with the address"]
    errors = html_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)
    assert VolunteerApplication.objects.count() == 1
