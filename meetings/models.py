"""Meetings between investors and projects at an edition.

- ``MeetingSettings``: an edition's rules (cap per delegate, how long a request holds a slot,
  whether requests are open, when the generated schedule was published).
- ``MeetingRound``: a block of slots in a sub-venue with its tables; ``MeetingSlot`` and
  ``MeetingTable`` are generated from it (``services.round_generate``).
- ``MeetingProfile``: an institution's registration taking meetings, as an investor or as a
  project, with the delegates who take them.
- ``Meeting``: a request, a generated draft or an agreed meeting between two delegates in a
  slot; ``MeetingSeat`` is a delegate's place in a slot while the meeting holds it: the unique
  constraint on (delegate, slot) is what makes double booking impossible.
- ``MeetingPreference``: "must meet" or "would like to meet", for the generated schedule.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import validate_multiline, validate_single_line
from events.models import Agreement, Event, Venue
from registrations.models import Delegate, Participation


class Sector(models.TextChoices):
    AI = "ai", _("Artificial intelligence")
    SEMICONDUCTORS = "semiconductors", _("Semiconductors")
    HARDWARE = "hardware", _("Hardware and robotics")
    BIOTECH = "biotech", _("Biotech and health")
    ENERGY = "energy", _("New energy")
    MANUFACTURING = "manufacturing", _("Advanced manufacturing")
    CONSUMER = "consumer", _("Consumer")
    FINTECH = "fintech", _("Financial technology")
    SOFTWARE = "software", _("Enterprise software")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    SEED = "seed", _("Seed and angel")
    EARLY = "early", _("Series A")
    GROWTH = "growth", _("Series B and C")
    LATE = "late", _("Late stage and pre-IPO")


class MeetingSettings(models.Model):
    """An edition's meeting rules. Its row is also the lock that serializes the scheduler."""

    event = models.OneToOneField(
        Event,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="meeting_settings",
    )
    requests_open = models.BooleanField(
        _("requests open"),
        default=True,
        help_text=_("Registrants may request and answer meetings from their status page."),
    )
    max_meetings_per_delegate = models.PositiveSmallIntegerField(
        _("meetings per delegate at most"), default=8, validators=[MinValueValidator(1)]
    )
    hold_hours = models.PositiveSmallIntegerField(
        _("a pending request holds the slot for (hours)"),
        default=48,
        validators=[MinValueValidator(1)],
    )
    schedule_published_at = models.DateTimeField(
        _("generated schedule published"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("meeting settings of an edition")
        verbose_name_plural = _("meeting settings")

    def __str__(self) -> str:
        return str(self.event)


class MeetingRound(models.Model):
    """Slots of a set length between two times in one sub-venue, at a number of tables."""

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="meeting_rounds"
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="meeting_rounds"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    break_minutes = models.PositiveSmallIntegerField(
        _("break between slots (minutes)"), default=0, validators=[MaxValueValidator(120)]
    )
    tables = models.PositiveSmallIntegerField(
        _("tables"), default=10, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    class Meta:
        verbose_name = _("meeting round")
        verbose_name_plural = _("meeting rounds")
        ordering = ["event", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_round_ends_after_start",
                violation_error_message=_("A round must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{self.venue.name} {start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def slot_times(self) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """The slots the round's times give: each slot_minutes long, break_minutes apart."""
        length = datetime.timedelta(minutes=self.slot_minutes)
        step = length + datetime.timedelta(minutes=self.break_minutes)
        times, start = [], self.starts_at
        while start + length <= self.ends_at:
            times.append((start, start + length))
            start += step
        return times


class MeetingSlot(models.Model):
    round = models.ForeignKey(
        MeetingRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "starts_at"], name="meeting_slot_unique")
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{start:%Y-%m-%d %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"


class MeetingTable(models.Model):
    round = models.ForeignKey(
        MeetingRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="table_set"
    )
    number = models.PositiveSmallIntegerField(_("table number"))

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="meeting_table_unique")
        ]

    def __str__(self) -> str:
        return str(self.number)


class MeetingProfileQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_hidden=False, participation__status=Participation.Status.APPROVED)


class MeetingProfile(models.Model):
    """An institution's registration taking meetings, as an investor or as a project."""

    class Side(models.TextChoices):
        INVESTOR = "investor", _("Investor")
        PROJECT = "project", _("Project or enterprise")

    participation = models.OneToOneField(
        Participation,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="meeting_profile",
    )
    side = models.CharField(_("taking meetings as"), max_length=10, choices=Side)
    # Codes between commas (",ai,energy,"): a filter is one LIKE on every database.
    sectors = models.CharField(_("sectors"), max_length=300, blank=True)
    stages = models.CharField(_("stages"), max_length=100, blank=True)
    ticket_min_yuan = models.DecimalField(
        _("smallest ticket (yuan)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    ticket_max_yuan = models.DecimalField(
        _("largest ticket (yuan)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount_sought_yuan = models.DecimalField(
        _("amount sought (yuan)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    regions = models.CharField(
        _("regions"), max_length=200, blank=True, validators=[validate_single_line]
    )
    pitch = models.TextField(
        _("short pitch"), max_length=1000, blank=True, validators=[validate_multiline]
    )
    delegates = models.ManyToManyField(
        Delegate,
        verbose_name=_("delegates taking meetings"),
        blank=True,
        related_name="meeting_profiles",
    )
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden by staff: others do not see it.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting profile")
        verbose_name_plural = _("meeting profiles")
        ordering = ["participation__organization__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_min_yuan__isnull=True)
                | Q(ticket_max_yuan__isnull=True)
                | Q(ticket_max_yuan__gte=F("ticket_min_yuan")),
                name="meeting_profile_ticket_range",
                violation_error_message=_("The largest ticket cannot be below the smallest."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation.institution_name} ({self.get_side_display()})"

    @property
    def sector_list(self) -> list[str]:
        return [code for code in self.sectors.split(",") if code]

    @property
    def stage_list(self) -> list[str]:
        return [code for code in self.stages.split(",") if code]

    @property
    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [labels.get(code, code) for code in self.sector_list]

    @property
    def stage_labels(self) -> list[str]:
        labels = dict(Stage.choices)
        return [labels.get(code, code) for code in self.stage_list]

    @staticmethod
    def join_codes(codes) -> str:
        codes = [code for code in codes if code]
        return f",{','.join(codes)}," if codes else ""


class MeetingQuerySet(models.QuerySet):
    def holding(self):
        """Meetings that hold their slot (and so have seats)."""
        return self.filter(status__in=Meeting.HOLDING)

    def agreed(self):
        return self.filter(status__in=Meeting.AGREED)

    def of_participation(self, participation: Participation):
        return self.filter(
            Q(requester__participation=participation) | Q(invitee__participation=participation)
        )


class Meeting(models.Model):
    """A meeting between two delegates in a slot: requested, generated, agreed or done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Requested, awaiting an answer")
        DRAFT = "draft", _("Draft of the generated schedule")
        ACCEPTED = "accepted", _("Confirmed")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired without an answer")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")

    class Source(models.TextChoices):
        REQUEST = "request", _("Requested by a participant")
        SCHEDULE = "schedule", _("Generated schedule")
        STAFF = "staff", _("Added by staff")

    #: Statuses in which a meeting keeps its slot, its seats and its table.
    HOLDING = frozenset(
        {Status.PENDING, Status.DRAFT, Status.ACCEPTED, Status.HELD, Status.NO_SHOW}
    )
    #: Statuses of a meeting that is (or was) on both agendas.
    AGREED = frozenset({Status.ACCEPTED, Status.HELD, Status.NO_SHOW})

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="meetings"
    )
    slot = models.ForeignKey(
        MeetingSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="meetings"
    )
    table = models.ForeignKey(
        MeetingTable,
        verbose_name=_("table"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    requester = models.ForeignKey(
        Delegate,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="meetings_requested",
    )
    invitee = models.ForeignKey(
        Delegate,
        verbose_name=_("invited"),
        on_delete=models.CASCADE,
        related_name="meetings_invited",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.REQUEST)
    message = models.TextField(
        _("message"), max_length=1000, blank=True, validators=[validate_multiline]
    )
    expires_at = models.DateTimeField(_("request expires"), null=True, blank=True)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement that came out of it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "table__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("invitee")),
                name="meeting_two_different_delegates",
            ),
            # The last line behind the services' locks: one meeting per table and slot.
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(table__isnull=False)
                & Q(status__in=["pending", "draft", "accepted", "held", "no_show"]),
                name="meeting_one_per_table_and_slot",
                violation_error_message=_("This table is already taken in this slot."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.requester} – {self.invitee} ({self.slot})"

    def counterpart(self, participation: Participation) -> Delegate:
        """The other side's delegate, seen from a registration."""
        if self.requester.participation_id == participation.pk:
            return self.invitee
        return self.requester


class MeetingSeat(models.Model):
    """A delegate's place in a slot while a meeting holds it (deleted when it lets go)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="seats"
    )
    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="+"
    )
    slot = models.ForeignKey(
        MeetingSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="seats"
    )

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["delegate", "slot"],
                name="meeting_seat_one_per_delegate_and_slot",
                violation_error_message=_("This delegate already has a meeting in this slot."),
            ),
            models.UniqueConstraint(fields=["meeting", "delegate"], name="meeting_seat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} @ {self.slot}"


class MeetingPreference(models.Model):
    """Whom a registration wants to meet, for the organizer's generated schedule."""

    class Level(models.IntegerChoices):
        WOULD_LIKE = 1, _("Would like to meet")
        MUST = 3, _("Must meet")

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="meeting_preferences",
    )
    target = models.ForeignKey(
        Participation,
        verbose_name=_("wants to meet"),
        on_delete=models.CASCADE,
        related_name="meeting_preferences_received",
    )
    level = models.PositiveSmallIntegerField(_("how much"), choices=Level)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting preference")
        verbose_name_plural = _("meeting preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "target"], name="meeting_preference_unique"
            ),
            models.CheckConstraint(
                condition=~Q(participation=F("target")), name="meeting_preference_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} → {self.target_id} ({self.get_level_display()})"


class ScheduleRun(models.Model):
    """One run of the scheduler: what it placed and how close it came."""

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="schedule_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("run"), default=timezone.now)
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
