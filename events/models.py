import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import CleanImageField
from common.urls import reverse_record
from organizations.models import Organization, Person


class Series(models.Model):
    """A recurring event, such as the Venture Capital Day of Shenzhen."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_series",
    )
    description = models.TextField(_("description"), blank=True)
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_(
            "Made-up data for trying the site out: labelled as such on every page and never "
            "the home page's headline while a real series has an edition."
        ),
    )

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_record("events:series_detail", "slug", self.slug)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, *, today: datetime.date | None = None):
        return self.filter(end_date__gte=today or timezone.localdate()).order_by("start_date")

    def past(self, *, today: datetime.date | None = None):
        return self.filter(end_date__lt=today or timezone.localdate()).order_by("-start_date")


class Event(models.Model):
    """One edition of a series."""

    class ApprovalMode(models.TextChoices):
        REVIEW = "review", _("Staff review every registration")
        AUTOMATIC = "automatic", _("Confirm automatically while places remain")

    class RegistrationState(models.TextChoices):
        NONE = "none", _("No registration")
        NOT_YET_OPEN = "not_yet_open", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    start_time = models.TimeField(
        _("starts at"), null=True, blank=True, help_text=_("Beijing time. Leave empty if unknown.")
    )
    end_time = models.TimeField(
        _("ends at"), null=True, blank=True, help_text=_("Beijing time. Leave empty if unknown.")
    )
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    hosts = models.ManyToManyField(
        Organization,
        through="EventHost",
        verbose_name=_("host organizations"),
        related_name="hosted_events",
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Drafts are visible to staff only.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (delegates)"),
        null=True,
        blank=True,
        help_text=_("Delegates the whole edition can take. Empty means no limit."),
    )
    approval_mode = models.CharField(
        _("approval of registrations"),
        max_length=20,
        choices=ApprovalMode,
        default=ApprovalMode.REVIEW,
    )
    delegates_editable_until = models.DateTimeField(
        _("delegates editable until"),
        null=True,
        blank=True,
        help_text=_(
            "Registrants can change their named delegates on their status page until then. "
            "Empty: until the edition's first day begins."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_ends_on_or_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_record("events:detail", "slug", self.slug)

    @property
    def starts_at(self) -> datetime.datetime | None:
        """Return the aware start, or None when the time of day is unknown."""
        return self._aware(self.start_date, self.start_time)

    @property
    def ends_at(self) -> datetime.datetime | None:
        return self._aware(self.end_date, self.end_time)

    @staticmethod
    def _aware(day: datetime.date, time: datetime.time | None) -> datetime.datetime | None:
        if time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time))

    def delegates_editable(self, *, now: datetime.datetime | None = None) -> bool:
        """Say whether registrants may still change their named delegates."""
        now = now or timezone.now()
        if self.delegates_editable_until is not None:
            return now < self.delegates_editable_until
        first_day = timezone.make_aware(datetime.datetime.combine(self.start_date, datetime.time()))
        return now < first_day

    def registration_state(self, *, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.registration_opens_at is None:
            return self.RegistrationState.NONE
        if now < self.registration_opens_at:
            return self.RegistrationState.NOT_YET_OPEN
        if self.registration_closes_at is not None and now >= self.registration_closes_at:
            return self.RegistrationState.CLOSED
        return self.RegistrationState.OPEN


class EventHost(models.Model):
    """An organization's role in putting on an edition."""

    class Role(models.TextChoices):
        HOST = "host", _("Host")
        CO_HOST = "co_host", _("Co-host")
        ORGANIZER = "organizer", _("Organizer")
        PARTNER = "partner", _("Partner")
        MEDIA_PARTNER = "media_partner", _("Media partner")
        PARTICIPANT = "participant", _("Participating body")

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="host_roles"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="event_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.HOST)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("host organization")
        verbose_name_plural = _("host organizations")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "role"], name="event_host_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class Venue(models.Model):
    """The main venue or a sub-venue of an edition."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main venue")
        SUB = "sub", _("Sub-venue")

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="venues"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.SUB)
    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (delegates)"),
        null=True,
        blank=True,
        help_text=_("Empty means no limit."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(kind="main"),
                name="event_one_main_venue",
                violation_error_message=_("An edition has only one main venue."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"


class Session(models.Model):
    """An agenda item in a venue."""

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="sessions"
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    title = models.CharField(_("topic"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    speakers = models.ManyToManyField(
        Person, through="SessionSpeaker", verbose_name=_("speakers"), related_name="sessions"
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "starts_at", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.venue_id and self.event_id and self.venue.event_id != self.event_id:
            raise ValidationError({"venue": _("Choose a venue of this session's edition.")})


class SessionSpeaker(models.Model):
    """A person speaking in a session, in order, with a role."""

    class Role(models.TextChoices):
        KEYNOTE = "keynote", _("Keynote")
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="speaker_roles"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="speaker_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.SPEAKER)
    position = models.CharField(
        _("position at this edition"),
        max_length=300,
        blank=True,
        help_text=_(
            "The post the person held when speaking here. Shown instead of the person's current "
            "position, so that a later change of post does not rewrite this edition."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="session_speaker_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.get_role_display()})"


class AgreementQuerySet(models.QuerySet):
    def published(self):
        """Agreements the public may see: signed outside an edition, or at a published one."""
        return self.filter(Agreement.published_q())


class Agreement(models.Model):
    """A document signed at an edition or outside one."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        FUND_COOPERATION = "fund_cooperation", _("Fund cooperation")
        INVESTMENT = "investment", _("Investment")
        STRATEGIC_COOPERATION = "strategic_cooperation", _("Strategic cooperation")

    event = models.ForeignKey(
        Event,
        verbose_name=_("signed at edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    amount_yuan = models.DecimalField(
        _("amount (yuan)"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty when no amount was announced."),
    )
    parties = models.ManyToManyField(
        Organization,
        through="AgreementParty",
        verbose_name=_("parties"),
        related_name="agreements",
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_yuan__isnull=True) | Q(amount_yuan__gte=0),
                name="agreement_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_record("events:agreement_detail", "pk", self.pk)

    @staticmethod
    def published_q(prefix: str = "") -> Q:
        """The condition of ``published()``, for rows that reach agreements through ``prefix``."""
        return Q(**{f"{prefix}event__isnull": True}) | Q(**{f"{prefix}event__is_published": True})


class AgreementParty(models.Model):
    """An organization named in an agreement, with its role."""

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("Signatory")
        PLATFORM = "platform", _("Platform used")
        WITNESS = "witness", _("Witness")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="party_roles",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="agreement_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.SIGNATORY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="agreement_party_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class KeyFigure(models.Model):
    """A number that organizers or sources reported, with its qualifier and source."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        OVER = "over", _("over")
        ABOUT = "about", _("about")
        UNDER = "under", _("under")

    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        YUAN = "yuan", _("yuan")
        USD = "usd", _("US dollars")
        PERCENT = "percent", _("percent")

    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="key_figures",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="key_figures",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="key_figures",
    )
    label = models.CharField(_("label"), max_length=300)
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier, default=Qualifier.EXACT
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit, default=Unit.COUNT)
    usd_equivalent = models.DecimalField(
        _("US dollar equivalent"),
        max_digits=24,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Shown only together with the exchange rate and its date below."),
    )
    usd_rate = models.DecimalField(
        _("exchange rate (yuan per US dollar)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The rate the US dollar equivalent was converted at, e.g. 7.1000."),
    )
    usd_rate_on = models.DateField(_("rate as of"), null=True, blank=True)
    usd_rate_source = models.CharField(
        _("source of the rate"),
        max_length=300,
        blank=True,
        help_text=_("Where the rate comes from, e.g. the central parity of that day."),
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        Person,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        help_text=_("The person quoted for this figure, if any."),
    )
    reported_by_position = models.CharField(
        _("their position then"),
        max_length=300,
        blank=True,
        help_text=_("The post the person held when quoted, kept with the figure."),
    )
    source_url = models.URLField(_("source link"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(series__isnull=False, event__isnull=True, organization__isnull=True)
                    | Q(series__isnull=True, event__isnull=False, organization__isnull=True)
                    | Q(series__isnull=True, event__isnull=True, organization__isnull=False)
                ),
                name="key_figure_has_exactly_one_subject",
                violation_error_message=_(
                    "Attach a key figure to exactly one of: a series, an edition, an institution."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def shows_usd(self) -> bool:
        """A US dollar equivalent is shown only with the rate and the date it was taken at."""
        return self.usd_equivalent is not None and bool(self.usd_rate and self.usd_rate_on)


class Photo(models.Model):
    """A photo of an edition, with caption and credit."""

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="photos"
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = CleanImageField(
        _("image"),
        upload_to="photos/%Y/",
        blank=True,
        help_text=_(
            "Leave empty when the photo may not be reproduced here: the page then shows the "
            "caption and credit and says the photo is not reproduced. Never put another image "
            "under a real photographer's credit."
        ),
    )
    caption = models.CharField(_("caption"), max_length=500)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for screen readers. Empty uses the caption."),
    )
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption

    def clean(self) -> None:
        if self.venue_id and self.event_id and self.venue.event_id != self.event_id:
            raise ValidationError({"venue": _("Choose a venue of this photo's edition.")})

    @property
    def description(self) -> str:
        return self.alt_text or self.caption

    @property
    def is_reproduced(self) -> bool:
        """Whether the site holds the image itself, not only its caption and credit."""
        return bool(self.image)
