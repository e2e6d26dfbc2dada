"""What volunteering makes searchable: the volunteer page itself and each current role.

Both are small (one page, a dozen roles), so their search vectors are computed in the
query (core.search.computed_vector) rather than stored: a stored vector would need a
generated column, a GIN index and a migration, and at this size buys nothing; the
search's query count is the same either way.
"""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from core.publishing import published_q
from core.search import Searchable, computed_vector, english_only, never
from programme.models import Strand
from volunteers.models import VolunteerRole

# The volunteer page's own words (templates/volunteers/volunteerrole_list.html), in the
# visitor's language through the same translations as the page.
PAGE_TITLE = _("Volunteer with us")
PAGE_TEXT = (
    _(
        "If you would like to get involved with any part of the programme, we are always "
        "open to volunteers."
    ),
    _(
        "Volunteers make the programme happen: they welcome audiences, help young people "
        "find their words, translate for writers who have lost their home, and keep a "
        "writer in residence company in a new city."
    ),
)
ROLE_WORDS = _("Volunteer role")  # every role is found by "volunteer", whatever its title


def _page_words() -> tuple[str, str]:
    return str(PAGE_TITLE), " ".join(str(text) for text in PAGE_TEXT)


def searchable_volunteer_page():
    """The volunteer page, as one row.

    The page is a template, not a table, so its row is read from a table that always
    holds exactly one matching row: the content type of volunteer roles (made by
    ``migrate``, never edited). Its words come from the page's own translations: the
    visitor's language, and English too, so "volunteer" finds it on every page.
    """
    title, text = _page_words()
    with override("en"):
        title_en, text_en = _page_words()
    return ContentType.objects.filter(app_label="volunteers", model="volunteerrole").annotate(
        shown_title=Value(title, output_field=CharField()),
        shown_text=Value(text, output_field=CharField()),
        slug=Value("", output_field=CharField()),
        search_vector=computed_vector(
            (Value(title_en), "A"),
            (Value(title), "A"),
            (Value(text_en), "B"),
            (Value(text), "B"),
        ),
    )


def searchable_roles():
    """Roles open to applications: title, description and strand (roles are not
    translated; the strand's title is searched in English, and only once the strand is
    published: a role may be open before its strand is, and must not reveal its title)."""
    with override("en"):
        role_words_en = gettext("Volunteer role")
    strand_title = Case(
        When(
            published_q(Strand, now=timezone.now(), through="strand__"),
            then=Coalesce(F("strand__title_en"), Value("")),
        ),
        default=Value(""),
        output_field=CharField(),
    )
    return VolunteerRole.objects.current().annotate(
        shown_title=F("title"),
        search_vector=computed_vector(
            (F("title"), "A"),
            (F("description"), "B"),
            (strand_title, "C"),
            (Value(f"{role_words_en} {gettext('Volunteer role')}"), "D"),
        ),
    )


def role_url(row) -> str:
    """The application form with this role ticked (volunteers.views.ApplyView reads ?role=)."""
    return reverse("volunteers:apply") + "?" + urlencode({"role": row["slug"]})


SEARCHABLES = [
    Searchable(
        kind="volunteer-page",
        label=_("Volunteering"),
        group="volunteering",
        group_label=_("Volunteering"),
        public=searchable_volunteer_page,
        title_field="shown_title",
        text_fields=("shown_text",),
        html_fields=(),
        url=lambda row: reverse("volunteers:index"),
        title_in_english=never,  # translated with the page
    ),
    Searchable(
        kind="volunteer-role",
        label=_("Volunteer role"),
        group="volunteering",
        group_label=_("Volunteering"),
        public=searchable_roles,
        title_field="shown_title",
        text_fields=("description",),
        html_fields=(),
        url=role_url,
        title_in_english=english_only,
    ),
]
