"""refuge.middleware.ContentSecurityPolicyMiddleware: Django's, with the policy of an answer
that used no nonce built once (issue 17). Each answer must carry what Django's would."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.csp import CSP, build_policy

from refuge.middleware import ContentSecurityPolicyMiddleware


def answer(response=None, *, use_nonce=False):
    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda request: response or HttpResponse())
    middleware.process_request(request)
    nonce = str(request._csp_nonce) if use_nonce else None
    return middleware.process_response(request, response or HttpResponse()), nonce


def test_an_answer_without_a_nonce_gets_the_settings_policy_every_time(settings):
    expected = build_policy(settings.SECURE_CSP)
    first, _ = answer()
    second, _ = answer()
    assert first[CSP.HEADER_ENFORCE] == second[CSP.HEADER_ENFORCE] == expected
    assert "nonce" not in expected


def test_an_answer_that_used_its_nonce_gets_it_in_its_policy(settings):
    response, nonce = answer(use_nonce=True)
    assert response[CSP.HEADER_ENFORCE] == build_policy(settings.SECURE_CSP, nonce)
    assert f"'nonce-{nonce}'" in response[CSP.HEADER_ENFORCE]
    plain, _ = answer()
    assert nonce not in plain[CSP.HEADER_ENFORCE]


def test_a_changed_setting_is_followed_at_once(settings):
    answer()
    settings.SECURE_CSP = {"default-src": [CSP.NONE]}
    response, _ = answer()
    assert response[CSP.HEADER_ENFORCE] == "default-src 'none'"


def test_report_only_follows_its_own_setting(settings):
    settings.SECURE_CSP_REPORT_ONLY = {"default-src": [CSP.SELF], "report-uri": "/csp/"}
    response, _ = answer()
    assert response[CSP.HEADER_REPORT_ONLY] == "default-src 'self'; report-uri /csp/"


@pytest.mark.parametrize("use_nonce", [False, True])
def test_a_view_s_own_policy_header_or_config_wins(settings, use_nonce):
    own_header = HttpResponse()
    own_header[CSP.HEADER_ENFORCE] = "default-src 'self' example.org"
    assert answer(own_header, use_nonce=use_nonce)[0][CSP.HEADER_ENFORCE] == (
        "default-src 'self' example.org"
    )
    switched_off = HttpResponse()
    switched_off._csp_config = {}
    assert CSP.HEADER_ENFORCE not in answer(switched_off, use_nonce=use_nonce)[0]
    own_config = HttpResponse()
    own_config._csp_config = {"img-src": [CSP.SELF, "data:"]}
    assert answer(own_config, use_nonce=use_nonce)[0][CSP.HEADER_ENFORCE] == (
        "img-src 'self' data:"
    )
