from django import forms
from django.utils.translation import gettext_lazy

from events.models import Event, Venue
from organizations.models import Organization
from registrations.models import Delegate, Participation


class BadgeFilterForm(forms.Form):
    """Which badges of an edition to print."""

    status = forms.ChoiceField(
        label=gettext_lazy("Registration status"),
        choices=[("", gettext_lazy("Any")), *Participation.Status.choices],
        required=False,
        initial=Participation.Status.APPROVED,
    )
    venue = forms.ModelChoiceField(
        label=gettext_lazy("Sub-venue attended"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=gettext_lazy("Any"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of institution"),
        choices=[("", gettext_lazy("Any")), *Organization.Kind.choices],
        required=False,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", gettext_lazy("Any")), *Delegate.Category.choices],
        required=False,
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(event=event, kind=Venue.Kind.SUB)
