"""Template filters of the meetings pages."""

from django import template

from common.money import format_amount

from ..models import Meeting, MeetingPreference, MeetingProfile, Sector, Stage

register = template.Library()

# The choices behind the codes of a registrant's data export, by what they are the code of.
_CHOICES = {
    "status": Meeting.Status,
    "source": Meeting.Source,
    "side": MeetingProfile.Side,
    "sector": Sector,
    "stage": Stage,
    "level": MeetingPreference.Level,
}


@register.filter
def yuan(value) -> str:
    """An amount in yuan as readers read it (万/亿 in Chinese)."""
    return format_amount(value, unit="yuan")


@register.filter
def choice_label(code, kind: str) -> str:
    """The label of a stored code (``{{ meeting.status|choice_label:"status" }}``)."""
    return dict(_CHOICES[kind].choices).get(code, code)
