"""Amounts and reported figures as readers read them.

One helper, :func:`format_amount`, turns a Decimal into words for the current
language: ``1000亿元`` and ``1.5万亿元`` in Chinese, ``100 billion yuan`` in English,
with the qualifier kept (``over``, ``about``) and a US dollar equivalent when
one is given. The public site's template filters (website/templatetags/money.py) and the
admin call it.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

# Largest first. Chinese groups by ten thousands, English by thousands.
ZH_SCALES = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
EN_SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)
ZH_QUALIFIERS = {"over": "超过", "about": "约", "under": "不到"}
EN_QUALIFIERS = {"over": "over ", "about": "about ", "under": "under "}
TWO_PLACES = Decimal("0.01")


def _is_chinese(language: str | None) -> bool:
    return (language or "en").lower().startswith("zh")


def _plain(number: Decimal, *, grouping: bool) -> str:
    """Return a number with at most two decimals and no trailing zeros."""
    rounded = number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        text = f"{int(rounded):,}" if grouping else f"{int(rounded)}"
    else:
        text = f"{rounded:,.2f}" if grouping else f"{rounded:.2f}"
        text = text.rstrip("0").rstrip(".")
    return text


def _scaled(value: Decimal, *, chinese: bool, grouping: bool) -> tuple[str, str]:
    """Return the number and its scale word.

    A scale is used from its own size up (9,999 yuan stays 9,999 yuan); when rounding
    reaches the next scale the next one is used: 999,999,999 reads "1 billion", not
    "1,000 million".
    """
    scales = ZH_SCALES if chinese else EN_SCALES
    for index, (scale, word) in enumerate(scales):
        if value < scale:
            continue
        scaled = (value / scale).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        if index > 0 and scaled * scale >= scales[index - 1][0]:
            bigger, bigger_word = scales[index - 1]
            return _plain(value / bigger, grouping=grouping), bigger_word
        return _plain(scaled, grouping=grouping), word
    return _plain(value, grouping=grouping), ""


def format_amount(
    value: Decimal | int | float | str | None,
    *,
    unit: str = "yuan",
    qualifier: str = "exact",
    usd: Decimal | int | str | None = None,
    language: str | None = None,
) -> str:
    """Return an amount as words in ``language`` (default: the active language).

    ``unit`` is ``yuan``, ``usd``, ``count`` or ``percent``; ``qualifier`` is
    ``exact``, ``over``, ``about`` or ``under``; ``usd`` is a US dollar
    equivalent to show after a yuan amount.
    """
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    chinese = _is_chinese(language or get_language())
    prefix = (ZH_QUALIFIERS if chinese else EN_QUALIFIERS).get(qualifier, "")

    if unit == "percent":
        text = f"{prefix}{_plain(value, grouping=False)}%"
    elif chinese:
        number, word = _scaled(value, chinese=True, grouping=False)
        suffix = {"yuan": "元", "usd": "美元"}.get(unit, "")
        text = f"{prefix}{number}{word}{suffix}"
    else:
        if unit == "count" and value < EN_SCALES[-1][0]:
            number, word = _plain(value, grouping=True), ""
        else:
            number, word = _scaled(value, chinese=False, grouping=True)
        suffix = {"yuan": "yuan", "usd": "US dollars"}.get(unit, "")
        text = " ".join(part for part in (f"{prefix}{number}", word, suffix) if part)

    if usd not in (None, "") and unit == "yuan":
        dollars = format_amount(usd, unit="usd", language="zh-hans" if chinese else "en")
        text += f"（约{dollars}）" if chinese else f" (about {dollars})"
    return text


def amount_in_both_languages(value, *, unit: str = "yuan", qualifier: str = "exact") -> str:
    """Return an amount in Chinese and English words, for staff checking what they typed:
    ``1.5万亿元 · 1.5 trillion yuan``."""
    if value in (None, ""):
        return "-"
    return " · ".join(
        format_amount(value, unit=unit, qualifier=qualifier, language=language)
        for language in ("zh-hans", "en")
    )
