"""Writings and their versions: languages, directions, one original, the public rules (issue 16)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from programme.models import (
    SEARCH_CONFIGS,
    Writing,
    WritingVersion,
    language_names,
    normalise_language_tag,
    search_config,
    text_direction,
    validate_language_tag,
)
from tests.programme.factories import (
    WriterFactory,
    WritingFactory,
    WritingVersionFactory,
    writing_with_translation,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "tag",
    ["fa", "ar", "ckb", "zh-Hant", "zh-Hant-TW", "en-GB", "ti", "kmr", "ku-Arab", "es-419",
     "sl-rozaj-biske", "de-CH-1901", "en-US-u-islamcal", "x-private", "az-Arab-IR"],
)  # fmt: skip
def test_well_formed_bcp47_tags_are_accepted(tag):
    validate_language_tag(tag)


@pytest.mark.parametrize(
    "tag", ["", "english", "f", "fa_IR", "fa-", "-fa", "fa IR", "zh-Hant-Hans-TW-", "a1", "fa--IR"]
)
def test_malformed_tags_are_refused(tag):
    with pytest.raises(ValidationError):
        validate_language_tag(tag)


def test_tags_are_kept_in_their_conventional_case():
    assert normalise_language_tag("ZH-hant-tw") == "zh-Hant-TW"
    assert normalise_language_tag("fa-ir") == "fa-IR"
    assert normalise_language_tag("en-us-x-Twain") == "en-US-x-twain"
    version = WritingVersionFactory(language="AR-eg")
    version.refresh_from_db()
    assert version.language == "ar-EG"


@pytest.mark.parametrize(
    ("tag", "direction"),
    [("ar", "rtl"), ("fa", "rtl"), ("fa-IR", "rtl"), ("ur", "rtl"), ("he", "rtl"),
     ("ps", "rtl"), ("ckb", "rtl"), ("dv", "rtl"), ("yi", "rtl"), ("prs", "rtl"),
     ("ku-Arab", "rtl"), ("az-Arab", "rtl"), ("sd-Deva", "ltr"), ("kmr", "ltr"),
     ("en", "ltr"), ("zh-Hans", "ltr"), ("ti", "ltr"), ("ru", "ltr"), ("tr", "ltr")],
)  # fmt: skip
def test_direction_follows_the_script(tag, direction):
    assert text_direction(tag) == direction
    assert WritingVersion(language=tag).direction == direction


def test_language_names_in_english_and_in_the_language_itself():
    assert language_names("fa") == ("Persian", "فارسی")
    assert language_names("ar-EG")[0] == "Arabic"
    assert language_names("ti") == ("Tigrinya", "ትግርኛ")
    assert language_names("zh-Hant")[0] == "Traditional Chinese"
    assert language_names("qaa") == ("qaa", "qaa")  # private use: the tag itself


def test_every_mapped_search_configuration_exists_in_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        existing = {row[0] for row in cursor.fetchall()}
    assert set(SEARCH_CONFIGS.values()) <= existing
    assert search_config("ar-EG") == "arabic"
    assert search_config("fa") == "simple"  # Persian is not Arabic: no Arabic stemming
    assert search_config("ru") == "russian"


def test_a_writing_has_at_most_one_original():
    original = WritingVersionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WritingVersionFactory(writing=original.writing, language="ar")
    # Any number of translations.
    WritingVersionFactory(writing=original.writing, language="en", is_original=False)
    WritingVersionFactory(writing=original.writing, language="ar", is_original=False)
    assert original.writing.versions.count() == 3


def test_one_version_per_language():
    original = WritingVersionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WritingVersionFactory(writing=original.writing, language="fa", is_original=False)


def test_credits_belong_to_translations():
    with pytest.raises(IntegrityError), transaction.atomic():
        WritingVersionFactory(translator="Someone")
    with pytest.raises(IntegrityError), transaction.atomic():
        WritingVersionFactory(language="en", is_original=False, bridge_translator="Someone")


def test_a_writing_is_public_only_published_with_a_published_version_by_a_reachable_writer():
    now = timezone.now()
    live = writing_with_translation(slug="live")
    WritingVersionFactory(writing__slug="draft", writing__status="draft")
    WritingVersionFactory(
        writing__slug="soon", writing__publish_from=now + datetime.timedelta(minutes=1)
    )
    WritingVersionFactory(status="draft", writing__slug="draft-version")
    WritingFactory(slug="no-versions")
    WritingVersionFactory(writing__slug="hidden", writing__writer__visibility="hidden")
    WritingVersionFactory(writing__slug="no-consent", writing__writer__consent_recorded_on=None)
    WritingVersionFactory(
        writing__slug="withdrawn",
        writing__writer__consent_withdrawn_on=datetime.date(2026, 3, 1),
    )
    unlisted = WritingVersionFactory(
        writing__slug="unlisted", writing__writer__visibility="unlisted"
    ).writing
    public = set(Writing.objects.public().values_list("slug", flat=True))
    assert public == {live.slug, unlisted.slug}
    assert set(Writing.objects.listed().values_list("slug", flat=True)) == {live.slug}
    assert set(WritingVersion.objects.listed().values_list("language", flat=True)) == {"fa", "en"}


def test_version_addresses_and_anchors():
    writing = writing_with_translation(slug="window")
    original, translation = writing.versions.all()
    assert original.is_original
    assert original.get_absolute_url() == "/writings/window/"
    assert translation.get_absolute_url() == "/writings/window/?with=en"
    assert translation.get_anchored_url() == "/writings/window/?with=en#version-en"
    assert str(writing) == writing.title
    assert WriterFactory().writings.count() == 0
