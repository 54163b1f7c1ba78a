import socket

import pytest

from tests import smtp_sink


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    """Call smtp_server(delay=...) to start a loopback SMTP server; stopped at teardown.

    ``server.handler.messages`` lists what it accepted.
    """
    started = []

    def start(delay: float = 0.0):
        controller = smtp_sink.start(smtp_port, delay=delay)
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def real_smtp(settings, smtp_port) -> int:
    """Django's SMTP backend pointed at the loopback port (nothing listens until smtp_server)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_port, 5
    return smtp_port
