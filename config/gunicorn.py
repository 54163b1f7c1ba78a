"""gunicorn settings: ``gunicorn -c config/gunicorn.py config.wsgi``.

Every value has an environment variable, so a deployment changes none of this file:

- ``GUNICORN_BIND``: address to listen on (default 127.0.0.1:8000; behind a proxy on
  another machine, e.g. 0.0.0.0:8000).
- ``GUNICORN_WORKERS``: worker processes (default: two per core plus one; the pages are
  rendered by Python, so more workers than that only add memory).
- ``GUNICORN_THREADS``: threads per worker (default 1, the sync worker).
- ``GUNICORN_TIMEOUT``: seconds before a stuck worker is killed and replaced (default 30).
- ``GUNICORN_ACCESSLOG``: where the access log goes (default ``-``, standard output; ``off`` for
  none).
- ``GUNICORN_MAX_REQUESTS``: recycle a worker after this many requests (default 0, never).
"""

import gc
import multiprocessing
import os


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


bind = _env("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(_env("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(_env("GUNICORN_THREADS", "1"))
timeout = int(_env("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
keepalive = 5
max_requests = int(_env("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Connections waiting for a worker; a burst of registrations queues here instead of failing.
backlog = 2048
# Load the application once in the master: faster worker start, shared memory pages.
preload_app = True

_accesslog = _env("GUNICORN_ACCESSLOG", "-")
accesslog = None if _accesslog == "off" else _accesslog
errorlog = "-"
loglevel = _env("GUNICORN_LOGLEVEL", "info")
# Request line, status, bytes, duration in microseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'


def post_worker_init(worker) -> None:
    """Move what the loaded application allocated out of the garbage collector's sight.

    Django, the URL patterns, the translation catalogues and the models are hundreds of
    thousands of objects that live as long as the worker; without this, every full collection
    walks all of them again while a request waits (gc.freeze; bench/render.py measures pages).
    """
    gc.freeze()
