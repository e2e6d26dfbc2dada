"""Staff roles as Django groups, with least privilege. Applied by data migrations.

Also who may preview what the public cannot see (drafts, hidden or unconsented writers).
"""

from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.auth.management import create_permissions

CONTENT_EDITOR = "Content editor"

# Content editors keep the programme up to date; they never see volunteers' data.
CONTENT_EDITOR_PERMISSIONS = {
    "programme": {
        "strand": ("view", "add", "change", "delete"),
        "project": ("view", "add", "change", "delete"),
        "writer": ("view", "add", "change", "delete"),
        "work": ("view", "add", "change", "delete"),
        "quote": ("view", "add", "change", "delete"),
        "partner": ("view", "add", "change", "delete"),
        "page": ("view", "add", "change", "delete"),
        "homepage": ("view", "change"),
    },
}


def grant(apps, group_name: str, permissions: dict) -> None:
    """Give `group_name` exactly these permissions for these apps (others untouched)."""
    for app_label in permissions:
        # On a fresh database permissions are only made after all migrations;
        # make them now. The stub app config needs a truthy models_module.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = getattr(app_config, "models_module", None) or True
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    for app_label, models in permissions.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def revoke(apps, group_name: str, permissions: dict) -> None:
    """Take these permissions back from `group_name` (a migration's reverse)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    for app_label, models in permissions.items():
        for model, actions in models.items():
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


def has_second_factor(user) -> bool:
    """Whether this session has passed the second factor the admin asks of staff.

    django-otp's middleware gives the user ``is_verified``; a user without it
    (built outside a request) has not passed one.
    """
    if not settings.STAFF_MFA_REQUIRED:
        return True
    is_verified = getattr(user, "is_verified", None)
    return is_verified is not None and is_verified()


def can_preview(user, model) -> bool:
    """Whether `user` may see `model`'s records the public cannot: drafts, hidden writers.

    Only staff who may change that kind of record, signed in with their second
    factor; everyone else, staff included, gets what the public gets.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}"):
        return False
    return has_second_factor(user)
