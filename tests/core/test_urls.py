"""core.urls.reverse: Django's reverse, remembered per language, prefix and URLconf."""

from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation

from core.urls import reverse


def test_each_language_keeps_its_own_address():
    with translation.override("en-gb"):
        english = reverse("programme:writer", kwargs={"slug": "amira"})
    with translation.override("ar"):
        arabic = reverse("programme:writer", kwargs={"slug": "amira"})
    with translation.override("en-gb"):
        assert reverse("programme:writer", kwargs={"slug": "amira"}) == english
    assert english == "/writers/amira/"
    assert arabic == "/ar/writers/amira/"


def test_a_slug_in_another_script_is_quoted_as_django_quotes_it():
    from django.urls import reverse as django_reverse

    slug = "شهرزاد"
    assert reverse("programme:writer", kwargs={"slug": slug}) == django_reverse(
        "programme:writer", kwargs={"slug": slug}
    )


def test_a_script_prefix_is_part_of_the_key():
    plain = reverse("events:list")
    set_script_prefix("/refuge/")
    try:
        assert reverse("events:list") == "/refuge" + plain
    finally:
        clear_script_prefix()
    assert reverse("events:list") == plain
