"""LanguageMiddleware: the interface language, from the address alone, before any cache.

The visitors' pages are in ``i18n_patterns`` with ``prefix_default_language=False``
(refuge/urls.py): ``/ar/…`` is Arabic, ``/fa/…`` Persian, and every unprefixed address is
English, whatever the browser's ``Accept-Language`` or a cookie says. So the address names
the language, and one address is always one language: a page kept under its address
(``core.caching.middleware``) can never be served in another.

Django's ``LocaleMiddleware`` does the choosing. This subclass sits above the page cache,
so the language is active before the cache computes its key or resolves the address (an
``i18n_patterns`` resolver matches by the active language). Its one change: no
``Vary: Accept-Language``. Django adds it to every unprefixed answer in case the language
came from the header; ours never does, and the header would only split shared caches (a
CDN would keep one English page per browser language). A redirect chosen by
``Accept-Language`` would have to say ``Vary: Accept-Language``; the portal makes none.
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageMiddleware(LocaleMiddleware):
    """Activates the address's language; says ``Content-Language``, never varies by header."""

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_language_prefix_patterns_used(urlconf) != (True, False):
            return super().process_request(request)
        # What Django's decides here, without first reading the cookie and Accept-Language
        # only to set them aside (every request pays this, cached pages included).
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        # Django's own would redirect a 404 to a prefixed address only when the default
        # language is prefixed (it is not here), and would add Vary: Accept-Language.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
