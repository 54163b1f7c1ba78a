import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from common.urls import reverse_record


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("viewname", "key", "value"),
    [
        ("organizations:detail", "slug", "alpha-capital"),
        ("organizations:detail", "slug", "908070605040302010"),
        ("events:detail", "slug", "shenzhen-2024"),
        ("events:agreement_detail", "pk", 42),
    ],
)
def test_record_address_is_what_reverse_gives(language, viewname, key, value):
    with translation.override(language):
        assert reverse_record(viewname, key, value) == reverse(viewname, kwargs={key: value})


def test_record_address_follows_the_script_prefix():
    set_script_prefix("/vcday/")
    try:
        with translation.override("en"):
            assert reverse_record("events:detail", "slug", "x") == "/vcday/en/events/x/"
    finally:
        set_script_prefix("/")
