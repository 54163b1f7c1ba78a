from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from website.templatetags.money import format_amount, money_or_none_stated


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (Decimal(0), "0 yuan", "0元"),
        (Decimal(5000), "5,000 yuan", "5000元"),
        (Decimal(9999), "9,999 yuan", "9999元"),
        (Decimal(10_000), "10,000 yuan", "1万元"),
        (Decimal("12345.5"), "12,345.5 yuan", "1.23万元"),
        (Decimal(999_999), "999,999 yuan", "100万元"),
        (Decimal(1_000_000), "1 million yuan", "100万元"),
        (Decimal(99_999_999), "100 million yuan", "1亿元"),
        (Decimal(100_000_000), "100 million yuan", "1亿元"),
        (Decimal(999_999_999), "1 billion yuan", "10亿元"),
        (Decimal(1_000_000_000), "1 billion yuan", "10亿元"),
        (Decimal(100_000_000_000), "100 billion yuan", "1000亿元"),
        (Decimal(370_000_000_000), "370 billion yuan", "3700亿元"),
        (Decimal(999_999_999_999), "1 trillion yuan", "1万亿元"),
        (Decimal(1_000_000_000_000), "1 trillion yuan", "1万亿元"),
        (Decimal(1_500_000_000_000), "1.5 trillion yuan", "1.5万亿元"),
        (Decimal(150_000_000_000_000), "150 trillion yuan", "150万亿元"),
    ],
)
def test_format_amount_yuan_at_unit_boundaries(value, english, chinese):
    assert format_amount(value, language="en") == english
    assert format_amount(value, language="zh-hans") == chinese


def test_format_amount_keeps_qualifier_and_usd_equivalent():
    value, usd = Decimal(100_000_000_000), Decimal(13_800_000_000)
    assert (
        format_amount(value, qualifier="over", usd=usd, language="en")
        == "over 100 billion yuan (about 13.8 billion US dollars)"
    )
    assert (
        format_amount(value, qualifier="over", usd=usd, language="zh-hans")
        == "超过1000亿元（约138亿美元）"
    )
    assert format_amount(value, qualifier="about", language="zh-hans") == "约1000亿元"
    assert format_amount(value, qualifier="about", language="en") == "about 100 billion yuan"


def test_format_amount_counts_and_percent():
    assert format_amount(6000, unit="count", qualifier="over", language="en") == "over 6,000"
    assert format_amount(6000, unit="count", qualifier="over", language="zh-hans") == "超过6000"
    assert format_amount(13000, unit="count", language="zh-hans") == "1.3万"
    assert format_amount(13000, unit="count", language="en") == "13,000"
    assert format_amount("33.3", unit="percent", qualifier="about", language="en") == "about 33.3%"


def test_format_amount_empty_is_empty():
    assert format_amount(None) == ""


def test_money_filter_follows_active_language():
    template = Template('{% load money %}{{ amount|money:"over" }}')
    context = Context({"amount": Decimal(1_500_000_000_000)})
    with translation.override("zh-hans"):
        assert template.render(context) == "超过1.5万亿元"
    with translation.override("en"):
        assert template.render(context) == "over 1.5 trillion yuan"


def test_a_sum_with_no_amount_stated_is_not_zero_yuan():
    assert money_or_none_stated(None) == "no amounts stated"
    assert money_or_none_stated(Decimal(0)) == "0 yuan"
    with translation.override("zh-hans"):
        assert money_or_none_stated(None) not in {"", "no amounts stated"}
