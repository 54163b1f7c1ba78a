from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.text import validate_multiline, validate_single_line
from registrations.models import Delegate

from .models import MeetingPreference, MeetingProfile, MeetingSlot, Sector, Stage
from .services import ProfileData

WAN = Decimal(10_000)


class DelegateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Delegate) -> str:
        return f"{obj.name}, {obj.position}" if obj.position else obj.name


class DelegatesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Delegate) -> str:
        return f"{obj.name}, {obj.position}" if obj.position else obj.name


class WanField(forms.DecimalField):
    """An amount typed in units of 10,000 yuan (万元), stored in yuan."""

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, max_digits=12, decimal_places=0, **kwargs)

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else amount * WAN


class ProfileForm(forms.Form):
    side = forms.ChoiceField(
        label=gettext_lazy("We take meetings as"),
        choices=MeetingProfile.Side.choices,
        widget=forms.RadioSelect,
    )
    sectors = forms.MultipleChoiceField(
        label=gettext_lazy("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Investors: the sectors you invest in. Projects: your sector."),
    )
    stages = forms.MultipleChoiceField(
        label=gettext_lazy("Stages"),
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Investors: the stages you invest in. Projects: your stage."),
    )
    ticket_min = WanField(label=gettext_lazy("Investors: smallest ticket (10,000 yuan)"))
    ticket_max = WanField(label=gettext_lazy("Investors: largest ticket (10,000 yuan)"))
    amount_sought = WanField(label=gettext_lazy("Projects: amount sought (10,000 yuan)"))
    regions_zh_hans = forms.CharField(
        label=gettext_lazy("Regions (Chinese)"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
    )
    regions_en = forms.CharField(
        label=gettext_lazy("Regions (English)"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
    )
    pitch_zh_hans = forms.CharField(
        label=gettext_lazy("Short pitch or investment focus (Chinese)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multiline],
    )
    pitch_en = forms.CharField(
        label=gettext_lazy("Short pitch or investment focus (English)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multiline],
    )
    delegates = DelegatesChoiceField(
        label=gettext_lazy("Delegates taking meetings"),
        queryset=Delegate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every named delegate."),
    )

    def __init__(self, *args, participation, profile: MeetingProfile | None = None, **kwargs):
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "side": profile.side,
                "sectors": profile.sector_list,
                "stages": profile.stage_list,
                "ticket_min": _wan(profile.ticket_min_yuan),
                "ticket_max": _wan(profile.ticket_max_yuan),
                "amount_sought": _wan(profile.amount_sought_yuan),
                "regions_zh_hans": profile.regions_zh_hans,
                "regions_en": profile.regions_en,
                "pitch_zh_hans": profile.pitch_zh_hans,
                "pitch_en": profile.pitch_en,
                "delegates": list(profile.delegates.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["delegates"].queryset = participation.delegate_list.order_by("order", "pk")

    def clean(self):
        data = super().clean()
        low, high = data.get("ticket_min"), data.get("ticket_max")
        if low is not None and high is not None and high < low:
            raise ValidationError(_("The largest ticket cannot be below the smallest."))
        return data

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            side=data["side"],
            sectors=tuple(data["sectors"]),
            stages=tuple(data["stages"]),
            ticket_min_yuan=data["ticket_min"],
            ticket_max_yuan=data["ticket_max"],
            amount_sought_yuan=data["amount_sought"],
            regions_en=data["regions_en"],
            regions_zh_hans=data["regions_zh_hans"],
            pitch_en=data["pitch_en"],
            pitch_zh_hans=data["pitch_zh_hans"],
            delegates=tuple(data["delegates"]),
        )


def _wan(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else (amount / WAN).normalize()


class BrowseForm(forms.Form):
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"),
        choices=[("", gettext_lazy("Any sector")), *Sector.choices],
        required=False,
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        choices=[("", gettext_lazy("Any stage")), *Stage.choices],
        required=False,
    )
    amount = WanField(label=gettext_lazy("Amount (10,000 yuan)"))
    q = forms.CharField(label=gettext_lazy("Name or words"), max_length=100, required=False)


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MeetingSlot) -> str:
        start = timezone.localtime(obj.starts_at)
        end = timezone.localtime(obj.ends_at)
        return f"{start:%m-%d %H:%M}–{end:%H:%M} · {obj.round.venue.name}"


class RequestForm(forms.Form):
    requester = DelegateChoiceField(
        label=gettext_lazy("Your delegate"), queryset=Delegate.objects.none()
    )
    invitee = DelegateChoiceField(label=gettext_lazy("Meet"), queryset=Delegate.objects.none())
    slot = SlotChoiceField(
        label=gettext_lazy("Slot (Beijing time)"), queryset=MeetingSlot.objects.none()
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multiline],
    )

    def __init__(self, *args, ours, theirs, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = Delegate.objects.filter(pk__in=[d.pk for d in ours])
        self.fields["invitee"].queryset = Delegate.objects.filter(pk__in=[d.pk for d in theirs])
        self.fields["slot"].queryset = (
            MeetingSlot.objects.filter(pk__in=[slot.pk for slot in slots])
            .select_related("round__venue")
            .order_by("starts_at", "pk")
        )
        if len(ours) == 1:
            self.fields["requester"].initial = ours[0].pk
        if len(theirs) == 1:
            self.fields["invitee"].initial = theirs[0].pk


class PreferenceForm(forms.Form):
    level = forms.TypedChoiceField(
        choices=[("", ""), *MeetingPreference.Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
