"""The coordinators' admin: who sees what, the changelist, actions, notes, exports, erasure."""

import csv
import io
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from tests.conftest import verify_second_factor
from tests.volunteers.factories import (
    NoteFactory,
    VolunteerApplicationFactory,
    VolunteerRoleFactory,
)
from volunteers.admin import spreadsheet_safe
from volunteers.models import Note, PurgedApplicationCount, QueuedEmail, VolunteerApplication

CHANGELIST = "/admin/volunteers/volunteerapplication/"


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(
        "coordinator", email="coord@example.org", password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Volunteer coordinator"))
    return user


@pytest.fixture
def content_editor(django_user_model):
    """A staff member in the Content editor group (core/roles.py)."""
    user = django_user_model.objects.create_user(
        "editor", password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Content editor"))
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    verify_second_factor(client, coordinator)
    return client


@pytest.fixture
def mentor_role(db):
    return VolunteerRoleFactory(title="Mentor for young writers", needs_dbs_check=True)


# ---------------------------------------------------------------- who sees what
@pytest.mark.django_db
def test_coordinator_group_is_created_by_migration_with_volunteer_permissions_only():
    group = Group.objects.get(name="Volunteer coordinator")
    codenames = set(group.permissions.values_list("codename", flat=True))
    expected = {
        "view_volunteerapplication",
        "change_volunteerapplication",
        "delete_volunteerapplication",
        "add_note",
        "change_volunteerrole",
    }
    assert expected <= codenames
    assert set(group.permissions.values_list("content_type__app_label", flat=True)) == {
        "volunteers"
    }


@pytest.mark.django_db
def test_content_editors_do_not_see_volunteers(client, content_editor):
    VolunteerApplicationFactory(name="Hidden From Editors")
    verify_second_factor(client, content_editor)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get("/admin/volunteers/volunteerrole/").status_code == 403
    home = client.get("/admin/").content.decode()
    assert "Volunteer applications" not in home
    assert 'id="volunteers-panel"' not in home
    assert "Hidden From Editors" not in home


@pytest.mark.django_db
def test_coordinators_see_volunteers_and_nothing_of_the_programme(coordinator_client):
    assert coordinator_client.get(CHANGELIST).status_code == 200
    assert coordinator_client.get("/admin/volunteers/volunteerrole/").status_code == 200
    assert coordinator_client.get("/admin/programme/strand/").status_code == 403
    assert coordinator_client.get("/admin/programme/writer/").status_code == 403


@pytest.mark.django_db
def test_the_public_cannot_reach_the_changelist(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_admin_home_counts_new_confirmed_applications(coordinator_client):
    VolunteerApplicationFactory.create_batch(2)
    VolunteerApplicationFactory(email_confirmed_at=None)  # not confirmed: not counted
    VolunteerApplicationFactory(status="contacted")  # already acted on
    html = coordinator_client.get("/admin/").content.decode()
    assert 'id="volunteers-panel"' in html
    assert "2 new confirmed applications await" in html


# ---------------------------------------------------------------- the changelist
@pytest.mark.django_db
def test_changelist_shows_only_confirmed_applications_with_every_column(
    coordinator_client, mentor_role
):
    VolunteerApplicationFactory(
        name="Amira Haddad",
        email="amira@example.org",
        languages=["Arabic", "French"],
        availability=["weekends"],
        dbs_check="no",
        roles=[mentor_role],
    )
    VolunteerApplicationFactory(name="Not Yet Confirmed", email_confirmed_at=None)
    html = coordinator_client.get(CHANGELIST).content.decode()
    assert "Amira Haddad" in html
    assert "amira@example.org" in html
    assert "Mentor for young writers" in html
    # Languages and availability are filters, not columns (the list fits 1280 px).
    assert "?languages=Arabic" in html or "Arabic" in html
    assert "Weekends" in html
    assert "a chosen role needs one" in html  # the DBS flag
    assert "Not Yet Confirmed" not in html


@pytest.mark.django_db
def test_dbs_flag_only_where_a_chosen_role_needs_a_check_they_lack(mentor_role):
    steward = VolunteerRoleFactory(needs_dbs_check=False)
    flagged = VolunteerApplicationFactory(dbs_check="not-sure", roles=[mentor_role, steward])
    has_check = VolunteerApplicationFactory(dbs_check="yes", roles=[mentor_role])
    no_need = VolunteerApplicationFactory(dbs_check="no", roles=[steward])
    flags = dict(VolunteerApplication.objects.with_dbs_flag().values_list("pk", "needs_dbs_flag"))
    assert flags == {flagged.pk: True, has_check.pk: False, no_need.pk: False}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
def test_changelist_query_count_does_not_grow(
    coordinator_client, mentor_role, count, django_assert_max_num_queries
):
    for _ in range(count):
        VolunteerApplicationFactory(roles=[mentor_role])
    with django_assert_max_num_queries(20):
        response = coordinator_client.get(CHANGELIST)
    assert response.content.decode().count('class="action-select"') == count


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("q=amira", True),
        ("q=example.org", True),
        ("q=tigrinya", True),
        ("q=nobody", False),
        ("availability=weekends", True),
        ("availability=weekday-daytimes", False),
        ("language=Tigrinya", True),
        ("language=Polish", False),
        ("dbs_check__exact=no", True),
        ("dbs_flag=yes", True),
        ("confirmed=yes", True),
        ("status__exact=new", True),
        ("status__exact=active", False),
    ],
)
def test_changelist_search_and_filters(coordinator_client, mentor_role, query, found):
    VolunteerApplicationFactory(
        name="Amira Haddad",
        email="amira@example.org",
        languages=["Tigrinya"],
        availability=["weekends"],
        dbs_check="no",
        roles=[mentor_role],
    )
    html = coordinator_client.get(f"{CHANGELIST}?{query}").content.decode()
    assert ("Amira Haddad" in html) is found


@pytest.mark.django_db
def test_filter_by_role(coordinator_client, mentor_role):
    VolunteerApplicationFactory(name="Mentor Applicant", roles=[mentor_role])
    VolunteerApplicationFactory(name="Steward Applicant", roles=[VolunteerRoleFactory()])
    html = coordinator_client.get(f"{CHANGELIST}?roles__id__exact={mentor_role.pk}").content
    assert b"Mentor Applicant" in html
    assert b"Steward Applicant" not in html


# ---------------------------------------------------------------- actions
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_contacted", "contacted"), ("mark_active", "active"), ("mark_declined", "declined")],
)
def test_status_actions(coordinator_client, action, status):
    applications = VolunteerApplicationFactory.create_batch(2)
    response = coordinator_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in applications]},
        follow=True,
    )
    assert f"2 applications marked {status}." in response.content.decode()
    assert set(VolunteerApplication.objects.values_list("status", flat=True)) == {status}
    assert LogEntry.objects.filter(object_id=str(applications[0].pk)).exists()


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+44 1603 123456", "'+44 1603 123456"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Amira", "Amira"),
        ("a=b", "a=b"),
        (12, "12"),
    ],
)  # fmt: skip
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


@pytest.mark.django_db
def test_csv_export_is_safe_in_spreadsheets(coordinator_client, mentor_role):
    evil = VolunteerApplicationFactory(
        name="=cmd|' /C calc'!A0",
        phone="+44 1603 123456",
        area="@NR2",
        message="-1+1",
        roles=[mentor_role],
    )
    VolunteerApplicationFactory(name="Not Selected")
    response = coordinator_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [evil.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert len(rows) == 2
    record = dict(zip(header, row, strict=True))
    assert record["Name"] == "'=cmd|' /C calc'!A0"
    assert record["Phone"] == "'+44 1603 123456"
    assert record["Area"] == "'@NR2"
    assert record["Message"] == "'-1+1"
    assert record["Roles"] == "Mentor for young writers"
    assert record["DBS check needed"] == "Yes"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.django_db
def test_a_dbs_question_not_asked_reads_not_asked(coordinator_client):
    steward = VolunteerRoleFactory(title="Event steward", needs_dbs_check=False)
    application = VolunteerApplicationFactory(name="Never Asked", dbs_check="", roles=[steward])
    html = coordinator_client.get(CHANGELIST).content.decode()
    assert "Not asked" in html
    assert "a chosen role needs one" not in html
    response = coordinator_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [application.pk]}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["DBS check"] == "Not asked"
    assert record["DBS check needed"] == "No"
    change = coordinator_client.get(f"{CHANGELIST}{application.pk}/change/")
    assert change.status_code == 200


# ---------------------------------------------------------------- notes
@pytest.mark.django_db
def test_notes_inline_records_author_and_time(coordinator_client, coordinator):
    application = VolunteerApplicationFactory()
    url = f"{CHANGELIST}{application.pk}/change/"
    page = coordinator_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "roles": [],
            "languages": ",".join(application.languages),
            "availability": application.availability,
            "notes-TOTAL_FORMS": "1",
            "notes-INITIAL_FORMS": "0",
            "notes-MIN_NUM_FORMS": "0",
            "notes-MAX_NUM_FORMS": "1000",
            "notes-0-text": "Phoned on Monday; will steward in June.",
            "_continue": "1",
        }
    )
    data["roles"] = [VolunteerRoleFactory().pk]
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    note = Note.objects.get()
    assert note.author == coordinator
    assert note.created_at is not None
    html = coordinator_client.get(url).content.decode()
    assert "Phoned on Monday" in html
    assert "coordinator" in html


# ---------------------------------------------------------------- subject access and erasure
@pytest.mark.django_db
def test_subject_access_export_has_everything_about_one_person(coordinator_client, mentor_role):
    application = VolunteerApplicationFactory(name="Amira Haddad", roles=[mentor_role])
    NoteFactory(application=application, text="Met at the library.")
    response = coordinator_client.post(
        CHANGELIST, {"action": "export_subject_access", "_selected_action": [application.pk]}
    )
    data = json.loads(response.content)
    assert data["application"]["name"] == "Amira Haddad"
    assert data["application"]["roles"] == ["Mentor for young writers"]
    assert data["application"]["privacy_notice_version"] == "1.0"
    assert data["notes"][0]["text"] == "Met at the library."


@pytest.mark.django_db
def test_subject_access_export_needs_exactly_one(coordinator_client):
    applications = VolunteerApplicationFactory.create_batch(2)
    response = coordinator_client.post(
        CHANGELIST,
        {"action": "export_subject_access", "_selected_action": [a.pk for a in applications]},
        follow=True,
    )
    assert "Choose exactly one application" in response.content.decode()


@pytest.mark.django_db
def test_erasure_reaches_notes_history_and_queued_emails(coordinator_client, coordinator):
    application = VolunteerApplicationFactory(name="Amira Haddad")
    NoteFactory(application=application, text="Lives near the cathedral.")
    QueuedEmail.objects.create(
        application=application, kind="confirm", to=[application.email],
        subject="s", text_body="Dear Amira Haddad",
    )  # fmt: skip
    # History written before our __str__ hid names (or by hand) must go too.
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(VolunteerApplication),
        object_id=str(application.pk),
        object_repr="Amira Haddad",
        action_flag=2,
        change_message="Amira Haddad",
    )
    url = f"{CHANGELIST}{application.pk}/delete/"
    assert "Application #" in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not VolunteerApplication.objects.exists()
    assert not Note.objects.exists()
    assert not QueuedEmail.objects.exists()
    entries = LogEntry.objects.filter(object_id=str(application.pk))
    assert entries.count() == 2  # our old entry and the deletion itself: who and when remain
    for entry in entries:
        assert "Amira" not in entry.object_repr
        assert "Amira" not in entry.change_message
    assert PurgedApplicationCount.objects.get().reason == "erased"
    # The audit history's full copies of the application are gone too.
    assert not VolunteerApplication.history.filter(id=application.pk).exists()


@pytest.mark.django_db
def test_bulk_delete_action_erases_too(coordinator_client):
    applications = VolunteerApplicationFactory.create_batch(2)
    for application in applications:
        NoteFactory(application=application)
    coordinator_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [a.pk for a in applications],
         "post": "yes"},
    )  # fmt: skip
    assert not VolunteerApplication.objects.exists()
    assert not Note.objects.exists()
    assert PurgedApplicationCount.objects.get().count == 2


@pytest.mark.django_db
def test_an_applications_name_never_enters_the_history(coordinator_client):
    application = VolunteerApplicationFactory(name="Amira Haddad")
    coordinator_client.post(
        CHANGELIST, {"action": "mark_contacted", "_selected_action": [application.pk]}
    )
    entry = LogEntry.objects.get()
    assert entry.object_repr == f"Application #{application.pk}"


@pytest.mark.django_db
def test_roles_admin(coordinator_client):
    VolunteerRoleFactory(title="Event steward", needs_dbs_check=False)
    html = coordinator_client.get("/admin/volunteers/volunteerrole/?q=steward").content.decode()
    assert "Event steward" in html


@pytest.mark.django_db
def test_the_roles_filter_has_no_empty_entry(coordinator_client, mentor_role):
    VolunteerRoleFactory(title="Steward at events")
    VolunteerApplicationFactory()
    content = coordinator_client.get(CHANGELIST).content.decode()
    assert "Mentor for young writers" in content
    assert "roles__isnull" not in content
