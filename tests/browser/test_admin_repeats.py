"""An editor sets up a term-time weekly workshop in words, skips one date, cancels another,
and the public pages and the calendar file show exactly the dates that follow."""

import datetime
import os
from pathlib import Path

import icalendar
import pytest
from dateutil.rrule import rrulestr

from tests.browser.conftest import WIDTHS, restore_staff_roles

pytestmark = pytest.mark.browser

# The staff guide's screenshots: refreshed in docs/img only when asked
# (UPDATE_DOCS_IMAGES=1), so an ordinary test run leaves the tree clean.
ROOT = Path(__file__).resolve().parents[2]
DOCS_IMG = (
    ROOT / "docs" / "img"
    if os.environ.get("UPDATE_DOCS_IMAGES") == "1"
    else ROOT / "test-artifacts" / "docs-img"
)
D = datetime.date
SLUG = "strangers-and-canaries-after-school-workshop"


def sign_in_as_editor(page, site) -> None:
    """A content editor (not a superuser) with a confirmed authenticator."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    editor = get_user_model().objects.create_user(
        "editor", password="a-long-password-123", is_staff=True
    )
    restore_staff_roles()
    editor.groups.add(Group.objects.get(name="Content editor"))
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password-123")
    page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_an_editor_sets_up_a_term_time_workshop_with_a_skip_and_a_cancellation(page, site):
    from events.models import Event, SchoolHoliday
    from programme.models import Strand

    SchoolHoliday.objects.create(
        name="Autumn half term 2030", first_day=D(2030, 10, 28), last_day=D(2030, 11, 1)
    )
    strand = Strand.objects.order_by("pk").first()
    sign_in_as_editor(page, site)
    page.goto(site.url + "/admin/events/event/add/")
    page.fill("#id_title_en", "Strangers and Canaries after-school workshop")
    page.select_option("#id_strand", str(strand.pk))
    page.select_option("#id_event_type", "workshop")
    page.fill("#id_start_0", "01/10/2030")
    page.fill("#id_start_1", "16:00")
    page.fill("#id_end_0", "01/10/2030")
    page.fill("#id_end_1", "17:30")
    # Without a repeat, the repeat's own questions stay out of the way.
    assert page.locator(".field-weekdays").is_hidden()
    page.select_option("#id_repeats", "weekly")
    page.check("input[name=weekdays][value='1']")
    page.check("input[name=ends][value='after']")
    page.fill("#id_repeat_sessions", "10")
    page.check("#id_term_time_only")
    preview = page.locator("#repeat-preview")
    preview.get_by_text("10 sessions listed (10 going ahead).").wait_for()
    assert "Tue 29/10/2030 — school holiday, skipped" in preview.inner_text()
    assert "Tue 10/12/2030" in preview.inner_text()
    page.select_option("#id_location", "online")
    page.fill("#id_online_url", "https://example.org/join")
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/**")
    assert page.locator(".errornote").count() == 0, page.locator(".errorlist").all_inner_texts()

    # The saved series lists its own dates to skip or cancel; the holiday is not offered.
    assert page.locator("input[name=skip][value='2030-10-29']").count() == 0
    page.check("input[name=skip][value='2030-10-08']")
    page.check("input[name=cancel][value='2030-10-15']")
    page.fill("#id_cancel_reason", "The writer is travelling to a festival")
    preview.get_by_text("10 sessions listed (9 going ahead).").wait_for()
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.locator("fieldset:has(#id_repeats)").screenshot(path=DOCS_IMG / "repeat-editor.png")
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/**")
    assert "Cancelled: The writer is travelling to a festival" in page.content()

    expected = [D(2030, 10, 1), D(2030, 10, 15), D(2030, 10, 22), D(2030, 11, 5),
                D(2030, 11, 12), D(2030, 11, 19), D(2030, 11, 26), D(2030, 12, 3),
                D(2030, 12, 10), D(2030, 12, 17)]  # fmt: skip
    event = Event.objects.get(title="Strangers and Canaries after-school workshop")
    assert event.slug == SLUG  # filled from the title
    assert [o.local_start.date() for o in event.occurrences.all()] == expected
    assert {o.local_start.time() for o in event.occurrences.all()} == {datetime.time(16)}
    assert_public_dates(page, site, expected)
    assert_calendar_dates(page, site, expected)
    assert page.console_errors == []


def assert_public_dates(page, site, expected) -> None:
    """The public page: the first date, then the others, the cancelled one marked."""
    page.goto(site.url + f"/events/{SLUG}/")
    assert "Tuesday 1 October 2030" in page.locator("main").inner_text()
    others = page.locator(".other-dates li")
    shown = [item.locator("time").first.get_attribute("datetime")[:10] for item in others.all()]
    assert shown == [day.isoformat() for day in expected[1:]]
    cancelled = [item.inner_text() for item in others.all() if "Cancelled" in item.inner_text()]
    assert cancelled == [others.nth(0).inner_text()]
    assert "15 October 2030" in cancelled[0]
    page.goto(site.url + f"/events/{SLUG}/?on=2030-10-15")
    assert "This date is cancelled." in page.locator("main").inner_text()


def assert_calendar_dates(page, site, expected) -> None:
    """The calendar file: the same ten dates, the cancelled one sent as cancelled."""
    response = page.request.get(site.url + f"/events/{SLUG}.ics")
    calendar = icalendar.Calendar.from_ical(response.body())
    vevents = calendar.walk("VEVENT")
    main = next(v for v in vevents if "RECURRENCE-ID" not in v)
    start = main.decoded("dtstart")
    rule = rrulestr(main["RRULE"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    exdates = main.get("EXDATE")
    exdates = exdates if isinstance(exdates, list) else [exdates]
    skipped = {dt.dt.date() for group in exdates for dt in group.dts}
    occurrences = [when.date() for when in rule if when.date() not in skipped]
    assert occurrences == expected
    assert all(when.hour == 16 for when in rule)
    cancelled_ids = [
        v.decoded("recurrence-id").date() for v in vevents if v.get("STATUS") == "CANCELLED"
    ]
    assert cancelled_ids == [D(2030, 10, 15)]


def fill_weekly_workshop(page, strand) -> None:
    page.fill("#id_title_en", "Strangers and Canaries after-school workshop")
    page.select_option("#id_strand", str(strand.pk))
    page.select_option("#id_event_type", "workshop")
    page.fill("#id_start_0", "01/10/2030")
    page.fill("#id_start_1", "16:00")
    page.fill("#id_end_0", "01/10/2030")
    page.fill("#id_end_1", "17:30")
    page.select_option("#id_repeats", "weekly")
    page.check("input[name=weekdays][value='1']")
    page.check("input[name=ends][value='after']")
    page.fill("#id_repeat_sessions", "3")
    page.select_option("#id_location", "online")
    page.fill("#id_online_url", "https://example.org/join")
    page.select_option("#id_status", "published")


def test_an_editor_adds_an_extra_date_and_sees_it_in_the_preview(page, site):
    from events.models import Event
    from programme.models import Strand

    strand = Strand.objects.order_by("pk").first()
    sign_in_as_editor(page, site)
    page.goto(site.url + "/admin/events/event/add/")
    fill_weekly_workshop(page, strand)
    preview = page.locator("#repeat-preview")
    preview.get_by_text("3 sessions listed (3 going ahead).").wait_for()
    extra = page.get_by_label("Add an extra date")
    assert extra.is_visible()
    extra.fill("01/10/2030 10:00")  # before the first session: refused, in words
    preview.get_by_text("is not after the first session (01/10/2030 16:00)").wait_for()
    extra.fill("")
    # The browser's own pickers write the line the box takes.
    page.get_by_label("Extra date", exact=True).fill("2030-10-12")
    page.get_by_label("Time (24-hour clock)").fill("10:30")
    page.get_by_role("button", name="Add this date").click()
    assert extra.input_value() == "12/10/2030 10:30"
    preview.get_by_text("4 sessions listed (4 going ahead).").wait_for()
    assert "Sat 12/10/2030 10:30 — extra date" in preview.inner_text()
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/**")
    assert page.get_by_label("Add an extra date").input_value() == "12/10/2030 10:30"
    event = Event.objects.get(title="Strangers and Canaries after-school workshop")
    starts = [f"{o.local_start:%d/%m %H:%M}" for o in event.occurrences.all()]
    assert starts == ["01/10 16:00", "08/10 16:00", "12/10 10:30", "15/10 16:00"]
    page.goto(site.url + event.get_absolute_url())
    assert "Saturday 12 October 2030" in page.locator(".other-dates").inner_text()
    assert page.console_errors == []


def test_extra_dates_work_without_javascript(browser, site):
    from events.models import Event
    from programme.models import Strand

    strand = Strand.objects.order_by("pk").first()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in_as_editor(page, site)
        page.goto(site.url + "/admin/events/event/add/")
        fill_weekly_workshop(page, strand)
        page.fill("#id_slug", "after-school-workshop")  # no script fills it from the title
        # Every question of the repeat editor is there, the extra date among them.
        assert page.get_by_label("Add an extra date").is_visible()
        page.get_by_label("Add an extra date").fill("15/10/2030 16:00")
        page.click("input[name=_continue]")
        errors = page.locator(".errorlist").all_inner_texts()
        assert any("15/10/2030 is already a date of this series" in e for e in errors), errors
        page.get_by_label("Add an extra date").fill("15/10/2030 16:00\n2030-10-19")
        page.click("input[name=_continue]")
        errors = page.locator(".errorlist").all_inner_texts()
        assert any("“2030-10-19”: write each extra date" in e for e in errors), errors
        # What was typed is still there, to correct.
        assert page.get_by_label("Add an extra date").input_value() == (
            "15/10/2030 16:00\n2030-10-19"
        )
        page.get_by_label("Add an extra date").fill("19/10/2030")
        page.click("input[name=_continue]")
        page.wait_for_url("**/change/**")
        event = Event.objects.get(title="Strangers and Canaries after-school workshop")
        assert [o.local_start.date() for o in event.occurrences.all()] == [
            D(2030, 10, 1), D(2030, 10, 8), D(2030, 10, 15), D(2030, 10, 19)
        ]  # fmt: skip
    finally:
        context.close()
