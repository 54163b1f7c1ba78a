"""The public directory of institutions and one institution's page."""

from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import ListView, TemplateView

from events.cache import ALL, public_page

from . import selectors
from .models import Organization

INSTITUTIONS_PER_PAGE = 50


@method_decorator(public_page(*ALL), name="dispatch")
class OrganizationListView(ListView):
    template_name = "organizations/organization_list.html"
    context_object_name = "organizations"
    paginate_by = INSTITUTIONS_PER_PAGE

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:100]
        kind = self.request.GET.get("kind", "")
        self.kind = kind if kind in Organization.Kind.values else ""
        return selectors.organization_directory(
            user=self.request.user, query=self.query, kind=self.kind
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(query=self.query, kind=self.kind, kinds=Organization.Kind.choices)
        return context


@method_decorator(public_page(*ALL), name="dispatch")
class OrganizationDetailView(TemplateView):
    template_name = "organizations/organization_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = get_object_or_404(
            selectors.organization_visible_list(user=self.request.user), slug=kwargs["slug"]
        )
        context.update(
            organization=organization,
            page=selectors.organization_page(organization=organization, user=self.request.user),
        )
        return context
