"""Stored images as staff live with them: saved again and again, replaced, withheld.

Issue: a second save of any record with an image was a 500; two uploads of
`face.jpg`/`face.png` overwrote each other's renditions; a hidden writer's
portrait stayed downloadable for ever under its uploaded name.
"""

import datetime
import io
import re

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from PIL import Image

from core import media
from core.images import STORED_NAME, stored_file_names
from events.models import Event, LocationMode
from programme.models import Partner, Project, Strand, Writer, WriterVisibility
from tests.admin_forms import post_back
from tests.events.factories import EventFactory
from tests.programme.factories import (
    PartnerFactory,
    ProjectFactory,
    StrandFactory,
    WriterFactory,
)
from tests.programme.images import phone_photo

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 30, 30), (30, 30, 220)


def photo(colour, *, name, size=(800, 600), image_format="JPEG"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


def files_of(record, field="image"):
    file = getattr(record, field)
    return stored_file_names(file.name, getattr(record, f"{field}_width"))


def colour_of(storage, name):
    with storage.open(name, "rb") as handle, Image.open(handle) as image:
        return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def close_to(actual, expected):
    return all(abs(a - b) < 24 for a, b in zip(actual, expected, strict=True))


# ------------------------------------------------------------------ 1. saving again


def records_with_images():
    return {
        "strand": (StrandFactory, "image", "programme/strand", {"status": "draft"}),
        "project": (ProjectFactory, "image", "programme/project", {"status": "draft"}),
        "event": (
            EventFactory,
            "image",
            "events/event",
            {
                "location": LocationMode.ON_BOOKING,
                "booking": "link",
                "booking_url": "https://tickets.example.org/e",
            },
        ),
        "partner": (PartnerFactory, "logo", "programme/partner", {"status": "draft"}),
        "writer": (
            WriterFactory,
            "portrait",
            "programme/writer",
            {"visibility": WriterVisibility.HIDDEN, "consent_withdrawn_on": "2026-11-30"},
        ),
    }


def admin_form_changes(kind, changes):
    """The safety change as form values (a date field posts as text, a FK as its pk)."""
    return {name: "" if value is None else str(value) for name, value in changes.items()}


@pytest.mark.parametrize("kind", records_with_images().keys())
def test_saving_a_record_with_an_image_again_and_again_keeps_working(admin_client, kind):
    factory, field, admin_path, safety_change = records_with_images()[kind]
    extra = {} if field == "logo" else {f"{field}_alt": "A description"}
    record = factory(**{field: phone_photo(name="IMG_0001.jpg"), **extra})
    stored = getattr(record, field).name
    url = f"/admin/{admin_path}/{record.pk}/change/"

    # A second and a third save with no new upload, as a browser posts the form.
    for _ in range(2):
        response = post_back(admin_client, url, form_id=f"{record._meta.model_name}_form")
        assert response.status_code == 302, response.content.decode()[:3000]

    # A save that changes a safety field (visibility and consent, location, status).
    response = post_back(
        admin_client,
        url,
        admin_form_changes(kind, safety_change),
        form_id=f"{record._meta.model_name}_form",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    assert getattr(record, field).name == stored
    for name, value in safety_change.items():
        saved = getattr(record, f"{name}_id" if name == "venue" else name)
        assert str(saved) == str(value) or (value is None and saved is None)
    record.full_clean()  # a stored image is never re-read as if it were an upload


def test_full_clean_of_a_saved_record_passes_even_when_the_file_is_gone():
    writer = WriterFactory(portrait=phone_photo(), portrait_alt="A portrait")
    storages["default"].delete(writer.portrait.name)
    Writer.objects.get(pk=writer.pk).full_clean()


# ------------------------------------------------------------------ 2. names of their own


def test_stored_names_keep_nothing_of_the_uploaded_name():
    writer = WriterFactory(
        portrait=phone_photo(name="Barnaby-LEGALNAME-passport.jpg"), portrait_alt="A"
    )
    for name in files_of(writer, "portrait"):
        assert "LEGALNAME" not in name
        assert "passport" not in name
        assert re.fullmatch(r"writers/[0-9a-f]{32}(\.\d+w)?\.(jpg|webp)", name), name


@pytest.mark.parametrize(
    ("first_name", "second_name"),
    [("face.jpg", "face.jpg"), ("face.jpg", "face.png")],
    ids=["same name", "same stem, other extension"],
)
def test_two_uploads_of_one_name_keep_their_own_pixels_in_every_rendition(
    first_name, second_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public = WriterFactory(
            portrait=photo(RED, name=first_name), portrait_alt="A", show_portrait=True
        )
        hidden = WriterFactory(
            visibility=WriterVisibility.PUBLIC,
            portrait=photo(BLUE, name=second_name, image_format="PNG"),
            portrait_alt="B",
            show_portrait=True,
        )
    storage = storages["default"]
    assert not set(files_of(public, "portrait")) & set(files_of(hidden, "portrait"))
    for name in files_of(public, "portrait"):
        assert close_to(colour_of(storage, name), RED), name
    for name in files_of(hidden, "portrait"):
        assert close_to(colour_of(storage, name), BLUE), name


def test_the_pipeline_never_writes_over_a_file_that_exists(monkeypatch):
    storage = storages["default"]
    taken = "partners/" + "a" * 32 + ".jpg"
    storage.save(taken, io.BytesIO(b"another record's file"))
    tokens = iter(["a" * 32, "b" * 32])
    monkeypatch.setattr("core.images.secrets.token_hex", lambda _n: next(tokens))
    partner = PartnerFactory(logo=photo(RED, name="logo.jpg"))
    assert partner.logo.name == "partners/" + "b" * 32 + ".jpg"
    with storage.open(taken, "rb") as handle:
        assert handle.read() == b"another record's file"


# ------------------------------------------------------------------ 3. withheld, replaced, removed


@pytest.fixture
def public_writer(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return WriterFactory(
            portrait=phone_photo(name="face.jpg"), portrait_alt="A", show_portrait=True
        )


def served(names):
    return [name for name in names if storages["default"].exists(name)]


def withheld(names):
    return [name for name in names if storages["withheld"].exists(name)]


@pytest.mark.urls("tests.urls_media")
def test_hiding_a_writer_in_admin_makes_every_url_of_the_portrait_404(
    admin_client, client, public_writer, django_capture_on_commit_callbacks
):
    page = client.get(public_writer.get_absolute_url()).content.decode()
    urls = set(re.findall(r"/media/writers/[^\s\"',]+", page))
    assert len(urls) >= 4
    for url in urls:
        assert client.get(url).status_code == 200, url

    with django_capture_on_commit_callbacks(execute=True):
        response = post_back(
            admin_client,
            f"/admin/programme/writer/{public_writer.pk}/change/",
            {"visibility": WriterVisibility.HIDDEN},
            form_id="writer_form",
        )
    assert response.status_code == 302
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Kept where nothing serves it, so it can be shown again without a new upload.
    names = files_of(Writer.objects.get(pk=public_writer.pk), "portrait")
    assert withheld(names) == names


@pytest.mark.parametrize(
    "change",
    [
        {"visibility": WriterVisibility.HIDDEN},
        {"consent_withdrawn_on": "2026-11-30"},
        {"consent_recorded_on": None},
        {"show_portrait": False},
    ],
    ids=["hidden", "consent withdrawn", "no consent", "portrait not shown"],
)
def test_every_way_of_withholding_a_portrait_takes_its_files_off_the_served_storage(
    public_writer, django_capture_on_commit_callbacks, change
):
    names = files_of(public_writer, "portrait")
    assert served(names) == names
    with django_capture_on_commit_callbacks(execute=True):
        for field, value in change.items():
            setattr(public_writer, field, value)
        public_writer.save()
    assert served(names) == []
    assert withheld(names) == names


def test_a_withheld_portrait_comes_back_when_it_may_be_shown_again(
    public_writer, django_capture_on_commit_callbacks
):
    names = files_of(public_writer, "portrait")
    with django_capture_on_commit_callbacks(execute=True):
        public_writer.show_portrait = False
        public_writer.save()
    with django_capture_on_commit_callbacks(execute=True):
        public_writer.show_portrait = True
        public_writer.save()
    assert served(names) == names
    assert withheld(names) == []


def test_a_portrait_uploaded_for_a_hidden_writer_is_never_on_the_served_storage(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        writer = WriterFactory(
            visibility=WriterVisibility.HIDDEN, portrait=phone_photo(), portrait_alt="A"
        )
    names = files_of(writer, "portrait")
    assert served(names) == []
    assert withheld(names) == names


def test_a_rolled_back_save_never_shows_a_withheld_portrait(
    public_writer, django_capture_on_commit_callbacks
):
    names = files_of(public_writer, "portrait")
    with django_capture_on_commit_callbacks(execute=True):
        public_writer.show_portrait = False
        public_writer.save()
    # Made public again, but the transaction does not commit: nothing is revealed.
    with django_capture_on_commit_callbacks(execute=False):
        public_writer.show_portrait = True
        public_writer.save()
    assert served(names) == []


@pytest.mark.parametrize("model", [Strand, Project, Event, Partner, Writer])
def test_replacing_or_clearing_an_image_leaves_no_file_behind(
    model, django_capture_on_commit_callbacks
):
    factory, field, *_ = records_with_images()[model._meta.model_name]
    extra = {} if field == "logo" else {f"{field}_alt": "A"}
    with django_capture_on_commit_callbacks(execute=True):
        record = factory(**{field: photo(RED, name="one.jpg"), **extra})
    first = files_of(record, field)
    with django_capture_on_commit_callbacks(execute=True):
        setattr(record, field, photo(BLUE, name="two.jpg"))
        record.save()
    second = files_of(record, field)
    assert served(first) == withheld(first) == []
    assert served(second) + withheld(second) == second
    with django_capture_on_commit_callbacks(execute=True):
        setattr(record, field, None)
        record.save()
    assert served(second) == withheld(second) == []


def test_a_duplicated_event_keeps_the_image_its_original_lost(django_capture_on_commit_callbacks):
    from events.services import event_duplicate

    with django_capture_on_commit_callbacks(execute=True):
        original = EventFactory(image=photo(RED, name="poster.jpg"), image_alt="A poster")
        copy = event_duplicate(event=original, shift=datetime.timedelta(weeks=1))
        original.image = None
        original.save()
    assert copy.image.name
    assert served(files_of(copy)) == files_of(copy)


def test_deleting_a_writer_deletes_the_portrait_files(
    public_writer, django_capture_on_commit_callbacks
):
    names = files_of(public_writer, "portrait")
    with django_capture_on_commit_callbacks(execute=True):
        public_writer.delete()
    assert served(names) == withheld(names) == []


# ------------------------------------------------------------------ tidy_media


def old_file(storage, name, content=b"x"):
    import os
    import time

    saved = storage.save(name, io.BytesIO(content))
    two_hours_ago = time.time() - 7200
    os.utime(storage.path(saved), (two_hours_ago, two_hours_ago))
    return saved


def test_tidy_media_deletes_old_orphans_and_keeps_what_is_referenced_or_new(public_writer):
    storage = storages["default"]
    orphan = old_file(storage, "events/" + "c" * 32 + ".320w.webp")
    fresh = storage.save("events/" + "d" * 32 + ".jpg", io.BytesIO(b"upload in progress"))
    stranger = old_file(storage, "events/notes.txt")
    out = io.StringIO()
    call_command("tidy_media", stdout=out)
    assert not storage.exists(orphan)
    assert storage.exists(fresh)
    assert storage.exists(stranger)  # not an image of ours: not ours to delete
    assert served(files_of(public_writer, "portrait")) == files_of(public_writer, "portrait")
    assert "1 orphan" in out.getvalue()


def test_tidy_media_withholds_what_a_bulk_update_exposed_and_renames_old_names(
    public_writer,
):
    names = files_of(public_writer, "portrait")
    Writer.objects.filter(pk=public_writer.pk).update(visibility=WriterVisibility.HIDDEN)
    storage = storages["default"]
    legacy = StrandFactory()
    legacy_name = "strands/Barnaby-passport.jpg"
    storage.save(legacy_name, io.BytesIO(photo(RED, name="x.jpg").read()))
    Strand.objects.filter(pk=legacy.pk).update(image=legacy_name, image_width=None)

    report = media.tidy()
    assert report.withheld == 1
    assert withheld(names) == names
    assert report.renamed == 1
    legacy.refresh_from_db()
    assert STORED_NAME.match(legacy.image.name)
    assert "Barnaby" not in legacy.image.name
    assert storage.exists(legacy.image.name)
    assert not storage.exists(legacy_name)


# ------------------------------------------------------------------ staff still see it


def test_staff_see_a_withheld_portrait_in_admin_and_no_one_else_does(
    admin_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        writer = WriterFactory(
            visibility=WriterVisibility.HIDDEN, portrait=phone_photo(), portrait_alt="A"
        )
    form = admin_client.get(f"/admin/programme/writer/{writer.pk}/change/").content.decode()
    assert "Current portrait (withheld: not on the public site)" in form
    assert writer.portrait.name not in form  # no stored name, no dead /media/ link
    url = f"/admin/programme/writer/{writer.pk}/portrait/"
    assert f'href="{url}"' in form

    response = admin_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.width <= 640

    assert client.get(url).status_code == 302  # to the sign-in page
    assert "/admin/login/" in client.get(url)["Location"]


def test_a_volunteer_coordinator_cannot_see_a_withheld_portrait(
    django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group
    from django.test import Client

    from tests.conftest import verify_second_factor

    with django_capture_on_commit_callbacks(execute=True):
        writer = WriterFactory(
            visibility=WriterVisibility.HIDDEN, portrait=phone_photo(), portrait_alt="A"
        )
    coordinator = django_user_model.objects.create_user("coordinator", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Volunteer coordinator"))
    client = Client()
    verify_second_factor(client, coordinator)
    response = client.get(f"/admin/programme/writer/{writer.pk}/portrait/")
    assert response.status_code in {403, 404}
    assert response.get("Content-Type", "").startswith("text/html")


# ------------------------------------------------------------------ races (adversarial review)


def test_showing_then_hiding_in_one_transaction_leaves_the_portrait_withheld(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        writer = WriterFactory(portrait=phone_photo(), portrait_alt="A", show_portrait=False)
    names = files_of(writer, "portrait")
    with django_capture_on_commit_callbacks(execute=True):
        writer.show_portrait = True
        writer.save()  # a reveal waits for the commit
        writer.visibility = WriterVisibility.HIDDEN
        writer.save()
    assert served(names) == []
    assert withheld(names) == names


def test_a_reveal_that_runs_after_a_colleague_hid_the_writer_reveals_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        writer = WriterFactory(portrait=phone_photo(), portrait_alt="A", show_portrait=False)
    names = files_of(writer, "portrait")
    # One request shows the portrait; its reveal runs late, after another request
    # has hidden the writer and committed.
    with django_capture_on_commit_callbacks(execute=False) as late_reveal:
        showing = Writer.objects.get(pk=writer.pk)
        showing.show_portrait = True
        showing.save()
    with django_capture_on_commit_callbacks(execute=True):
        hiding = Writer.objects.get(pk=writer.pk)
        hiding.visibility = WriterVisibility.HIDDEN
        hiding.save()
    for callback in late_reveal:
        callback()
    assert served(names) == []
