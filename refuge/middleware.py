"""The project's own request guards: methods no page uses, and bodies no page takes."""

import functools
import logging
import time

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoCSPMiddleware
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve, reverse
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Every method a page, a form or the admin uses. TRACE, PUT, PATCH, DELETE and the
# rest reach no view: Django's class-based views refuse them (except PUT, which a
# FormView takes for a POST), but function views, the feeds and the sitemap answered
# any method, and the admin redirected them to its login page.
ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


class ContentSecurityPolicyMiddleware(DjangoCSPMiddleware):
    """Django's CSP middleware, with the policy of an answer that used no nonce built once.

    Most answers use none (every page from the page cache, every document): their policy
    is the same string each time, and Django built it afresh from the settings' dict for
    each (a tenth of a cached page's time in the worker). An answer whose nonce was used
    gets Django's own, with its nonce.
    """

    def process_response(self, request, response):
        if get_nonce(request):  # made, so used: this answer's own policy
            return super().process_response(request, response)
        for header, config in (
            (CSP.HEADER_ENFORCE, getattr(response, "_csp_config", settings.SECURE_CSP)),
            (
                CSP.HEADER_REPORT_ONLY,
                getattr(response, "_csp_ro_config", settings.SECURE_CSP_REPORT_ONLY),
            ),
        ):
            # As Django's: a header the view set stays; an empty config adds none.
            if config and header not in response:
                response.headers[str(header)] = _policy_without_nonce(config)
        return response


# id(config) -> (config, policy): holding the config keeps its id from being reused.
_policies: dict[int, tuple[dict, str]] = {}


def _policy_without_nonce(config: dict) -> str:
    held = _policies.get(id(config))
    if held is None or held[0] is not config:
        held = _policies[id(config)] = (config, build_policy(config))
        if len(_policies) > 64:  # configs made per response (a view's own): never many kept
            _policies.clear()
            _policies[id(config)] = held
    return held[1]


class GuardMiddleware:
    """What every request and every answer passes, cached pages and refusals included.

    On the way in: 405 to any method outside ``ALLOWED_METHODS``, before any view runs;
    400 to an admin address whose query string carries a NUL byte (PostgreSQL refuses one
    in any text, so no admin filter, search or autocomplete could use it; public views
    clean their own parameters and answer with a friendly page). On the way out: the
    framing and Permissions-Policy headers. And a view that found PostgreSQL unreachable
    answers 503 with Retry-After instead of a 500.

    One middleware where there were four (Django's X-Frame-Options among them): each
    costs every request a call, and the floor is what every page pays (issue 17).
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            response = HttpResponseNotAllowed(self.allowed_at(request.path_info))
        elif (
            request.META.get("QUERY_STRING")
            and request.path_info.startswith(_admin_prefix())
            and _has_nul(request.GET)
        ):
            response = HttpResponseBadRequest(_("This address has a character no page takes."))
        else:
            response = self.get_response(request)
        headers = response.headers
        if "X-Frame-Options" not in headers and not getattr(
            response, "xframe_options_exempt", False
        ):
            headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    def process_exception(self, request, exception):
        """While PostgreSQL is unreachable: 503, Retry-After, and nothing lost (a form that
        could not be saved says so; the browser keeps what was typed). The page itself
        makes no query (the database is why we are here)."""
        from django.db import InterfaceError, OperationalError
        from django.shortcuts import render

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("Database unavailable: %s", type(exception).__name__)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def allowed_at(path: str) -> list[str]:
        """What the Allow header lists: a class-based view's own methods, where known."""
        try:
            view_class = getattr(resolve(path).func, "view_class", None)
        except Resolver404:
            view_class = None
        if view_class is None:
            return list(ALLOWED_METHODS)
        handled = {name for name in view_class.http_method_names if hasattr(view_class, name)}
        if "get" in handled:
            handled.add("head")  # View.setup answers HEAD with get()
        return [method for method in ALLOWED_METHODS if method.lower() in handled]


@functools.cache
def _admin_prefix() -> str:
    return reverse("admin:index")


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in query.lists())  # fmt: skip


class FilePartRefusedError(MultiPartParserError):
    """A request that may not upload files carried one."""


class RefuseFilesUploadHandler(FileUploadHandler):
    """Reads a form's fields but stops at its first file, before any of it is stored."""

    def new_file(self, *args, **kwargs):
        raise FilePartRefusedError("This request may not upload files.")

    def receive_data_chunk(self, raw_data, start):  # never reached: new_file refuses
        return None

    def file_complete(self, file_size):
        return None


def _content_length(request) -> int:
    try:
        return max(int(request.headers.get("content-length") or 0), 0)
    except ValueError:
        return 0


class RequestBodyMiddleware:
    """Bounds what a request may send, before anything reads it.

    Only staff signed in to the admin (second factor included, as the admin itself
    asks) may upload files, in a body of at most ``UPLOAD_REQUEST_MAX_BYTES``. Any
    other body is at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413 otherwise), and a form
    posted with a file in it is refused with a 400 at the file's first byte, so
    nothing an anonymous visitor sends is spooled to disk. Django alone would count
    only the fields against that limit and store files of any size.

    Below the authentication middleware, as it asks who is posting; above the CSRF
    middleware, the first to read a form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _content_length(request)
        if not length:
            return self.get_response(request)
        # Only a POST is read as a form, and only then is the user looked up.
        takes_files = request.method == "POST" and self._staff_in_admin(request)
        limit = (
            settings.UPLOAD_REQUEST_MAX_BYTES
            if takes_files
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            logger.warning("Request body refused: %d bytes, limit %d", length, limit)
            return self._refusal(_("The request is larger than this address accepts."), 413)
        if (
            request.method == "POST"
            and not takes_files
            and request.content_type == "multipart/form-data"
        ):
            request.upload_handlers = [RefuseFilesUploadHandler(request)]
            try:
                request.POST  # noqa: B018 (parsed here, so the first file part stops it)
            except FilePartRefusedError:
                logger.warning("Request body refused: a file part where none is taken")
                return self._refusal(_("This address takes no files."), 400)
        return self.get_response(request)

    @staticmethod
    def _staff_in_admin(request) -> bool:
        from django.contrib import admin

        return request.path.startswith(reverse("admin:index")) and admin.site.has_permission(
            request
        )

    @staticmethod
    def _refusal(message: str, status: int) -> HttpResponse:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response


class SessionActivityMiddleware:
    """Keeps a signed-in session alive while it is used, with one write a minute at most.

    Sessions are saved only when they change (``SESSION_SAVE_EVERY_REQUEST`` is off): a
    visitor who is not signed in costs no session write, and a stale ``sessionid`` none
    either. A session ends ``SESSION_IDLE_MINUTES`` after it was last saved (its row's
    expiry and its cookie's max-age both say so), so for a signed-in user this stamps the
    session with the time whenever its stamp is older than ``ACTIVITY_RESOLUTION``
    seconds: the stamp changes, Django saves the session and renews the cookie. An idle
    session thus ends between ``SESSION_IDLE_MINUTES`` less a minute and
    ``SESSION_IDLE_MINUTES`` after its last request. Below AuthenticationMiddleware.
    """

    STAMP = "refuge_active_at"
    ACTIVITY_RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(self.STAMP, 0) >= self.ACTIVITY_RESOLUTION:
                request.session[self.STAMP] = now
        return self.get_response(request)
