import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from programme.models import HomePage, Page, Partner, Project, Strand, Writer

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    counts = [m.objects.count() for m in (Strand, Project, Writer, Partner, Page, HomePage)]
    call_command("load_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in (Strand, Project, Writer, Partner, Page, HomePage)] == counts
    # Two writers: Jiao Guobiao, and the fictional writer of the demo's writing (issue 16).
    assert counts == [3, 5, 2, 6, 4, 1]
    assert Page.objects.get(slug="privacy").version == "1.2"
    jiao = Writer.objects.get(slug="jiao-guobiao")
    assert jiao.residency_start.year == 2008
    assert jiao.residency_start.month == 2


def test_ensure_staff_creates_one_superuser_with_a_generated_password_once():
    out = io.StringIO()
    call_command("ensure_staff", stdout=out)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 16

    again = io.StringIO()
    call_command("ensure_staff", stdout=again)
    assert "password" not in again.getvalue()
    assert get_user_model().objects.count() == 1


def test_ensure_staff_passwords_differ_between_installs():
    out = io.StringIO()
    call_command("ensure_staff", stdout=out)
    first = re.search(r"password: (\S+)", out.getvalue()).group(1)
    get_user_model().objects.all().delete()
    out = io.StringIO()
    call_command("ensure_staff", stdout=out)
    assert re.search(r"password: (\S+)", out.getvalue()).group(1) != first


def test_load_demo_draws_pictures_for_strands_projects_and_events_not_writers(settings):
    settings.DEMO_PICTURES = True
    from events.models import Event
    from programme.demo_content import demo_image

    call_command("load_demo", stdout=io.StringIO())
    first = {s.slug: s.image.name for s in Strand.objects.all()}
    assert all(first.values())
    assert all(p.image and p.image_alt for p in Project.objects.all())
    assert all(e.image and e.image_width for e in Event.objects.all())
    assert not any(w.portrait for w in Writer.objects.all())  # safety: no demo portrait
    call_command("load_demo", stdout=io.StringIO())
    assert {s.slug: s.image.name for s in Strand.objects.all()} == first  # kept, not redrawn
    # The same seed, the same picture; another seed, another.
    assert demo_image("strand-x").read() == demo_image("strand-x").read()
    assert demo_image("strand-x").read() != demo_image("strand-y").read()
