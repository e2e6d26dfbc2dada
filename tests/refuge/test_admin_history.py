"""Every model's history pages in the admin: readable, and a nonsense id is a 404."""

import pytest
from django.contrib import admin

from core.admin import HistoryAdmin
from tests.events.factories import EventFactory
from tests.programme.factories import PageFactory, PartnerFactory, StrandFactory, WriterFactory

pytestmark = pytest.mark.django_db


def test_every_model_with_a_history_uses_the_hardened_history_admin():
    from simple_history.admin import SimpleHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, HistoryAdmin), model


@pytest.mark.parametrize(
    "factory", [StrandFactory, PageFactory, PartnerFactory, WriterFactory, EventFactory]
)
def test_history_pages_answer_and_nonsense_ids_are_not_found(admin_client, factory):
    record = factory()
    base = f"/admin/{record._meta.app_label}/{record._meta.model_name}/{record.pk}/history/"
    listing = admin_client.get(base)
    assert listing.status_code == 200
    assert str(record) in listing.content.decode()
    version = record.history.first().history_id
    assert admin_client.get(f"{base}{version}/").status_code == 200
    assert admin_client.get(f"{base}not-a-number/").status_code == 404
    nonsense = f"/admin/{record._meta.app_label}/{record._meta.model_name}/x/history/1/"
    assert admin_client.get(nonsense).status_code == 404


@pytest.mark.parametrize(
    ("url", "status"), [("/healthz", 200), ("/robots.txt", 200), ("/favicon.ico", 301)]
)
def test_head_is_answered_wherever_get_is(client, url, status):
    assert client.head(url).status_code == client.get(url).status_code == status


# ---------------------------------------------------------------- found by an adversarial review


def test_staff_who_may_only_view_cannot_revert_through_the_history_form(django_user_model):
    from django.contrib.auth.models import Permission
    from django.test import Client

    from programme.models import WriterVisibility
    from tests.admin_forms import form_data
    from tests.conftest import verify_second_factor

    writer = WriterFactory(visibility=WriterVisibility.HIDDEN, name="Kept hidden")
    version = writer.history.latest().history_id
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_writer"))
    client = Client()
    verify_second_factor(client, viewer)
    url = f"/admin/programme/writer/{writer.pk}/history/{version}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    data = form_data(page.content.decode(), "historicalwriter_form")
    assert "name" in data
    data |= {"name": ["Edited by a viewer"], "visibility": ["public"], "_save": ["Revert"]}
    assert client.post(url, data).status_code == 403
    writer.refresh_from_db()
    assert (writer.name, writer.visibility) == ("Kept hidden", WriterVisibility.HIDDEN)


def test_a_revert_keeps_todays_image_and_reverts_the_rest(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core.files.storage import storages

    from core.images import stored_file_names
    from tests.admin_forms import post_back
    from tests.programme.images import phone_photo

    with django_capture_on_commit_callbacks(execute=True):
        writer = WriterFactory(
            name="First name", portrait=phone_photo(), portrait_alt="A", show_portrait=True
        )
    first_version = writer.history.latest().history_id
    with django_capture_on_commit_callbacks(execute=True):
        writer.name = "Second name"
        writer.portrait = phone_photo(name="second.jpg")
        writer.save()
    current = writer.portrait.name
    with django_capture_on_commit_callbacks(execute=True):
        response = post_back(
            admin_client,
            f"/admin/programme/writer/{writer.pk}/history/{first_version}/",
            form_id="historicalwriter_form",
        )
    assert response.status_code == 302
    writer.refresh_from_db()
    assert writer.name == "First name"
    assert writer.portrait.name == current
    names = stored_file_names(current, writer.portrait_width)
    assert all(storages["default"].exists(name) for name in names)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/programme/writer/%00/history/",
        "/admin/programme/writer/?residency_start__year=99999999999999999999",
        "/admin/events/event/?start__year=2026&start__month=99999999999999999999",
    ],
)
def test_hostile_admin_addresses_are_not_a_server_error(admin_client, url):
    WriterFactory()
    assert admin_client.get(url).status_code in {302, 400, 404}
