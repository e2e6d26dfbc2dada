"""The supporters (issue 14): grouped under plural headings from their kinds, in their
order, with logos where staff uploaded one, and the kind not repeated on every card."""

import re

import pytest

from programme.models import Partner, PartnerKind, group_by_kind
from tests.programme.factories import PartnerFactory
from tests.programme.images import phone_photo

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    return response.content.decode().split('id="main"', 1)[1].split("</main>", 1)[0]


def test_headings_come_from_the_kinds_singular_or_plural():
    assert PartnerKind.FUNDER.heading(1) == "Funder"
    assert PartnerKind.FUNDER.heading(3) == "Funders"
    assert PartnerKind.PARTNER.heading(2) == "Partners"
    assert PartnerKind.NETWORK.heading(1) == "Network"
    assert PartnerKind.NETWORK.heading(2) == "Networks"


def test_groups_follow_the_kinds_and_each_keeps_the_partners_order():
    PartnerFactory(name="ICORN", kind="network")
    PartnerFactory(name="Zeta Trust", kind="funder", order=1)
    PartnerFactory(name="Alpha Fund", kind="funder", order=2)
    PartnerFactory(name="Beta Fund", kind="funder", order=2)
    PartnerFactory(name="Hidden Fund", kind="funder", status="draft")
    groups = group_by_kind(Partner.objects.published())
    assert [(g.kind, g.heading) for g in groups] == [("funder", "Funders"), ("network", "Network")]
    assert [p.name for p in groups[0].partners] == ["Zeta Trust", "Alpha Fund", "Beta Fund"]


def test_the_supporters_page_groups_under_headings_and_names_no_kind_per_card(
    client, django_assert_max_num_queries
):
    PartnerFactory(name="Paul Hamlyn Foundation", kind="funder", order=1)
    PartnerFactory(name="The Urban Cultural Fund", kind="funder", order=2)
    PartnerFactory(name="PEN UK", kind="partner", url="https://www.englishpen.org/")
    PartnerFactory(name="ICORN", kind="network")
    with django_assert_max_num_queries(8):
        response = client.get("/supporters/")
    main = main_of(response)
    assert re.findall(r"<h2 id=\"supporters-(\w+)\">([^<]+)</h2>", main) == [
        ("funder", "Funders"),
        ("partner", "Partner"),
        ("network", "Network"),
    ]
    funders = main.split("Funders</h2>", 1)[1].split("</section>", 1)[0]
    assert funders.index("Paul Hamlyn Foundation") < funders.index("The Urban Cultural Fund")
    assert "partner__kind" not in main
    assert 'href="https://www.englishpen.org/" rel="noopener">PEN UK</a>' in main


def test_the_supporters_page_costs_the_same_with_more_supporters(
    client, django_assert_max_num_queries
):
    PartnerFactory.create_batch(3)
    with django_assert_max_num_queries(8) as few:
        client.get("/supporters/")
    PartnerFactory.create_batch(30, kind="partner")
    with django_assert_max_num_queries(8) as many:
        client.get("/supporters/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_logo_shows_with_its_size_and_the_partners_name_as_alt(client):
    PartnerFactory(name="PEN UK", kind="partner", logo=phone_photo(400, 200, name="pen.jpg"))
    main = main_of(client.get("/supporters/"))
    image = re.search(r"<img [^>]*>", main).group(0)
    assert 'alt="PEN UK"' in image
    assert re.search(r'width="\d+" height="\d+"', image)


def test_the_footer_lists_supporters_under_their_headings(client):
    PartnerFactory(name="Paul Hamlyn Foundation", kind="funder")
    PartnerFactory(name="ICORN", kind="network")
    footer = client.get("/writers/").content.decode().split('<footer class="site-footer">')[1]
    supported = footer.split("Supported by</h2>", 1)[1]
    assert re.findall(r'<h3 class="supporter-list__heading">([^<]+)</h3>', supported) == [
        "Funder",
        "Network",
    ]
    assert supported.index("Paul Hamlyn Foundation") < supported.index("ICORN")
