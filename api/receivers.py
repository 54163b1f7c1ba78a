"""Signals the API app listens to (webhooks); connected from ApiConfig.ready."""


def connect() -> None:
    pass
