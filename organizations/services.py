"""Rules about institutions that registration and import share."""

import secrets
from bisect import bisect
from collections.abc import Iterable

from django.db.models import Q
from django.utils.text import slugify

from .models import Organization
from .names import normalize_name

CHUNK = 500  # values per IN (...) query


def organization_find_match(*, name: str, uscc: str = "") -> Organization | None:
    """Return the existing institution with this USCC, or else with this normalized name.

    A name matches an institution's English or Chinese name after normalization
    (see ``organizations.names.normalize_name``). When a USCC is given, an institution that has
    a different USCC is a different institution even if the names match.
    """
    return OrganizationIndex([(name, uscc)]).find_match(name=name, uscc=uscc)


def organization_unique_slug(name: str) -> str:
    """Return a slug for a new institution of this name that no institution has yet."""
    return OrganizationIndex([(name, "")]).unique_slug(name)


def _slug_base(name: str) -> str:
    return slugify(name)[:60].strip("-") or "institution"


class OrganizationIndex:
    """The institutions that some (name, USCC) pairs may match, loaded a few hundred at a time.

    It answers as the database would for those pairs: the rules of ``organization_find_match``
    and ``organization_unique_slug`` live here, so an import of thousands of rows asks a few
    queries per 500 rows rather than several per row. ``remember`` keeps it true while an
    import goes (a later row of the file matches an earlier one), also for institutions a
    preview does not save.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        pairs = list(pairs)
        usccs = sorted({uscc for _name, uscc in pairs if uscc})
        keys = sorted({key for name, _uscc in pairs if (key := normalize_name(name))})
        bases = sorted({_slug_base(name) for name, _uscc in pairs})
        found: dict[int, Organization] = {}
        for start in range(0, len(usccs), CHUNK):
            found.update(_by_pk(uscc__in=usccs[start : start + CHUNK]))
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            found.update(
                _by_pk(Q(normalized_name_en__in=chunk) | Q(normalized_name_zh_hans__in=chunk))
            )
        self._slug_bases, self._slug_bases_set = bases, set(bases)
        self._slugs_taken: set[str] | None = None  # loaded when a slug is first asked for
        # Filed by object: an unsaved institution has no primary key yet. It sorts after every
        # saved one, in the order remembered, as it would once inserted.
        self._entries: dict[int, tuple[tuple[int, int], str, set[str]]] = {}
        self._by_uscc: dict[str, Organization] = {}
        self._by_key: dict[str, list[tuple[tuple[int, int], Organization]]] = {}
        self._unsaved = 0
        for pk in sorted(found):
            self._index(found[pk])

    def _index(self, organization: Organization) -> None:
        """File an institution under its USCC and name keys, each list in primary-key order."""
        if organization.pk is None:
            self._unsaved += 1
            order = (1, self._unsaved)
        else:
            order = (0, organization.pk)
        uscc = organization.uscc
        keys = {
            normalize_name(organization.name_en or ""),
            normalize_name(organization.name_zh_hans or ""),
        }
        keys.discard("")
        self._entries[id(organization)] = (order, uscc, keys)
        if uscc:
            self._by_uscc[uscc] = organization
        for key in keys:
            candidates = self._by_key.setdefault(key, [])
            candidates.insert(bisect(candidates, order, key=lambda c: c[0]), (order, organization))

    def _unindex(self, organization: Organization) -> None:
        _order, uscc, keys = self._entries.pop(id(organization))
        if self._by_uscc.get(uscc) is organization:
            del self._by_uscc[uscc]
        for key in keys:
            self._by_key[key] = [c for c in self._by_key[key] if c[1] is not organization]

    def find_match(self, *, name: str, uscc: str = "") -> Organization | None:
        if uscc and (organization := self._by_uscc.get(uscc)):
            return organization
        candidates = [c for _order, c in self._by_key.get(normalize_name(name), [])]
        if uscc:
            candidates = [candidate for candidate in candidates if not candidate.uscc]
        return candidates[0] if candidates else None

    def uscc_owner(self, uscc: str) -> Organization | None:
        """The institution that has this USCC, for pairs this index was built for."""
        return self._by_uscc.get(uscc)

    def unique_slug(self, name: str) -> str:
        if self._slugs_taken is None:
            self._slugs_taken = set()
            for start in range(0, len(self._slug_bases), CHUNK):
                chunk = self._slug_bases[start : start + CHUNK]
                self._slugs_taken.update(
                    Organization.objects.filter(slug__in=chunk).values_list("slug", flat=True)
                )
        base = _slug_base(name)
        slug = base
        while slug in self._slugs_taken or (
            slug not in self._slug_bases_set and Organization.objects.filter(slug=slug).exists()
        ):
            slug = f"{base}-{secrets.token_hex(3)}"
        self._slugs_taken.add(slug)
        return slug

    def remember(self, organization: Organization) -> None:
        """Take in an institution just imported (new, or with new names or USCC)."""
        if id(organization) in self._entries:
            self._unindex(organization)
        self._index(organization)
        if self._slugs_taken is not None:
            self._slugs_taken.add(organization.slug)


def _by_pk(*conditions, **lookup) -> dict[int, Organization]:
    return {
        organization.pk: organization
        for organization in Organization.objects.filter(*conditions, **lookup)
    }
