"""Art direction (issue 14): our own drawings where there is no photograph."""

import pytest

from core.templatetags.portal import illustration
from tests.events.factories import EventFactory, soon
from tests.programme.factories import ProjectFactory, StrandFactory
from tests.programme.images import phone_photo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "drawing"),
    [
        ("community-programme", "canary"),
        ("writer-in-residence", "books"),
        ("shahrazad", "scripts"),
    ],
)
def test_each_strand_has_its_drawing(slug, drawing):
    assert illustration(StrandFactory.build(slug=slug)) == f"img/illustrations/{drawing}.svg"


def test_any_other_strand_gets_a_drawing_by_its_place_and_none_an_open_book():
    drawings = {illustration(StrandFactory.build(slug="x", order=n)) for n in range(3)}
    assert len(drawings) == 3
    assert illustration(None) == "img/illustrations/books.svg"


def test_cards_show_the_photograph_or_the_strands_drawing(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    StrandFactory(slug="shahrazad", title="Shahrazad")
    StrandFactory(
        slug="community-programme",
        title="Community",
        image=phone_photo(),
        image_alt="Pupils reading their letters to Europe",
    )
    content = client.get("/").content.decode()
    # The home hero's drawing is decorative; the strands' cards carry one each.
    assert 'class="hero__art" src="/static/img/illustrations/hero' in content
    assert 'src="/static/img/illustrations/scripts' in content
    assert 'alt="Pupils reading their letters to Europe"' in content
    assert "illustrations/canary" not in content.split("Our programme")[1].split("</ul>")[0]


def test_project_and_event_cards_fall_back_to_their_strands_drawing(client):
    strand = StrandFactory(slug="community-programme", title="Community")
    ProjectFactory(strand=strand, title="Strangers and Canaries")
    EventFactory(strand=strand, title="Workshop", start=soon(2))
    strand_page = client.get(strand.get_absolute_url()).content.decode()
    assert 'src="/static/img/illustrations/canary' in strand_page
    events = client.get("/events/").content.decode()
    card = events.split('<article class="event-card')[1].split("</article>")[0]
    assert 'src="/static/img/illustrations/canary' in card
    assert 'alt=""' in card


def test_empty_states_and_error_pages_are_illustrated(client):
    content = client.get("/events/").content.decode()
    assert 'class="empty-state"' in content
    assert "illustrations/books" in content
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert 'class="error-page__art"' in missing.content.decode()


def test_social_links_in_the_footer_are_configurable(client, settings):
    assert "Follow us" not in client.get("/about/").content.decode()
    settings.PORTAL = settings.PORTAL | {
        "SOCIAL_LINKS": [("Instagram", "https://instagram.example/norwichrefuge")]
    }
    content = client.get("/about/").content.decode()
    assert "Follow us" in content
    assert '<a href="https://instagram.example/norwichrefuge" rel="me noopener">Instagram</a>' in (
        content
    )
