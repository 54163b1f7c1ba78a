"""sitemap.xml: every public page in both languages, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
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


class OrganizationSitemap(LanguageSitemap):
    def items(self):
        return Organization.objects.filter(is_public=True).only("slug", "updated_at").order_by("pk")

    def lastmod(self, organization: Organization):
        return organization.updated_at


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
