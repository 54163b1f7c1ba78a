"""The ``label`` filter prints what ``get_FOO_display`` prints, in each language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from events.models import AgreementParty, Venue
from organizations.models import Organization


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("instance", "field"),
    [
        *((Venue(kind=kind), "kind") for kind in Venue.Kind.values),
        *((Organization(kind=kind), "kind") for kind in Organization.Kind.values),
        *((AgreementParty(role=role), "role") for role in AgreementParty.Role.values),
    ],
)
def test_label_is_the_choice_label_in_the_active_language(language, instance, field):
    with translation.override(language):
        printed = Template("{% load choices %}{{ obj|label:field }}").render(
            Context({"obj": instance, "field": field})
        )
        assert printed == getattr(instance, f"get_{field}_display")()


def test_label_of_a_value_without_a_choice_is_the_value():
    assert (
        Template('{% load choices %}{{ obj|label:"kind" }}').render(
            Context({"obj": Venue(kind="retired-kind")})
        )
        == "retired-kind"
    )


def test_labels_differ_between_languages():
    venue = Venue(kind=Venue.Kind.MAIN)
    template = Template('{% load choices %}{{ obj|label:"kind" }}')
    with translation.override("en"):
        english = template.render(Context({"obj": venue}))
    with translation.override("zh-hans"):
        chinese = template.render(Context({"obj": venue}))
    assert english != chinese
