"""Template filters for amounts and reported figures; the wording is common.money's."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext

from common.money import format_amount
from followup.models import Currency

register = template.Library()

__all__ = ["format_amount", "register"]


@register.filter
def money(value, qualifier: str = "exact") -> str:
    """Render a yuan amount: ``{{ agreement.amount_yuan|money }}`` or ``|money:"over"``."""
    return format_amount(value, unit="yuan", qualifier=qualifier)


@register.filter
def money_or_none_stated(value) -> str:
    """Render a computed sum of amounts, or say that no amount was stated (not "0 yuan")."""
    if value is None:
        return gettext("no amounts stated")
    return format_amount(value, unit="yuan")


@register.filter
def figure(key_figure) -> str:
    """Render a KeyFigure's value with its qualifier and unit, and its US dollar equivalent when
    the rate and its date are known (the template names them under the value)."""
    return format_amount(
        key_figure.value,
        unit=key_figure.unit,
        qualifier=key_figure.qualifier,
        usd=key_figure.usd_equivalent if key_figure.shows_usd else None,
    )


@register.filter
def rate(value) -> str:
    """Render an exchange rate with at most four decimals and no trailing zeros."""
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)):.4f}".rstrip("0").rstrip(".")


@register.filter
def in_currency(value, currency: str) -> str:
    """Render an amount in its own currency (yuan, US dollars, or the code): never converted."""
    if value is None:
        return ""
    unit = {"CNY": "yuan", "USD": "usd"}.get(currency)
    if unit:
        return format_amount(value, unit=unit)
    return f"{format_amount(value, unit='count')} {Currency(currency).label}"
