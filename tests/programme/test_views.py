import datetime

import pytest
from django.utils import timezone

from programme.models import Strand
from tests.programme.factories import (
    PageFactory,
    PartnerFactory,
    ProjectFactory,
    StrandFactory,
    WriterFactory,
)

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


def test_programme_overview_lists_every_strand_with_its_projects(client, demo_content):
    content = client.get("/programme/").content.decode()
    for title in ("Community Programme", "Writer in Residence", "Shahrazad"):
        assert title in content
    assert 'href="/programme/community-programme/strangers-and-canaries/"' in content
    assert 'href="/programme/shahrazad/letters-to-europe/"' in content


def test_strand_page_shows_its_projects_and_writers(client, demo_content):
    content = client.get("/programme/community-programme/").content.decode()
    assert "Strangers and Canaries" in content
    assert "Library project" in content
    writers = client.get("/programme/writer-in-residence/").content.decode()
    assert "Jiao Guobiao" in writers


def _hosted(strand, years):
    for year in years:
        WriterFactory(name=f"Hosted {year}", strand=strand,
                      residency_start=datetime.date(year, 1, 1),
                      residency_end=datetime.date(year, 12, 31))  # fmt: skip


def test_a_strand_page_shows_its_present_and_latest_writers_and_links_to_the_rest(client):
    """The page grew with every writer a strand ever hosted (issue 17): it shows eight,
    those here now first, then the latest hosted, and links to the strand's writers."""
    strand = StrandFactory(slug="writer-in-residence", title="Writer in Residence")
    today = timezone.localdate()
    _hosted(strand, range(2000, 2012))
    WriterFactory(name="Current Writer", strand=strand,
                  residency_start=today - datetime.timedelta(days=30))  # fmt: skip
    WriterFactory(name="Elsewhere Writer", strand=StrandFactory())
    content = client.get(strand.get_absolute_url()).content.decode()
    assert content.index("Current Writer") < content.index("Hosted 2011")
    assert "Hosted 2005" in content
    assert "Hosted 2004" not in content  # the ninth: on the strand's list of writers
    assert "Elsewhere Writer" not in content
    link = '<a href="/writers/?strand=writer-in-residence">Every writer of Writer in Residence</a>'
    assert link in content
    listed = client.get("/writers/?strand=writer-in-residence").content.decode()
    assert "Hosted 2000" in listed
    assert "Current Writer" in listed
    assert "Elsewhere Writer" not in listed
    assert "Showing the writers of Writer in Residence." in listed
    assert "<title>Writers of Writer in Residence" in listed


def test_a_strand_with_few_writers_shows_them_all_and_no_link(client):
    strand = StrandFactory()
    _hosted(strand, range(2000, 2008))
    content = client.get(strand.get_absolute_url()).content.decode()
    assert "Hosted 2000" in content
    assert "?strand=" not in content.split('id="writers-heading"')[1]


def test_the_writers_of_one_strand_page_on_with_their_filter(client):
    strand = StrandFactory(slug="shahrazad")
    _hosted(strand, range(1980, 2010))
    first = client.get("/writers/?strand=shahrazad").content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?strand=shahrazad&amp;page=2"' in first
    second = client.get("/writers/?strand=shahrazad&page=2").content.decode()
    assert "Hosted 1980" in second
    assert "Showing the writers of" in second


@pytest.mark.parametrize("asked", ["no-such-strand", "draft-strand"])
def test_a_strand_filter_that_names_no_public_strand_shows_every_writer(client, asked):
    StrandFactory(slug="draft-strand", status="draft")
    WriterFactory(name="Listed Writer", strand=StrandFactory())
    content = client.get(f"/writers/?strand={asked}").content.decode()
    assert "Listed Writer" in content
    assert "Showing the writers of" not in content
    assert "<title>Writers ·" in content


def test_the_writers_of_one_strand_in_arabic(client):
    StrandFactory(slug="shahrazad", title="Shahrazad", title_ar="شهرزاد")
    content = client.get("/ar/writers/?strand=shahrazad").content.decode()
    assert "يُعرض هنا كتّاب شهرزاد." in content
    assert '<a href="/ar/writers/">اعرض كل الكتّاب</a>' in content


def test_a_strand_title_not_yet_translated_is_marked_english_inside_the_sentence(client):
    """A screen reader reads "Writer in Residence" as English inside the Arabic sentence."""
    strand = StrandFactory(slug="writer-in-residence", title="Writer <in> Residence")
    _hosted(strand, range(2000, 2010))
    marked = '<span lang="en" dir="ltr">Writer &lt;in&gt; Residence</span>'
    listed = client.get("/ar/writers/?strand=writer-in-residence").content.decode()
    assert f"يُعرض هنا كتّاب {marked}." in listed
    assert marked in client.get("/ar/programme/writer-in-residence/").content.decode()
    english = client.get("/writers/?strand=writer-in-residence").content.decode()
    assert "Showing the writers of Writer &lt;in&gt; Residence." in english


def test_project_page_shows_audience_ages_cost_and_how_to_take_part(client, demo_content):
    content = client.get("/programme/community-programme/strangers-and-canaries/").content.decode()
    assert "Young people, Schools, Writers" in content
    assert "11–18" in content
    assert "Free" in content
    assert "16th century" in content
    assert "How to take part" in content


def test_a_project_is_only_found_under_its_own_strand(client, demo_content):
    assert client.get("/programme/shahrazad/strangers-and-canaries/").status_code == 404


def test_a_project_in_a_draft_strand_is_not_public(client):
    project = ProjectFactory(strand=StrandFactory(status="draft"))
    assert client.get(project.get_absolute_url()).status_code == 404


def test_writers_are_grouped_current_then_upcoming_then_past(client):
    today = timezone.localdate()
    WriterFactory(name="Past Writer", residency_start=datetime.date(2008, 2, 1),
                  residency_end=datetime.date(2009, 1, 31))  # fmt: skip
    WriterFactory(name="Current Writer", residency_start=today - datetime.timedelta(days=30))
    WriterFactory(name="Future Writer", residency_start=today + datetime.timedelta(days=60))
    content = client.get("/writers/").content.decode()
    assert (
        content.index("In residence now")
        < content.index("Current Writer")
        < content.index("Coming soon")
        < content.index("Future Writer")
        < content.index("Writers we have hosted")
        < content.index("Past Writer")
    )


def test_the_writers_list_pages_by_24_the_present_first(client):
    """Page one holds who is here and who is coming; the archive pages on, newest first."""
    today = timezone.localdate()
    for year in range(1990, 2020):
        WriterFactory(name=f"Hosted {year}", residency_start=datetime.date(year, 1, 1),
                      residency_end=datetime.date(year, 12, 31))  # fmt: skip
    WriterFactory(name="Current Writer", residency_start=today - datetime.timedelta(days=30))
    WriterFactory(name="Future Writer", residency_start=today + datetime.timedelta(days=60))
    WriterFactory(name="Sooner Writer", residency_start=today + datetime.timedelta(days=20))
    first = client.get("/writers/").content.decode()
    assert first.index("Sooner Writer") < first.index("Future Writer")
    assert "Current Writer" in first
    assert "Future Writer" in first
    assert "Hosted 2019" in first
    assert "Hosted 1998" not in first
    assert "Page 1 of 2" in first
    second = client.get("/writers/?page=2").content.decode()
    assert "Hosted 1998" in second
    assert "Hosted 1990" in second
    assert "In residence now" not in second
    assert client.get("/writers/?page=3").status_code == 404


def test_writer_profile_shows_works_quotes_languages_and_genres(client, demo_content):
    from programme.models import Quote, Writer

    jiao = Writer.objects.get(slug="jiao-guobiao")
    Quote.objects.create(writer=jiao, text="A city that listens.", source="Interview, 2008")
    content = client.get(jiao.get_absolute_url()).content.decode()
    assert "Denounce the Central Propaganda Department" in content
    assert "2004" in content
    assert "A city that listens." in content
    assert "Chinese" in content
    assert "essays, journalism" in content


@pytest.mark.parametrize(
    ("url", "factory_batch"),
    [
        ("/programme/", lambda: [ProjectFactory(strand=StrandFactory()) for _ in range(15)]),
        ("/writers/", lambda: WriterFactory.create_batch(25)),
        ("/supporters/", lambda: PartnerFactory.create_batch(25)),
        ("/programme/community-programme/", lambda: ProjectFactory.create_batch(
            15, strand=Strand.objects.get(slug="community-programme"))),
        ("/programme/writer-in-residence/", lambda: WriterFactory.create_batch(
            25, strand=Strand.objects.get(slug="writer-in-residence"))),
        ("/writers/?strand=writer-in-residence", lambda: WriterFactory.create_batch(
            25, strand=Strand.objects.get(slug="writer-in-residence"))),
    ],
)  # fmt: skip
def test_list_pages_make_the_same_few_queries_at_any_size(
    client, demo_content, django_assert_max_num_queries, url, factory_batch
):
    with django_assert_max_num_queries(5) as small:
        client.get(url)
    factory_batch()
    with django_assert_max_num_queries(5) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)
