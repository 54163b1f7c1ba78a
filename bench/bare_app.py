"""A bare Django app for bench/render.py: one view, no middleware, no database, no templates.

Served by gunicorn with the same config as the project (``bare_app:application`` with this
folder on the path): what Django itself costs per request on this machine, in the same run.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("hello", hello)]
application = get_wsgi_application()
