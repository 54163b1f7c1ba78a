"""Template context every page needs from this app."""

from functools import cached_property

from .selectors import organizer_contact


class _LazyContact:
    """Read the organizer contact once per page, and only if the page shows it."""

    @cached_property
    def value(self):
        return organizer_contact()


def organizer(request) -> dict:
    return {"organizer": _LazyContact()}
