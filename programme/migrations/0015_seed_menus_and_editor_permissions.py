"""The menus as the site had them built in (issue 13), and content editors may edit them.

The header: Home, Programme, Writers, Writings, Events, Volunteer, About; the footer's
"About this site": Contact, Privacy notice, Accessibility statement, Our supporters. Each
link goes to a section of the site and has no label of its own, so it says the section's
name in the visitor's language, as before. The footer heading is staff-edited text: its
Arabic and Persian are the interface's translations of "About this site".
"""

from django.db import migrations

GROUP = "Content editor"
ALL = ("add", "change", "delete", "view")
PERMISSIONS = {"programme": {"menu": ALL, "menuitem": ALL}}

HEADER = [
    "home",
    "programme:strands",
    "programme:writers",
    "programme:writings",
    "events:list",
    "volunteers:index",
    "programme:about",
]
FOOTER = {
    "heading": {"en": "About this site", "ar": "عن هذا الموقع", "fa": "دربارهٔ این سایت"},
    "sections": [
        "contact:form",
        "programme:privacy",
        "programme:accessibility",
        "programme:supporters",
    ],
}


def seed(apps, schema_editor):
    Menu = apps.get_model("programme", "Menu")
    MenuItem = apps.get_model("programme", "MenuItem")
    if Menu.objects.exists():
        return
    header = Menu.objects.create(place="header", order=0)
    headings = FOOTER["heading"]
    footer = Menu.objects.create(
        place="footer",
        order=0,
        heading=headings["en"],
        **{f"heading_{language}": text for language, text in headings.items()},
    )
    MenuItem.objects.bulk_create(
        [
            *(
                MenuItem(menu=header, order=10 * (n + 1), section=section)
                for n, section in enumerate(HEADER)
            ),
            *(
                MenuItem(menu=footer, order=10 * (n + 1), section=section)
                for n, section in enumerate(FOOTER["sections"])
            ),
        ]
    )


def unseed(apps, schema_editor):
    apps.get_model("programme", "Menu").objects.all().delete()


def grant(apps, schema_editor):
    from core.roles import grant

    grant(apps, GROUP, PERMISSIONS)


def revoke(apps, schema_editor):
    from core.roles import revoke

    revoke(apps, GROUP, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0014_menus"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(grant, revoke),
    ]
