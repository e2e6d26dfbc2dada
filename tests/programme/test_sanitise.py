"""Formatted text is cleaned to a small allow-list, whatever is pasted in."""

import importlib

import pytest

from core.sanitise import sanitise_html

HOSTILE = [
    ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
    ('<p onclick="steal()">ok</p>', "<p>ok</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<img src=x onerror="alert(1)">', ""),
    ("<iframe src='https://evil.example'></iframe>", ""),
    ("<style>body{display:none}</style><p>ok</p>", "<p>ok</p>"),
    ('<p style="background:url(javascript:x)">ok</p>', "<p>ok</p>"),
    ("<svg><script>alert(1)</script></svg>", ""),
    ("<math><mi xlink:href='javascript:x'>m</mi></math>", ""),
    ("<form action='https://evil.example'><input></form>", ""),
    ("<!-- a comment --><p>ok</p>", "<p>ok</p>"),
    ("<p>unclosed <strong>bold", "<p>unclosed <strong>bold</strong></p>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a rel="noopener noreferrer">x</a>'),
]


@pytest.mark.parametrize(("dirty", "clean"), HOSTILE)
def test_hostile_html_is_neutralised(dirty, clean):
    assert sanitise_html(dirty) == clean


def test_the_allow_list_keeps_ordinary_formatting():
    html = (
        '<h2>Title</h2><p><strong>b</strong> <em>i</em> <a href="https://icorn.org">l</a></p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>q</p></blockquote>"
    )
    cleaned = sanitise_html(html)
    for tag in ("<h2>", "<strong>", "<em>", "<ul>", "<ol>", "<blockquote>"):
        assert tag in cleaned
    assert 'href="https://icorn.org"' in cleaned


def test_text_in_any_script_survives():
    assert sanitise_html("<p>焦国标 · نجيب · Václav</p>") == "<p>焦国标 · نجيب · Václav</p>"


# What an editor without its styles stores: every typed space a no-break space (issue 11).
TYPED_AS_NBSP = [
    ("<p>the&nbsp;quick&nbsp;brown&nbsp;fox</p>", "<p>the quick brown fox</p>"),
    ("<p>the\xa0quick\xa0brown\xa0fox</p>", "<p>the quick brown fox</p>"),
    ("<p>one&#160;two&#xa0;three</p>", "<p>one two three</p>"),
    ("<p>Hello,&nbsp;world.&nbsp;Again</p>", "<p>Hello, world. Again</p>"),
    ("<p>a&nbsp;&nbsp;&nbsp;b</p>", "<p>a b</p>"),
    ("<p>a &nbsp; &nbsp;b</p>", "<p>a b</p>"),
    ("<p>a&nbsp; b</p>", "<p>a b</p>"),
    (
        "<p><strong>bold</strong>&nbsp;text&nbsp;<em>more</em></p>",
        "<p><strong>bold</strong> text <em>more</em></p>",
    ),
    ("<p>word <em>&nbsp;spaced</em></p>", "<p>word <em> spaced</em></p>"),
    (
        "<ul><li>first&nbsp;item</li><li>second&nbsp;item</li></ul>",
        "<ul><li>first item</li><li>second item</li></ul>",
    ),
    ("<h2>A&nbsp;heading</h2>", "<h2>A heading</h2>"),
    ("<p>fish &amp;&nbsp;chips</p>", "<p>fish &amp; chips</p>"),
    ("<p>نجيب\xa0محفوظ</p>", "<p>نجيب محفوظ</p>"),
]


@pytest.mark.parametrize(("stored", "loosened"), TYPED_AS_NBSP)
def test_no_break_spaces_between_words_become_ordinary_spaces(stored, loosened):
    assert sanitise_html(stored) == loosened


DELIBERATE_NBSP = [
    "<p>10&nbsp;km</p>",
    "<p>on page&nbsp;5</p>",
    "<p>«&nbsp;Bonjour&nbsp;»</p>",
    "<p>Quoi&nbsp;? Attention&nbsp;: 50&nbsp;%</p>",
    "<p>&nbsp;</p>",  # an empty paragraph kept as a spacer
    "<p>&nbsp;&nbsp;Indented</p>",
    "<p>last word&nbsp;<br>next line</p>",
]


@pytest.mark.parametrize("html", DELIBERATE_NBSP)
def test_a_lone_no_break_space_that_typography_asks_for_is_kept(html):
    assert sanitise_html(html) == html


def test_no_break_spaces_in_attributes_are_left_alone():
    html = '<p><a href="https://icorn.org" title="ICORN\xa0network">ICORN\xa0network</a></p>'
    assert sanitise_html(html) == (
        '<p><a href="https://icorn.org" title="ICORN&nbsp;network" rel="noopener noreferrer">'
        "ICORN network</a></p>"
    )


def test_a_body_typed_without_the_editor_styles_can_wrap_again():
    words = " ".join(["Writers", "in", "residence", "read", "at", "the", "library"] * 20)
    stored = "<p>" + words.replace(" ", "&nbsp;") + "</p>"
    cleaned = sanitise_html(stored)
    assert "&nbsp;" not in cleaned
    assert cleaned == f"<p>{words}</p>"


@pytest.mark.parametrize("html", [dirty for dirty, _ in HOSTILE + TYPED_AS_NBSP] + DELIBERATE_NBSP)
def test_cleaning_twice_changes_nothing(html):
    once = sanitise_html(html)
    assert sanitise_html(once) == once


@pytest.mark.django_db
def test_the_data_migrations_loosen_what_is_already_stored():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from events.models import Event
    from programme.models import HomePage, Page, Project, Strand, Writer
    from tests.events.factories import EventFactory
    from tests.programme.factories import PageFactory, ProjectFactory, WriterFactory

    typed = "<p>typed&nbsp;by&nbsp;staff,&nbsp;10&nbsp;km</p>"
    loosened = "<p>typed by staff, 10&nbsp;km</p>"
    HomePage.objects.all().delete()
    HomePage.objects.create(heading="h", introduction="", volunteer_heading="v", volunteer_text="t")
    stored = [
        (Strand, "body", EventFactory().strand.pk),
        (Project, "body", ProjectFactory().pk),
        (Writer, "biography", WriterFactory().pk),
        (Page, "body", PageFactory().pk),
        (HomePage, "introduction", HomePage.objects.get().pk),
        (Event, "body", Event.objects.get().pk),
    ]
    for model, field, pk in stored:
        # update() skips the field's pre_save: this is what the old sanitiser let through.
        # In the original column, as before translations (rewrite(False): not body_en).
        model.objects.rewrite(False).filter(pk=pk).update(**{field: typed})
    before = {(model, pk): model.objects.get(pk=pk).updated_at for model, _, pk in stored}

    # The models as the migrations see them (the state right after each one).
    migrations = [("programme", "0008_loosen_stored_no_break_spaces"),
                  ("events", "0005_loosen_stored_no_break_spaces")]  # fmt: skip
    state = MigrationLoader(connection).project_state(migrations)
    for app_label, name in migrations:
        migration = importlib.import_module(f"{app_label}.migrations.{name}")
        migration.loosen_no_break_spaces(state.apps, None)

    for model, field, pk in stored:
        item = model.objects.filter(pk=pk).raw_values(field, "updated_at").get()
        assert item[field] == loosened, model
        assert item["updated_at"] == before[model, pk], model
