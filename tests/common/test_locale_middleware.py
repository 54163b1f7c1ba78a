"""The language chosen and the headers are Django's LocaleMiddleware's, on every kind of path."""

import pytest
from django.http import HttpResponse, HttpResponseNotFound
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.test import RequestFactory
from django.utils import translation

from common.middleware import LocaleMiddleware


@pytest.mark.parametrize(
    "path", ["/healthz", "/api/v1/events/", "/zh-hans/institutions/", "/en/", "/institutions/"]
)
@pytest.mark.parametrize(
    "headers",
    [{}, {"accept-language": "zh-CN,zh;q=0.9"}, {"cookie": "django_language=zh-hans"}],
    ids=["none", "accept-language", "cookie"],
)
@pytest.mark.parametrize("status", [200, 404])
def test_answers_are_those_of_django_middleware(path, headers, status):
    def view(request):
        return HttpResponse("ok") if status == 200 else HttpResponseNotFound("no")

    answers = []
    for middleware_class in (DjangoLocaleMiddleware, LocaleMiddleware):
        request = RequestFactory().get(path, headers=headers)
        with translation.override(None):
            response = middleware_class(view)(request)
        answers.append((request.LANGUAGE_CODE, response.status_code, sorted(response.items())))
    assert answers[0] == answers[1]
