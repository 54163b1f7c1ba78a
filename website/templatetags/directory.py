"""The rows of an institution table, built in one pass.

A 50-row table written with template tags resolves a URL, two translated fields with their
``lang`` marks and a choice label per row through the template engine; here each row is one
``format_html`` with the URL pattern and the labels looked up once per table (the profile in
README's bench section shows what this saves). The output is what
``website/includes/organization_table.html`` printed row by row before.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from common.templatetags.bilingual import mark_text
from organizations.models import Organization

register = template.Library()

SLUG = "slug-placeholder"


def _translated(field: str, page_language: str):
    """``bilingual.tr`` for one field of many rows: the language order is looked up once."""
    columns = [
        (build_localized_fieldname(field, code), code) for code in resolution_order(page_language)
    ]

    def text(obj) -> SafeString | str:
        values = obj.__dict__
        for column, code in columns:
            value = values.get(column)
            if value:
                return mark_text(value, language=code, page_language=page_language)
        return ""

    return text


@register.simple_tag
def institution_rows(organizations, show_parents: bool = False) -> SafeString:
    page_language = get_language()
    name, city = _translated("name", page_language), _translated("city", page_language)
    url = reverse("organizations:detail", kwargs={"slug": SLUG})
    before, after = url.split(SLUG)
    kinds = {value: str(label) for value, label in Organization.Kind.choices}
    return format_html_join(
        "\n",
        '<tr><td><a href="{}{}{}">{}</a>{}</td><td class="cjk-nowrap">{}</td>'
        '<td class="cjk-nowrap">{}</td></tr>',
        (
            (
                before,
                organization.slug,
                after,
                name(organization),
                format_html(
                    '<br><span class="small text-body-secondary">{}</span>',
                    name(organization.parent),
                )
                if show_parents and organization.parent_id and organization.parent
                else "",
                kinds.get(organization.kind, organization.kind),
                city(organization),
            )
            for organization in organizations
        ),
    )
