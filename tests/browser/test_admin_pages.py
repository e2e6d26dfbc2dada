"""Every admin page staff can reach, opened as a browser would: no error, no console error,
no sideways scrolling at 1280 px, and no WCAG 2.2 AA violation.

The list is read from the admin site itself, so a model registered tomorrow is checked
tomorrow without anyone remembering to add it here.
"""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.browser.axe import axe_violations
from tests.browser.conftest import sign_in_as_staff

pytestmark = pytest.mark.browser


def admin_pages() -> list[str]:
    """Each registered model's list, its add form (when staff may add) and one change form."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{prefix}_changelist"))
        try:
            add = reverse(f"{prefix}_add")
        except NoReverseMatch:
            add = None
        if add and model_admin.has_add_permission(_superuser_request()):
            pages.append(add)
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{prefix}_change", args=[first.pk]))
    return sorted(pages)


def _superuser_request():
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_staff=True, is_superuser=True, is_active=True)
    return request


def test_every_admin_page_opens_cleanly_and_accessibly(page, site):
    sign_in_as_staff(page, site)
    problems = []
    for path in admin_pages():
        page.console_errors.clear()
        response = page.goto(site.url + path)
        if response is None or response.status != 200:
            problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
            continue
        if page.console_errors:
            problems.append(f"{path}: console errors {page.console_errors}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow} px at 1280 px")
        problems += [f"{path}: {violation}" for violation in axe_violations(page)]
    assert not problems, "\n".join(problems)
