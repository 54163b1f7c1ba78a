"""The rows of an institution table, built in one pass.

A 50-row table written with template tags resolves a URL, two translated fields with their
``lang`` marks and a choice label per row through the template engine; here each row is one
``format_html`` with the labels looked up once per table (the profile in
README's bench section shows what this saves). The output is what
``website/includes/organization_table.html`` printed row by row before.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from common.templatetags.bilingual import tr
from organizations.models import Organization

register = template.Library()


@register.simple_tag
def institution_rows(organizations, show_parents: bool = False) -> SafeString:
    kinds = {value: str(label) for value, label in Organization.Kind.choices}
    return format_html_join(
        "\n",
        '<tr><td><a href="{}">{}</a>{}</td><td class="cjk-nowrap">{}</td>'
        '<td class="cjk-nowrap">{}</td></tr>',
        (
            (
                organization.get_absolute_url(),
                tr(organization, "name"),
                format_html(
                    '<br><span class="small text-body-secondary">{}</span>',
                    tr(organization.parent, "name"),
                )
                if show_parents and organization.parent_id and organization.parent
                else "",
                kinds.get(organization.kind, organization.kind),
                tr(organization, "city"),
            )
            for organization in organizations
        ),
    )
