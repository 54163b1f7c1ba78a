"""Template filters of the meetings pages."""

from django import template

from common.money import format_amount

register = template.Library()


@register.filter
def yuan(value) -> str:
    """An amount in yuan as readers read it (万/亿 in Chinese)."""
    return format_amount(value, unit="yuan")
