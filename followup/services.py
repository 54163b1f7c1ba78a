"""The rules of following up an agreement: open its record, assign it, move it through its
stages, record and verify the capital in place. Every write goes through here (the admin, the
spreadsheet import, the demo data)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Agreement
from outbox.services import email_queue

from .models import PROGRESS, STAGE_DATE_FIELDS, CapitalEntry, FollowUp, Milestone, Office, Stage


def followup_open(
    *,
    agreement: Agreement,
    reference: str = "",
    by=None,
    **details,
) -> FollowUp:
    """Start following up ``agreement`` at the stage *signed* (dated by its signature);
    ``details`` are other fields of the record (office, case_officer, publish_stage…)."""
    with transaction.atomic():
        followup = FollowUp(
            agreement=agreement,
            reference=reference or f"AG-{agreement.pk:05d}",
            stage=Stage.SIGNED,
            stage_on=agreement.signed_on,
            **details,
        )
        followup.full_clean()
        followup.save()
        if agreement.signed_on:
            Milestone.objects.create(
                followup=followup,
                stage=Stage.SIGNED,
                reached_on=agreement.signed_on,
                recorded_by=by,
            )
    return followup


def followup_assign(
    *,
    followup: FollowUp,
    office: Office | None,
    case_officer=None,
    next_follow_up_on: datetime.date | None = None,
) -> FollowUp:
    """Give ``followup`` a responsible office, a case officer of that office and the date of
    its next follow-up."""
    if case_officer is not None and (
        office is None or not office.members.filter(pk=case_officer.pk).exists()
    ):
        raise ValidationError(
            {"case_officer": _("The case officer must be a member of the responsible office.")}
        )
    with transaction.atomic():
        followup.office = office
        followup.case_officer = case_officer
        followup.next_follow_up_on = next_follow_up_on
        followup.save(update_fields=["office", "case_officer", "next_follow_up_on", "updated_at"])
    return followup


def furthest_stage(followup: FollowUp) -> Stage:
    """The furthest stage of progress ``followup`` has ever reached (by its dates)."""
    reached = Stage.SIGNED
    for stage in PROGRESS[1:]:
        if getattr(followup, STAGE_DATE_FIELDS[stage]) is not None:
            reached = stage
    return reached


def followup_stage_check(
    *, followup: FollowUp, stage: str, on: datetime.date | None, reason: str, today: datetime.date
) -> None:
    """Raise ValidationError when ``followup`` may not move to ``stage`` on ``on`` (the rules
    of followup_stage_change; forms call it to show the error beside the field)."""
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage “%(stage)s”.") % {"stage": stage}})
    stage = Stage(stage)
    if followup.stage == Stage.TERMINATED:
        raise ValidationError(_("A terminated agreement stays terminated."))
    if stage == followup.stage:
        raise ValidationError({"stage": _("The agreement is already at this stage.")})
    if stage in (Stage.SUSPENDED, Stage.TERMINATED) and not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for a suspension or termination.")})
    reached = furthest_stage(followup)
    if stage in PROGRESS and PROGRESS.index(stage) < PROGRESS.index(reached):
        raise ValidationError(
            {
                "stage": _(
                    "The agreement has already reached “%(reached)s”; progress only goes "
                    "forward (a follow-up manager can correct a mistake)."
                )
                % {"reached": reached.label}
            }
        )
    if on is None:
        raise ValidationError({"on": _("Give the date the stage was reached.")})
    if on > today:
        raise ValidationError({"on": _("A stage cannot be reached in the future.")})
    signed_on = followup.agreement.signed_on
    if signed_on and on < signed_on:
        raise ValidationError({"on": _("A stage cannot be reached before the signature.")})
    if followup.stage_on and on < followup.stage_on:
        raise ValidationError({"on": _("The date is before the date of the current stage.")})


def followup_stage_change(
    *,
    followup: FollowUp,
    stage: str,
    on: datetime.date,
    reason: str = "",
    by=None,
    today: datetime.date | None = None,
) -> Milestone:
    """Move ``followup`` to ``stage`` as of ``on`` and record the milestone.

    Progress only goes forward (a stage already passed cannot be entered again, except to
    resume after a suspension at the stage it was suspended in or later); a suspension or a
    termination needs a reason; a terminated agreement stays terminated; a date lies between
    the signature and today.
    """
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    with transaction.atomic():
        followup = (
            FollowUp.objects.select_for_update().select_related("agreement").get(pk=followup.pk)
        )
        followup_stage_check(followup=followup, stage=stage, on=on, reason=reason, today=today)
        stage = Stage(stage)
        fields = ["stage", "stage_on", "updated_at"]
        followup.stage, followup.stage_on = stage, on
        if (date_field := STAGE_DATE_FIELDS.get(stage)) and getattr(followup, date_field) is None:
            setattr(followup, date_field, on)
            fields.append(date_field)
        followup.save(update_fields=fields)
        return Milestone.objects.create(
            followup=followup, stage=stage, reached_on=on, reason=reason, recorded_by=by
        )


def followup_stage_withdraw_check(*, followup: FollowUp, reason: str) -> list[Milestone]:
    """Raise ValidationError when ``followup`` has no stage to withdraw or no reason is given
    (the rules of followup_stage_withdraw); else return its standing milestones in order."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the stage is withdrawn.")})
    standing = list(followup.milestones.standing().order_by("reached_on", "pk"))
    if not standing or standing[-1].stage == Stage.SIGNED:
        raise ValidationError(_("No stage after the signature is recorded to withdraw."))
    return standing


def followup_stage_withdraw(*, followup: FollowUp, reason: str, by=None) -> Milestone:
    """Withdraw the last stage recorded for ``followup`` (entered by mistake) and return it.

    The milestone stays, marked withdrawn with who did it and why; the follow-up goes back to
    the stage and dates of the milestones still standing. The signature is never withdrawn.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
        standing = followup_stage_withdraw_check(followup=followup, reason=reason)
        withdrawn = standing.pop()
        withdrawn.withdrawn_at = timezone.now()
        withdrawn.withdrawn_by = by
        withdrawn.withdrawal_reason = reason
        withdrawn.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        last = standing[-1] if standing else None
        followup.stage = last.stage if last else Stage.SIGNED
        followup.stage_on = last.reached_on if last else followup.agreement.signed_on
        for stage, date_field in STAGE_DATE_FIELDS.items():
            dates = [m.reached_on for m in standing if m.stage == stage]
            setattr(followup, date_field, min(dates, default=None))
        followup.save(
            update_fields=["stage", "stage_on", *STAGE_DATE_FIELDS.values(), "updated_at"]
        )
    return withdrawn


def capital_entry_record(
    *,
    followup: FollowUp,
    amount: Decimal,
    currency: str,
    received_on: datetime.date,
    kind: str,
    evidence: File | None = None,
    note: str = "",
    by=None,
    today: datetime.date | None = None,
) -> CapitalEntry:
    """Record money in place for ``followup`` (unverified until someone checks its evidence)."""
    today = today or timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("Capital cannot be in place in the future.")})
    entry = CapitalEntry(
        followup=followup,
        amount=amount,
        currency=currency,
        received_on=received_on,
        kind=kind,
        note=note,
        recorded_by=by,
    )
    if evidence is not None:
        entry.evidence = evidence
    entry.full_clean()
    with transaction.atomic():
        entry.save()
    return entry


def capital_entry_verify(*, entry: CapitalEntry, by) -> CapitalEntry:
    """Mark ``entry`` as checked against its evidence by ``by``; only verified entries count in
    the capital in place."""
    with transaction.atomic():
        entry = CapitalEntry.objects.select_for_update().get(pk=entry.pk)
        if not entry.evidence:
            raise ValidationError(_("Attach the evidence before verifying an entry."))
        if entry.verified_at is not None:
            return entry
        entry.verified_by, entry.verified_at = by, timezone.now()
        entry.save(update_fields=["verified_by", "verified_at"])
    return entry


def followup_reminders_queue(*, today: datetime.date | None = None) -> int:
    """Queue one e-mail per case officer listing their agreements due for a follow-up (next
    follow-up date today or earlier, not terminated). Idempotent per officer and day: run it
    daily from a timer, twice or on two hosts."""
    today = today or timezone.localdate()
    due: dict[int, list[FollowUp]] = {}
    officers = {}
    for followup in (
        FollowUp.objects.filter(next_follow_up_on__lte=today, case_officer__isnull=False)
        .exclude(stage=Stage.TERMINATED)
        .exclude(case_officer__email="")
        .select_related("agreement", "case_officer")
        .order_by("next_follow_up_on", "pk")
    ):
        due.setdefault(followup.case_officer_id, []).append(followup)
        officers[followup.case_officer_id] = followup.case_officer
    queued = 0
    language = settings.LANGUAGE_CODE
    for officer_id, followups in due.items():
        officer = officers[officer_id]
        context = {
            "officer": officer,
            "followups": followups,
            "today": today,
            "admin_url": settings.SITE_URL + reverse("admin:followup_followup_changelist"),
        }
        with translation.override(language), transaction.atomic():
            email = email_queue(
                to=officer.email,
                subject=render_to_string("followup/email/reminder_subject.txt", context),
                body_text=render_to_string("followup/email/reminder_body.txt", context),
                kind="followup_reminder",
                language=language,
                dedupe_key=f"followup_reminder:{officer_id}:{today.isoformat()}",
            )
        queued += email is not None
    return queued
