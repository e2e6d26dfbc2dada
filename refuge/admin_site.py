"""The staff admin: branded, and guarded by a second factor (TOTP) when required.

With ``STAFF_MFA_REQUIRED`` on, staff must prove a one-time code from an
authenticator app (or a recovery code) before the admin opens; staff without
a device are sent to enrol one after their password. The login page says the
same thing whatever was wrong, so it reveals no usernames.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import (
    LoginView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import can_preview, has_second_factor
from refuge import login_limits

RECOVERY_CODE_COUNT = 10


class StaffLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=16,
        help_text=_("From your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        # One message for a wrong password, a wrong code or an unknown user.
        "invalid_login": _(
            "Please enter the correct username, password and, if you have set one up, "
            "authentication code. Note that the fields may be case-sensitive."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and login_limits.username_slowed(self.request, username):
            raise ValidationError(login_limits.TRY_AGAIN_IN_A_MINUTE, code="slowed")
        cleaned = super().clean()
        user = self.get_user()
        self.otp_device = None
        if user is not None and user_has_device(user):
            token = (cleaned.get("otp_token") or "").replace(" ", "")
            device = match_token(user, token) if token else None
            if device is None:
                raise ValidationError(
                    self.error_messages["invalid_login"],
                    code="invalid_login",
                    params={"username": self.username_field.verbose_name},
                )
            self.otp_device = device
        return cleaned


class StaffLoginView(LoginView):
    def form_valid(self, form):
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        elif settings.STAFF_MFA_REQUIRED:
            return HttpResponseRedirect(reverse("admin:mfa_setup"))
        return response


class ConfirmDeviceForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def qr_code_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


# Sections from the libraries we use, named in the programme's words (in the app list,
# headings and breadcrumbs alike), and the models inside them.
SECTION_NAMES = {
    "auth": _("Staff accounts"),
    "otp_totp": _("Two-factor devices"),
    "otp_static": _("Recovery codes"),
    "axes": _("Login lockouts"),
}
MODEL_NAMES = {
    ("otp_totp", "totpdevice"): _("Authenticator apps"),
    ("otp_static", "staticdevice"): _("Recovery code sets"),
    ("axes", "accessattempt"): _("Locked-out sign-ins"),
}
# Registered (superusers may open them by address) but kept out of the staff's list.
HIDDEN_FROM_LIST = {("axes", "accesslog"), ("axes", "accessfailurelog")}


class RefugeAdminSite(admin.AdminSite):
    site_header = settings.PORTAL["NAME"]
    site_title = settings.PORTAL["NAME"]
    index_title = _("Site administration")
    login_form = StaffLoginForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.apps import apps

        for label, name in SECTION_NAMES.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name

    def get_app_list(self, request, app_label=None):
        app_list = []
        for app in super().get_app_list(request, app_label):
            app["models"] = [
                {
                    **model,
                    "name": MODEL_NAMES.get(
                        (app["app_label"], model["object_name"].lower()), model["name"]
                    ),
                }
                for model in app["models"]
                if (app["app_label"], model["object_name"].lower()) not in HIDDEN_FROM_LIST
            ]
            if app["models"]:
                app_list.append(app)
        return app_list

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return has_second_factor(request.user)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Django's admin login, with our form and view (second factor, enrolment)."""
        redirect_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        if (
            request.method == "GET"
            and request.user.is_active
            and request.user.is_staff
            and settings.STAFF_MFA_REQUIRED
            and not user_has_device(request.user)
        ):
            return HttpResponseRedirect(reverse("admin:mfa_setup"))
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return StaffLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template or "admin/login.html",
        )(request)

    def get_urls(self):
        return [
            path("mfa/setup/", never_cache(self.mfa_setup), name="mfa_setup"),
            # Ours before Django's, which has the same route and name.
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *super().get_urls(),
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" redirect, only for those who may preview that kind of
        record (core/roles.py); a redirect would name a hidden writer's page to others."""
        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        if model is None or not can_preview(request.user, model):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def _finish_enrolment(self, request, device):
        device.confirmed = True
        device.save()
        recovery = StaticDevice.objects.create(user=request.user, name="Recovery codes")
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        for code in codes:
            recovery.token_set.create(token=code)
        otp_login(request, device)
        return render(
            request,
            "admin/mfa_recovery_codes.html",
            {**self.each_context(request), "title": _("Your recovery codes"), "codes": codes},
        )

    def mfa_setup(self, request):
        """Enrol an authenticator app: scan, confirm one code, keep the recovery codes."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return HttpResponseRedirect(reverse("admin:login"))
        if user_has_device(user) and not request.user.is_verified():
            return HttpResponseRedirect(reverse("admin:login"))
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator app"}
        )
        form = ConfirmDeviceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            allowed, _why = device.verify_is_allowed()
            if allowed and device.verify_token(form.cleaned_data["token"].replace(" ", "")):
                return self._finish_enrolment(request, device)
            form.add_error(
                "token",
                _(
                    "That code did not match. Check your phone’s clock, wait a few seconds "
                    "and try the newest code."
                ),
            )
        secret = base64.b32encode(device.bin_key).decode()
        return render(
            request,
            "admin/mfa_setup.html",
            {
                **self.each_context(request),
                "title": _("Set up two-factor sign-in"),
                "form": form,
                "qr_code": qr_code_data_uri(device.config_url),
                "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                "existing_devices": list(devices_for_user(user)),
            },
        )


class AdminPageMixin:
    """Django's auth views dressed as admin pages (header, title, theme)."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class StaffPasswordResetView(AdminPageMixin, PasswordResetView):
    def form_valid(self, form):
        # Past the limit, the same answer and no mail: it says nothing about the address.
        if not login_limits.reset_mail_allowed(form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class StaffPasswordResetDoneView(AdminPageMixin, PasswordResetDoneView):
    pass


class StaffPasswordResetConfirmView(AdminPageMixin, PasswordResetConfirmView):
    pass


class StaffPasswordResetCompleteView(AdminPageMixin, PasswordResetCompleteView):
    pass
