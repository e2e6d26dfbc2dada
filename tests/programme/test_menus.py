"""Menus staff control (issue 13): the seeded defaults, ordering, hidden targets, external
links, the one-target rule, the caches, and the admin."""

import datetime
import importlib
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.caching.invalidation import content_models
from programme import menus as menus_module
from programme.models import Menu, MenuItem, MenuPlace, SiteSection
from tests.conftest import verify_second_factor
from tests.programme.factories import (
    PageFactory,
    PartnerFactory,
    ProjectFactory,
    StrandFactory,
)

pytestmark = pytest.mark.django_db

SEED = importlib.import_module("programme.migrations.0015_seed_menus_and_editor_permissions")
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def header_of(response) -> str:
    return response.content.decode().split("</header>", 1)[0]


def nav_links(response) -> list[tuple[str, str]]:
    """(href, text) of each link in the main navigation."""
    nav = header_of(response).split('aria-label="Main"', 1)[-1]
    return re.findall(r'<a class="nav-link[^"]*"[^>]* href="([^"]*)"[^>]*>([^<]*)</a>', nav)


def footer_group(response, heading: str) -> list[tuple[str, str]]:
    footer = response.content.decode().split('<footer class="site-footer">', 1)[1]
    group = footer.split(f">{heading}</h2>", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', group)


def header_menu() -> Menu:
    return Menu.objects.get(place=MenuPlace.HEADER)


def add_link(menu=None, **target) -> MenuItem:
    menu = menu or header_menu()
    target.setdefault("order", 100)
    return MenuItem.objects.create(menu=menu, **target)


@pytest.fixture
def fragment_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": LOCMEM, "LOCATION": "menu-tests-default"},
        "fragments": {"BACKEND": LOCMEM, "LOCATION": "menu-tests-fragments"},
    }
    settings.FRAGMENT_CACHE_SECONDS = 300
    caches["default"].clear()
    caches["fragments"].clear()
    yield caches["fragments"]
    caches["default"].clear()
    caches["fragments"].clear()


# ---------------------------------------------------------------- the seeded defaults


def test_the_migration_seeds_the_header_and_footer_the_site_had(client):
    header = header_menu()
    assert [item.section for item in header.items.all()] == [
        "home", "programme:strands", "programme:writers", "programme:writings",
        "events:list", "volunteers:index", "programme:about",
    ]  # fmt: skip
    assert all(item.label == "" for item in MenuItem.objects.all())
    footer = Menu.objects.get(place=MenuPlace.FOOTER)
    assert (footer.heading_en, footer.heading_ar, footer.heading_fa) == (
        "About this site", "عن هذا الموقع", "دربارهٔ این سایت",
    )  # fmt: skip
    response = client.get("/")
    assert nav_links(response) == [
        ("/", "Home"), ("/programme/", "Programme"), ("/writers/", "Writers"),
        ("/writings/", "Writings"), ("/events/", "Events"), ("/volunteer/", "Volunteer"),
        ("/about/", "About"),
    ]  # fmt: skip
    assert footer_group(response, "About this site") == [
        ("/contact/", "Contact"),
        ("/privacy/", "Privacy notice"),
        ("/accessibility/", "Accessibility statement"),
        ("/supporters/", "Our supporters"),
    ]


def test_the_seed_and_the_built_in_menus_are_the_same():
    assert list(SEED.HEADER) == [str(section) for section in menus_module.DEFAULT_HEADER]
    assert list(SEED.FOOTER["sections"]) == [str(s) for s in menus_module.DEFAULT_FOOTER]
    assert SEED.FOOTER["heading"] == menus_module.DEFAULT_FOOTER_HEADINGS
    assert menus_module.built_in_menus() == menus_module.load_menus()


def test_the_demo_loader_makes_the_default_menus_again_once_emptied(client):
    from programme.demo_content import load_menus

    before = menus_module.load_menus()
    assert load_menus() is False  # staff's menus (here, the seeded ones) are left alone
    Menu.objects.all().delete()
    assert load_menus() is True
    assert menus_module.load_menus() == before
    assert header_menu().items.count() == 7


def test_in_arabic_the_seeded_links_speak_arabic(client):
    response = client.get("/ar/events/")
    assert '<a class="nav-link active" aria-current="page" href="/ar/events/">الفعاليات</a>' in (
        header_of(response)
    )
    assert ">عن هذا الموقع</h2>" in response.content.decode()
    assert 'lang="en"' not in header_of(response).split('aria-label="Main"', 1)[-1]


def test_with_no_menus_at_all_the_built_in_ones_stand_in(client):
    Menu.objects.all().delete()
    response = client.get("/writers/")
    assert [href for href, _text in nav_links(response)][:3] == ["/", "/programme/", "/writers/"]
    assert ("/privacy/", "Privacy notice") in footer_group(response, "About this site")


def test_while_the_database_cannot_be_read_the_built_in_menus_stand_in(rf):
    request = rf.get("/")
    with mock.patch.object(menus_module, "load_menus", side_effect=DatabaseError("down")):
        shown = menus_module.site_menus(request)
    assert shown == menus_module.built_in_menus()


# ---------------------------------------------------------------- ordering and targets


def test_links_follow_their_order_and_footer_menus_theirs(client):
    page = PageFactory(title="For schools", slug="for-schools")
    add_link(page=page, order=5)  # before Home (10)
    later = Menu.objects.create(place=MenuPlace.FOOTER, heading="Elsewhere", order=9)
    add_link(later, url="https://www.icorn.org/", label="ICORN", order=2)
    add_link(later, section=SiteSection.SEARCH, order=1)
    response = client.get("/")
    assert nav_links(response)[:2] == [("/pages/for-schools/", "For schools"), ("/", "Home")]
    assert footer_group(response, "Elsewhere") == [
        ("/search/", "Search"),
        ("https://www.icorn.org/", "ICORN"),
    ]
    body = response.content.decode()
    assert body.index(">About this site</h2>") < body.index(">Elsewhere</h2>")


def test_a_label_replaces_the_targets_title(client):
    strand = StrandFactory(title="Shahrazad", slug="shahrazad")
    add_link(strand=strand, label="Stories for life")
    assert ("/programme/shahrazad/", "Stories for life") in nav_links(client.get("/"))


@pytest.mark.parametrize(
    "hidden",
    ["draft", "scheduled"],
)
def test_a_link_to_something_not_public_is_not_shown(client, hidden):
    later = timezone.now() + datetime.timedelta(minutes=1)
    fields = {"status": "draft"} if hidden == "draft" else {"publish_from": later}
    page = PageFactory(title="Secret plans", slug="secret-plans", **fields)
    strand = StrandFactory(title="Hidden strand", slug="hidden-strand", **fields)
    project = ProjectFactory(title="Hidden project", slug="hidden-project", **fields)
    in_draft_strand = ProjectFactory(
        title="Under a draft strand", strand=StrandFactory(status="draft")
    )
    for target in (
        {"page": page},
        {"strand": strand},
        {"project": project},
        {"project": in_draft_strand},
    ):
        add_link(**target)
    shown = {text for _href, text in nav_links(client.get("/"))}
    assert shown.isdisjoint(
        {"Secret plans", "Hidden strand", "Hidden project", "Under a draft strand"}
    )
    assert "Home" in shown
    page.status = "published"
    page.publish_from = None
    page.save()
    assert ("/pages/secret-plans/", "Secret plans") in nav_links(client.get("/"))


def test_a_scheduled_link_appears_when_its_time_comes(client, monkeypatch):
    """The menus' query is compiled once per process: the time in it is each request's."""
    soon = timezone.now() + datetime.timedelta(hours=1)
    add_link(page=PageFactory(title="Summer school", slug="summer-school", publish_from=soon))
    add_link(strand=StrandFactory(title="Now on", slug="now-on"))
    shown = {text for _href, text in nav_links(client.get("/"))}
    assert "Now on" in shown
    assert "Summer school" not in shown
    later = soon + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert ("/pages/summer-school/", "Summer school") in nav_links(client.get("/"))


def test_a_project_link_goes_to_the_project(client):
    project = ProjectFactory(title="Strangers and Canaries", slug="strangers-and-canaries")
    add_link(project=project)
    assert (project.get_absolute_url(), "Strangers and Canaries") in nav_links(client.get("/"))


def test_a_section_whose_address_is_gone_is_left_out_never_an_error(client):
    add_link(section="nowhere:gone", label="Gone")  # a name no address answers to
    response = client.get("/")
    assert response.status_code == 200
    assert "Gone" not in dict(nav_links(response)).values()
    assert ("/events/", "Events") in nav_links(response)


def test_a_section_that_does_not_resolve_is_left_out():
    from programme.models import section_url

    assert section_url(SiteSection.CONTACT) == "/contact/"
    assert section_url("nowhere:gone") is None


def test_the_contact_page_is_the_contact_form(db):
    from programme.models import Page

    assert Page(slug="contact").get_absolute_url() == "/contact/"


def test_the_page_marks_the_most_specific_link_as_current(client):
    strand = StrandFactory(title="Shahrazad", slug="shahrazad")
    add_link(strand=strand)
    header = header_of(client.get("/programme/shahrazad/"))
    assert re.findall(r'aria-current="page" href="([^"]*)"', header) == ["/programme/shahrazad/"]
    header = header_of(client.get("/programme/"))
    assert re.findall(r'aria-current="page" href="([^"]*)"', header) == ["/programme/"]


def test_an_untranslated_label_is_marked_english_in_arabic(client):
    page = PageFactory(title="For schools", slug="for-schools")
    add_link(page=page)
    add_link(section=SiteSection.SEARCH, label="Find", label_ar="ابحث")
    header = header_of(client.get("/ar/"))
    assert '<a class="nav-link" href="/ar/pages/for-schools/" lang="en">For schools</a>' in header
    assert '<a class="nav-link" href="/ar/search/">ابحث</a>' in header


# ---------------------------------------------------------------- one target, https only


def test_the_database_refuses_an_item_with_no_target_or_two():
    menu = header_menu()
    page = PageFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        MenuItem.objects.create(menu=menu, label="Nowhere")
    with transaction.atomic(), pytest.raises(IntegrityError):
        MenuItem.objects.create(menu=menu, page=page, section=SiteSection.EVENTS)
    with transaction.atomic(), pytest.raises(IntegrityError):
        MenuItem.objects.create(menu=menu, url="http://example.org/", label="Plain")


def test_full_clean_names_the_problem_in_plain_words():
    menu = header_menu()
    with pytest.raises(ValidationError) as nowhere:
        MenuItem(menu=menu, label="Nowhere").full_clean()
    assert "Choose where the link goes" in str(nowhere.value)
    with pytest.raises(ValidationError) as two:
        MenuItem(menu=menu, page=PageFactory(), section=SiteSection.EVENTS).full_clean()
    assert set(two.value.message_dict) == {"page", "section"}
    assert "Choose only one place" in two.value.message_dict["page"][0]
    with pytest.raises(ValidationError) as plain:
        MenuItem(menu=menu, url="http://example.org/", label="Plain").full_clean()
    assert "https://" in plain.value.message_dict["url"][0]
    with pytest.raises(ValidationError) as unlabelled:
        MenuItem(menu=menu, url="https://example.org/").full_clean()
    assert list(unlabelled.value.message_dict) == ["label"]
    MenuItem(menu=menu, url="https://example.org/", label="Example").full_clean()


def test_there_is_one_header_menu_and_footer_menus_need_a_heading():
    with transaction.atomic(), pytest.raises(IntegrityError):
        Menu.objects.create(place=MenuPlace.HEADER)
    with pytest.raises(ValidationError) as nameless:
        Menu(place=MenuPlace.FOOTER).full_clean()
    assert "heading" in nameless.value.message_dict


# ---------------------------------------------------------------- caches


def test_menus_are_content_so_their_changes_reach_every_kept_page():
    assert {Menu, MenuItem} <= content_models()


def test_a_kept_header_makes_no_menu_query_and_an_edit_shows_at_once(client, fragment_cache):
    page = PageFactory(title="For schools", slug="for-schools")
    add_link(page=page)
    client.get("/writers/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/writers/")
    assert not [q for q in queries.captured_queries if "programme_menu" in q["sql"]]
    assert ("/pages/for-schools/", "For schools") in nav_links(response)

    page.title = "Schools"
    page.save()
    assert ("/pages/for-schools/", "Schools") in nav_links(client.get("/writers/"))
    page.unpublish()
    assert "Schools" not in dict(nav_links(client.get("/writers/"))).values()
    header_menu().items.filter(section=SiteSection.WRITINGS).update(label="Texts")
    assert ("/writings/", "Texts") in nav_links(client.get("/writers/"))


def test_menus_are_read_in_one_query(rf, django_assert_num_queries):
    add_link(project=ProjectFactory())
    add_link(page=PageFactory())
    with django_assert_num_queries(1):
        shown = menus_module.site_menus(rf.get("/"))
    assert len(shown.header) == 9
    assert len(shown.footer) == 1


def test_a_page_reads_menus_and_footer_supporters_in_one_query(client):
    PartnerFactory(name="PEN UK", kind="partner")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/writers/")
    sqls = [q["sql"] for q in queries.captured_queries]
    assert len([sql for sql in sqls if "programme_menuitem" in sql]) == 1
    assert [sql for sql in sqls if '"programme_partner"' in sql and "menuitem" not in sql] == []
    assert "<li>PEN UK</li>" in response.content.decode().split("Supported by", 1)[1]


# ---------------------------------------------------------------- admin


@pytest.fixture
def content_editor(client):
    user = get_user_model().objects.create_user(
        "editor", password="a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Content editor"))
    verify_second_factor(client, user)
    return client


def item_form(n: int, **values) -> dict:
    fields = ["id", "label_en", "label_ar", "label_fa", "order", "page", "strand", "project",
              "section", "url"]  # fmt: skip
    return {f"items-{n}-{name}": values.get(name, "") for name in fields}


def menu_form(menu: Menu, *items: dict) -> dict:
    existing = list(menu.items.all())
    data = {
        "place": menu.place,
        "heading_en": menu.heading_en or "",
        "heading_ar": menu.heading_ar or "",
        "heading_fa": menu.heading_fa or "",
        "order": menu.order,
        "items-TOTAL_FORMS": len(existing) + len(items),
        "items-INITIAL_FORMS": len(existing),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for n, item in enumerate(existing):
        data |= item_form(n, id=item.pk, order=item.order, section=item.section)
        data[f"items-{n}-menu"] = menu.pk
    for n, values in enumerate(items, start=len(existing)):
        data |= item_form(n, **values)
        data[f"items-{n}-menu"] = menu.pk
    return data


def test_a_content_editor_adds_a_page_to_the_header_menu(content_editor, client):
    page = PageFactory(title="For schools", slug="for-schools")
    menu = header_menu()
    form = content_editor.get(f"/admin/programme/page/{page.pk}/change/").content.decode()
    assert f'href="/admin/programme/menu/{menu.pk}/change/">Add to the header menu</a>' in form
    assert content_editor.get("/admin/programme/menu/").status_code == 200
    assert (
        "Where the link goes"
        in content_editor.get(f"/admin/programme/menu/{menu.pk}/change/").content.decode()
    )
    response = content_editor.post(
        f"/admin/programme/menu/{menu.pk}/change/", menu_form(menu, {"page": page.pk, "order": 75})
    )
    assert response.status_code == 302
    assert menu.items.get(page=page).order == 75
    assert nav_links(client.get("/"))[-1] == ("/pages/for-schools/", "For schools")
    form = content_editor.get(f"/admin/programme/page/{page.pk}/change/").content.decode()
    assert "Header menu" in form


def test_a_link_with_two_targets_is_refused_and_what_was_typed_is_kept(content_editor):
    page = PageFactory(title="For schools")
    menu = header_menu()
    data = menu_form(
        menu, {"page": page.pk, "url": "https://example.org/schools", "label_en": "Schools"}
    )
    response = content_editor.post(f"/admin/programme/menu/{menu.pk}/change/", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose only one place for the link to go" in content
    assert 'value="https://example.org/schools"' in content
    assert 'value="Schools"' in content
    assert not menu.items.filter(page=page).exists()


def test_the_menu_changelist_lists_each_menus_links(admin_client, django_assert_max_num_queries):
    Menu.objects.create(place=MenuPlace.FOOTER, heading="More", order=3)
    with django_assert_max_num_queries(12):
        content = admin_client.get("/admin/programme/menu/").content.decode()
    assert "Header menu" in content
    assert "Footer: About this site" in content
    assert "Home, Programme, Writers" in content


# ---------------------------------------------------------------- page actions


def test_pages_are_published_and_unpublished_in_bulk_through_a_save_each(admin_client):
    drafts = PageFactory.create_batch(2, status="draft")
    admin_client.post(
        "/admin/programme/page/",
        {"action": "publish", "_selected_action": [page.pk for page in drafts]},
    )
    for page in drafts:
        page.refresh_from_db()
        assert page.status == "published"
        assert page.history.count() == 2  # made, then published: a save of its own
    admin_client.post(
        "/admin/programme/page/",
        {"action": "unpublish", "_selected_action": [drafts[0].pk]},
    )
    drafts[0].refresh_from_db()
    assert drafts[0].status == "draft"
    assert drafts[0].history.count() == 3


# ---------------------------------------------------------------- help texts (issue 13)

EXPLAINED = {
    "Strand": ["slug", "summary", "body", "order", "publish_from", "image_alt"],
    "Project": ["slug", "summary", "body", "audiences", "start_date", "end_date", "partners",
                "how_to_take_part", "order"],
    "Writer": ["slug", "visibility", "consent_recorded_on", "consent_scope",
               "consent_withdrawn_on", "country_of_origin", "show_country", "portrait",
               "portrait_alt", "show_portrait", "summary", "biography", "residency_start",
               "residency_end"],
    "Work": ["year", "language", "link", "order"],
    "Quote": ["source", "order"],
    "Writing": ["slug", "year", "order"],
    "Partner": ["kind", "url", "description", "logo", "order"],
    "Page": ["slug", "summary", "body", "version"],
    "HomePage": ["heading", "introduction", "volunteer_heading", "volunteer_text"],
    "Menu": ["place", "heading", "order"],
    "MenuItem": ["label", "order", "page", "strand", "project", "section", "url"],
}  # fmt: skip


@pytest.mark.parametrize("model_name", sorted(EXPLAINED))
def test_fields_staff_could_misread_are_explained(model_name):
    from django.apps import apps

    model = apps.get_model("programme", model_name)
    unexplained = [
        name for name in EXPLAINED[model_name] if not model._meta.get_field(name).help_text
    ]
    assert unexplained == []


def test_the_status_is_explained_on_programme_forms(admin_client):
    content = admin_client.get("/admin/programme/page/add/").content.decode()
    assert "Draft: only staff see it" in content
