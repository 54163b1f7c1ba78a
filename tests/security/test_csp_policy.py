"""The Content-Security-Policy header built once per process is the library's, nonce included."""

from csp.constants import HEADER, SELF
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from common.middleware import ContentSecurityPolicyMiddleware


def _respond(view) -> tuple:
    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(view)
    middleware.process_request(request)
    return request, middleware.process_response(request, view(request))


def test_a_page_without_a_nonce_gets_the_policy_of_the_settings():
    _request, response = _respond(lambda request: HttpResponse("ok"))
    assert response[HEADER] == build_policy()
    assert "nonce-" not in response[HEADER]


def test_each_request_gets_its_own_nonce_in_the_header():
    def page(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    first, first_response = _respond(page)
    second, second_response = _respond(page)
    assert first_response[HEADER] == build_policy(nonce=first._csp_nonce)
    assert second_response[HEADER] == build_policy(nonce=second._csp_nonce)
    assert first._csp_nonce != second._csp_nonce
    assert f"'nonce-{second._csp_nonce}'" in second_response[HEADER]


def test_a_view_that_changes_the_policy_gets_the_library_build():
    def page(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://tiles.example.org"]}
        return response

    _request, response = _respond(page)
    assert "https://tiles.example.org" in response[HEADER]


def test_a_changed_setting_changes_the_header():
    _respond(lambda request: HttpResponse("ok"))  # the policy of the settings, kept
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": [SELF]}}):
        _request, response = _respond(lambda request: HttpResponse("ok"))
    assert response[HEADER] == "default-src 'self'"
