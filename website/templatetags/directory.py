"""The rows of an institution table, built in one pass.

A 50-row table written with template tags resolves a URL, two translated fields with their
``lang`` marks and a choice label per row through the template engine; here each row is one
f-string with the labels and the address pattern looked up once per table (the profile in
README's bench section shows what this saves). The output is what
``website/includes/organization_table.html`` printed row by row before.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from common.templatetags.bilingual import translated
from common.urls import record_addresses
from organizations.models import Organization

register = template.Library()


@register.simple_tag
def institution_rows(organizations, show_parents: bool = False) -> SafeString:
    language = get_language()
    kinds = {value: escape(str(label)) for value, label in Organization.Kind.choices}
    address = record_addresses("organizations:detail", "slug")

    def row(organization: Organization) -> str:
        parent = ""
        if show_parents and organization.parent_id and organization.parent:
            name = translated(organization.parent, "name", language)
            parent = f'<br><span class="small text-body-secondary">{name}</span>'
        kind = kinds.get(organization.kind) or escape(organization.kind)
        return (
            f'<tr><td><a href="{escape(address(organization.slug))}">'
            f"{translated(organization, 'name', language)}</a>{parent}</td>"
            f'<td class="cjk-nowrap">{kind}</td>'
            f'<td class="cjk-nowrap">{translated(organization, "city", language)}</td></tr>'
        )

    # Each part is escaped where it is made, so the rows are joined as strings.
    return SafeString("\n".join(row(organization) for organization in organizations))
