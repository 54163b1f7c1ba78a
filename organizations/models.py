from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from common.fields import CleanImageField
from common.urls import reverse_record

from .names import normalize_name
from .validators import USCC_PATTERN, validate_uscc


class Organization(models.Model):
    """Any institution: investor, government body, media outlet, enterprise, platform."""

    class Kind(models.TextChoices):
        VC_FIRM = "vc_firm", _("Venture capital firm")
        PE_FIRM = "pe_firm", _("Private equity firm")
        GOVERNMENT = "government", _("Government body")
        MEDIA = "media", _("Media outlet")
        ENTERPRISE = "enterprise", _("Enterprise")
        FINANCIAL = "financial", _("Financial institution")
        ASSOCIATION = "association", _("Association")
        PLATFORM = "platform", _("Platform")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        help_text=_("For example the district government a bureau belongs to."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = CleanImageField(_("logo"), upload_to="logos/", blank=True)
    uscc = models.CharField(
        _("Unified Social Credit Code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("18 characters, as on the business licence (GB 32100-2015). Optional."),
    )
    capital_under_management = models.DecimalField(
        _("capital under management (yuan)"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Derived from the name in each language by save(); registrations match on them.
    normalized_name_en = models.CharField(
        _("normalized English name"), max_length=200, blank=True, editable=False, db_index=True
    )
    normalized_name_zh_hans = models.CharField(
        _("normalized Chinese name"), max_length=200, blank=True, editable=False, db_index=True
    )
    # Derived: whether the public pages may name the institution (a public role somewhere; see
    # registrations.selectors.organization_public_q). Kept current by registrations.public, so
    # the directory reads one partial index instead of seven EXISTS per row.
    is_public = models.BooleanField(_("named on the public pages"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        # The directory's order in each language (the name shown, then the other language's
        # when it is empty; see website.selectors.organization_name_ordering), over public
        # institutions only: the first page and every next page (keyset) read a few index rows.
        # PostgreSQL also gets search indexes (trigram, Chinese n-grams) in migration 0006.
        indexes = [
            models.Index(
                Coalesce(NullIf("name_en", Value("")), "name_zh_hans"),
                F("id"),
                condition=Q(is_public=True),
                name="organization_public_order_en",
            ),
            models.Index(
                Coalesce(NullIf("name_zh_hans", Value("")), "name_en"),
                F("id"),
                condition=Q(is_public=True),
                name="organization_public_order_zh",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="organization_uscc_unique_when_given",
                violation_error_message=_(
                    "Another institution already has this Unified Social Credit Code."
                ),
            ),
            models.CheckConstraint(
                condition=Q(uscc="") | Q(uscc__regex=USCC_PATTERN),
                name="organization_uscc_format",
            ),
            models.CheckConstraint(
                condition=Q(capital_under_management__isnull=True)
                | Q(capital_under_management__gte=0),
                name="organization_capital_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="organization_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalized_name_en = normalize_name(self.name_en or "")
        self.normalized_name_zh_hans = normalize_name(self.name_zh_hans or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "name_en", "name_zh_hans"} & set(update_fields):
            kwargs["update_fields"] = {
                *update_fields,
                "normalized_name_en",
                "normalized_name_zh_hans",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_record("organizations:detail", "slug", self.slug)


class Person(models.Model):
    """A speaker, official or contact. Contact details are never shown publicly."""

    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("e-mail (private)"), blank=True)
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.position}" if self.position else self.name


class OrganizerContact(models.Model):
    """How the public reaches the organizer of the site's events: shown in every page's footer
    and in the privacy notice. Staff keep one, in the admin."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The office the public writes to.")
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.EmailField(_("e-mail (public)"), blank=True)
    phone = models.CharField(_("phone (public)"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organizer contact")
        verbose_name_plural = _("organizer contact")

    def __str__(self) -> str:
        return self.name
