import datetime

import pytest

from tests.programme.factories import PageFactory, StrandFactory, WriterFactory

pytestmark = pytest.mark.django_db


def test_home_renders_the_programme_from_the_seed_text(client, demo_content):
    content = client.get("/").content.decode()
    assert "In June 2007 Norwich became the UK’s first City of Refuge" in content
    for strand in ("Community Programme", "Writer in Residence", "Shahrazad"):
        assert strand in content
    assert "Jiao Guobiao" in content
    assert "we are always open to volunteers" in content
    for supporter in ("The Urban Cultural Fund", "PEN UK", "Paul Hamlyn Foundation",
                      "Anguish’s Educational Trust", "ICORN"):  # fmt: skip
        assert supporter in content
    assert "lorem" not in content.lower()


def test_home_works_before_any_content_exists(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Norwich, City of Refuge" in response.content.decode()


def test_home_query_count_does_not_grow_with_content(
    client, demo_content, django_assert_max_num_queries
):
    # 7: the programme's six, plus one for the "What's on" events.
    with django_assert_max_num_queries(7):
        client.get("/")
    for _ in range(20):
        StrandFactory()
        WriterFactory()
    with django_assert_max_num_queries(7):
        client.get("/")


def test_a_draft_strand_is_404_to_the_public_and_a_preview_for_staff(client, admin_client):
    draft = StrandFactory(status="draft", title="Secret plans")
    assert client.get(draft.get_absolute_url()).status_code == 404
    preview = admin_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Preview: this is not published" in preview.content.decode()


def test_strand_page_shows_its_story(client, demo_content):
    content = client.get("/programme/shahrazad/").content.decode()
    assert "Letters to Europe" in content
    assert "Stavanger" in content


def test_hidden_and_unconsented_writers_are_404(client):
    for writer in (
        WriterFactory(visibility="hidden"),
        WriterFactory(consent_recorded_on=None),
        WriterFactory(consent_withdrawn_on=datetime.date(2026, 1, 1)),
    ):
        assert client.get(writer.get_absolute_url()).status_code == 404
        assert writer.name not in client.get("/writers/").content.decode()


def test_an_unlisted_writer_is_reachable_by_link_only_and_noindex(client):
    writer = WriterFactory(name="Quiet Voice", visibility="unlisted")
    response = client.get(writer.get_absolute_url())
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "Quiet Voice" not in client.get("/writers/").content.decode()
    assert "Quiet Voice" not in client.get("/").content.decode()


def test_a_public_writer_page_is_indexable_and_withholds_country(client):
    writer = WriterFactory(name="Open Page", country_of_origin="Freedonia", show_country=False)
    content = client.get(writer.get_absolute_url()).content.decode()
    assert "Open Page" in content
    assert "noindex" not in content
    assert "Freedonia" not in content


def test_a_writer_named_in_chinese_has_a_working_page(client):
    writer = WriterFactory(name="焦国标", slug="焦国标")
    response = client.get(writer.get_absolute_url())
    assert response.status_code == 200
    assert "<h1>焦国标</h1>" in response.content.decode()


def test_pages_have_short_urls_and_drafts_stay_private(client, demo_content):
    content = client.get("/about/").content.decode()
    assert "International Parliament of Writers in 1993" in content
    assert "second ICORN General Assembly to Norwich in June 2007" in content
    draft = PageFactory(slug="plans", status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
