"""Messages are stored when a view adds them, and the storage is not made when none is used."""

from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import empty

from common.middleware import LazyMessageMiddleware


def _through(view, request=None):
    request = request or RequestFactory().get("/")
    SessionMiddleware(view).process_request(request)
    middleware = LazyMessageMiddleware(view)
    middleware.process_request(request)
    return request, middleware.process_response(request, view(request))


def test_a_request_without_messages_makes_no_storage():
    request, response = _through(lambda request: HttpResponse("ok"))
    assert request._messages._wrapped is empty
    assert "messages" not in response.cookies


def test_a_message_added_is_stored_and_read_on_the_next_request():
    def add(request):
        messages.success(request, "Registration received.")
        return HttpResponse("ok")

    _request, response = _through(add)
    assert "messages" in response.cookies  # the cookie storage holds it for the next request
    following = RequestFactory().get("/")
    following.COOKIES["messages"] = response.cookies["messages"].value
    request, _response = _through(lambda request: HttpResponse("ok"), following)
    assert [str(m) for m in get_messages(request)] == ["Registration received."]
