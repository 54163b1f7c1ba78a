"""Reads of institutions that more than one audience app needs."""

import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value

from .models import OrganizerContact


def organizer_contact() -> OrganizerContact | None:
    """Return the contact the public pages give for the organizer, if staff entered one (the
    admin adds no second; the first is the one, should a second come back from a history)."""
    return OrganizerContact.objects.order_by("pk").first()


def organizer_email() -> str:
    """The organizer's address for questions: the contact staff entered, else the setting."""
    contact = organizer_contact()
    return contact.email if contact is not None and contact.email else settings.ORGANIZER_EMAIL


# --- name search ------------------------------------------------------------------------------

# Han characters (CJK unified ideographs, extension A, compatibility ideographs).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class NameGrams(Func):
    """``vcday_name_grams(name)``: the characters and adjacent pairs of a name (PostgreSQL,
    organizations migration 0006; a GIN index serves it)."""

    function = "vcday_name_grams"
    output_field = ArrayField(TextField())


def name_grams(query: str) -> list[str]:
    """The index keys a name containing ``query`` must have: its pairs of adjacent Han
    characters, or its Han characters when it has no such pair. Latin letters are left to
    ``LIKE``, which ignores their case (the index does not)."""
    pairs = {query[i : i + 2] for i in range(len(query) - 1)}
    grams = {pair for pair in pairs if len(HAN.findall(pair)) == 2}
    return sorted(grams or set(HAN.findall(query)))


def organization_name_q(query: str, *, prefix: str = "") -> Q:
    """Institutions whose name in either language contains ``query`` (case-insensitive).

    On PostgreSQL, a query with Chinese characters is first narrowed by the n-gram index (any
    length, from one character); other queries use the trigram indexes on the upper-cased names
    (``icontains`` compiles to ``UPPER(col) LIKE UPPER(%s)``; three characters or more).
    """
    chinese = Q(**{f"{prefix}name_zh_hans__icontains": query})
    if not HAN.search(query):
        return Q(**{f"{prefix}name_en__icontains": query}) | chinese
    grams = name_grams(query)
    if grams and connection.vendor == "postgresql":
        contains = DataContains(
            NameGrams(F(f"{prefix}name_zh_hans")),
            Value(grams, output_field=ArrayField(TextField())),
        )
        return Q(contains) & chinese
    return chinese
