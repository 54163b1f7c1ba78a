import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from common.text import validate_name, validate_single_line
from events.models import Event, Venue
from organizations.models import Organization
from organizations.validators import normalize_uscc, validate_uscc

from .selectors import sub_venues_with_usage
from .services import RegistrationRequest

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()\-]*$")
PHONE_DIGITS = (6, 20)


class VenueChoiceField(forms.ModelMultipleChoiceField):
    """Sub-venues by id; an id that is no database integer is an invalid choice, not a 500."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or int(pk) >= 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)

    def label_from_instance(self, obj: Venue) -> str:
        label = f"{obj.name} – {obj.theme}" if obj.theme else obj.name
        if obj.capacity is None:
            return label
        free = max(obj.capacity - obj.used, 0)
        if not free:
            return _("%(venue)s (full: you would join the waiting list)") % {"venue": label}
        return _("%(venue)s (%(free)d of %(capacity)d places free)") % {
            "venue": label,
            "free": free,
            "capacity": obj.capacity,
        }


class RegistrationForm(forms.Form):
    """The public registration form of one edition. The service decides; this validates."""

    institution_name = forms.CharField(
        label=gettext_lazy("Name of the institution"), max_length=200
    )
    institution_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of institution"), choices=Organization.Kind.choices
    )
    uscc = forms.CharField(
        label=gettext_lazy("Unified Social Credit Code"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Optional. 18 characters, as on the business licence."),
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    website = forms.URLField(
        label=gettext_lazy("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        # A plain text box: the browser's own URL check would refuse "example.com".
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    contact_name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    contact_position = forms.CharField(
        label=gettext_lazy("Position"), max_length=100, required=False
    )
    contact_email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)
    contact_phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=40,
        help_text=gettext_lazy("Digits, spaces, dashes and brackets; may start with +."),
    )
    delegates = forms.IntegerField(
        label=gettext_lazy("Number of delegates"),
        min_value=1,
        help_text=gettext_lazy("Including the contact person if they attend."),
    )
    venues = VenueChoiceField(
        label=gettext_lazy("Sub-venues you wish to attend"),
        queryset=Venue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    listed_publicly = forms.BooleanField(
        label=gettext_lazy(
            "The institution may be named in the public list of participating institutions."
        ),
        required=False,
    )
    privacy_consent = forms.BooleanField(label=gettext_lazy("I accept the privacy notice."))
    # A honeypot: hidden from people, filled in by bots that fill in everything.
    homepage = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["delegates"].widget.attrs["max"] = settings.REGISTRATION_MAX_DELEGATES
        for field in self.fields.values():
            if isinstance(field, forms.CharField):  # every text box here is one line
                field.validators.append(validate_single_line)
        for name in ("institution_name", "contact_name"):
            self.fields[name].validators.append(validate_name)
        self.fields["venues"].queryset = sub_venues_with_usage(events=[event])
        if not self.fields["venues"].queryset.exists():
            del self.fields["venues"]
        self.fields["privacy_consent"].label = format_html(
            _('I have read and accept the <a href="{}" target="_blank">privacy notice</a>.'),
            reverse("registrations:privacy"),
        )
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Institution"),
                "institution_name",
                "institution_kind",
                "uscc",
                "city",
                "website",
            ),
            Fieldset(
                _("Contact person"),
                "contact_name",
                "contact_position",
                "contact_email",
                "contact_phone",
            ),
            Fieldset(
                _("Participation"),
                "delegates",
                *(["venues"] if "venues" in self.fields else []),
                "listed_publicly",
            ),
            Fieldset(_("Privacy"), "privacy_consent"),
            Div("homepage", css_class="visually-hidden", aria_hidden="true"),
            HTML("<hr>"),
            Submit("submit", _("Register"), css_class="btn-lg"),
        )

    def registration_request(self) -> RegistrationRequest:
        """What the valid form asks for, in the language the form was filled in."""
        data = self.cleaned_data
        return RegistrationRequest(
            institution_name=data["institution_name"],
            institution_kind=data["institution_kind"],
            uscc=data["uscc"],
            city=data["city"],
            website=data["website"],
            contact_name=data["contact_name"],
            contact_position=data["contact_position"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            delegates=data["delegates"],
            venues=tuple(data.get("venues", ())),
            listed_publicly=data["listed_publicly"],
            language=get_language(),
        )

    def clean_uscc(self) -> str:
        value = normalize_uscc(self.cleaned_data["uscc"])
        if value:
            validate_uscc(value)
        return value

    def clean_contact_phone(self) -> str:
        value = unicodedata.normalize("NFKC", self.cleaned_data["contact_phone"]).strip()
        digits = sum(char.isdigit() for char in value)
        if not PHONE_PATTERN.match(value) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
            raise ValidationError(
                _("Enter a phone number of 6 to 20 digits, such as +86 10 1234 5678."),
                code="phone",
            )
        return value

    def clean_delegates(self) -> int:
        value = self.cleaned_data["delegates"]
        if value > settings.REGISTRATION_MAX_DELEGATES:
            raise ValidationError(
                _("At most %(max)d delegates per institution can register here.")
                % {"max": settings.REGISTRATION_MAX_DELEGATES},
                code="max_delegates",
            )
        return value

    def clean_homepage(self) -> str:
        if self.cleaned_data["homepage"]:
            raise ValidationError(
                _("This field must stay empty. Your registration was not saved."),
                code="honeypot",
            )
        return ""


class FindRegistrationForm(forms.Form):
    """Ask for the status link of a registration to be e-mailed again."""

    email = forms.EmailField(label=gettext_lazy("Contact e-mail used when registering"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("email", Submit("submit", _("Send me the link")))
