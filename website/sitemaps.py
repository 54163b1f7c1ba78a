"""The sitemap: an index (sitemap.xml) of sections (sitemap-<section>.xml), every public page
in both languages with hreflang alternates.

Django's sitemap paginates a section by building the list of all its items first; the
institutions section, possibly a million rows, is instead cut by ranges of ids, so that the
index asks for one number (the highest id) and each page reads one range from the primary key.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, Min
from django.urls import reverse

from events.models import Agreement, Event, Series
from organizations.models import Organization

from . import selectors


class LanguageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(LanguageSitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["events:home", "events:list", "organizations:list", "events:agreement_list"]

    def location(self, item: str) -> str:
        return reverse(item)


class EventSitemap(LanguageSitemap):
    changefreq = "weekly"

    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, event: Event):
        return event.updated_at


class SeriesSitemap(LanguageSitemap):
    def items(self):
        return Series.objects.only("slug").order_by("pk")


@dataclass
class IdRangePage:
    object_list: list


class IdRangePaginator:
    """Pages of ``per_page`` consecutive ids from the lowest, in the shape Django's sitemap
    views use (``num_pages``, ``page(n).object_list``)."""

    def __init__(self, sitemap: "OrganizationSitemap", per_page: int):
        self.sitemap, self.per_page = sitemap, per_page
        self._bounds = None

    def bounds(self) -> tuple[int, int]:
        if self._bounds is None:
            found = self.sitemap.items().aggregate(low=Min("pk"), high=Max("pk"))
            self._bounds = (found["low"] or 1, found["high"] or 0)
        return self._bounds

    @property
    def num_pages(self) -> int:
        low, high = self.bounds()
        return max(1, -(-(high - low + 1) // self.per_page))

    def page(self, number) -> IdRangePage:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(str(error)) from error
        if number < 1:
            raise EmptyPage(number)
        if number > self.num_pages:
            raise EmptyPage(number)
        start = self.bounds()[0] - 1 + (number - 1) * self.per_page
        rows = list(self.sitemap.items().filter(pk__gt=start, pk__lte=start + self.per_page))
        languages = [code for code, _name in settings.LANGUAGES]
        return IdRangePage([(row, code) for row in rows for code in languages])


class OrganizationSitemap(LanguageSitemap):
    #: Ids per page: with two languages, at most 50,000 addresses (the protocol's limit).
    ids_per_page = 25000

    def items(self):
        return Organization.objects.filter(is_public=True).only("slug", "updated_at").order_by("pk")

    def lastmod(self, organization: Organization):
        return organization.updated_at

    @property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self, self.ids_per_page)

    def get_latest_lastmod(self):
        return None  # the index names no date rather than read every institution


class AgreementSitemap(LanguageSitemap):
    def items(self):
        return (
            selectors.agreement_visible_list()
            .prefetch_related(None)
            .select_related(None)
            .only("pk")
            .order_by("pk")
        )

    def location(self, agreement: Agreement) -> str:
        return reverse("events:agreement_detail", kwargs={"pk": agreement.pk})


sitemaps = {
    "pages": StaticSitemap,
    "events": EventSitemap,
    "series": SeriesSitemap,
    "institutions": OrganizationSitemap,
    "agreements": AgreementSitemap,
}
