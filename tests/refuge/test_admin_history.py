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
