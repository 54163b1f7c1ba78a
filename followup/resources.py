"""Spreadsheet updates from the offices: stage changes and capital in place, one per row,
matched by the follow-up's reference. Previewed first; one bad row imports nothing."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from common.text import validate_multiline

from .models import CapitalEntry, Currency, FollowUp, Milestone, Stage
from .services import capital_entry_record, followup_stage_change, followup_stage_check


class DayWidget(widgets.DateWidget):
    """A date as 2025-01-31, or a spreadsheet's date cell (read as a date, not a datetime)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        return super().clean(value, row, **kwargs)


DATE = DayWidget(format="%Y-%m-%d")


class ChoiceWidget(widgets.Widget):
    """Read a choice as its code or its label in either language; write the code."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        for choice in self.choices:
            forms = {choice.value.casefold()}
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    forms.add(str(choice.label).casefold())
            if text.casefold() in forms:
                return choice.value
        raise ValueError(
            _("Unknown value “%(value)s”. Use one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(self.choices.values)}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class _FollowUpRowResource(resources.ModelResource):
    """Rows that belong to a follow-up named by its ``reference``, among those the importing
    user may see (an officer: the agreements of their office)."""

    reference = fields.Field(column_name="reference", attribute=None)
    COLUMNS: list[str] = []

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.today = timezone.localdate()

    def import_data(self, dataset, **kwargs):
        # All or nothing, also when a row turns invalid between the preview and the import.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        headers = {str(h or "").strip() for h in dataset.headers or []}
        missing = {"reference", "date"} - headers
        unknown = headers - set(self.COLUMNS)
        if missing or unknown:
            raise ValidationError(
                _("The columns must be: %(expected)s. Found: %(found)s.")
                % {
                    "expected": ", ".join(self.COLUMNS),
                    "found": ", ".join(sorted(headers)) or _("none"),
                }
            )

    def get_instance(self, instance_loader, row):
        return None  # every row is a new stage or entry

    def followup_for(self, row) -> FollowUp:
        reference = str(row.get("reference") or "").strip()
        followups = FollowUp.objects.select_related("agreement")
        if self.user is not None:
            followups = followups.for_user(self.user)
        followup = followups.filter(reference=reference).first() if reference else None
        if followup is None:
            raise ValidationError(
                {
                    "reference": _("No agreement you follow up has the reference “%(reference)s”.")
                    % {"reference": reference}
                }
            )
        return followup

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in ("reason", "note"):  # an empty spreadsheet cell is None
            if hasattr(instance, name) and getattr(instance, name) is None:
                setattr(instance, name, "")
        try:
            instance.followup = self.followup_for(row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class MilestoneResource(_FollowUpRowResource):
    """Stage changes: reference, stage (code or label), date, reason."""

    COLUMNS = ["reference", "stage", "date", "reason"]
    stage = fields.Field(attribute="stage", column_name="stage", widget=ChoiceWidget(Stage))
    date = fields.Field(attribute="reached_on", column_name="date", widget=DATE)

    class Meta:
        model = Milestone
        name = _("Stage changes")
        fields = ["reference", "stage", "date", "reason"]
        import_order = ["reference", "stage", "date", "reason"]
        use_transactions = True
        skip_diff = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                validate_multiline(instance.reason)
                followup_stage_check(
                    followup=FollowUp.objects.select_related("agreement").get(
                        pk=instance.followup.pk
                    ),
                    stage=instance.stage,
                    on=instance.reached_on,
                    reason=instance.reason,
                    today=self.today,
                )
            except ValidationError as error:
                names = {"on": "date"}
                if hasattr(error, "error_dict"):
                    for name, messages in error.error_dict.items():
                        errors.setdefault(names.get(name, name), []).extend(messages)
                else:
                    errors.setdefault("stage", []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        milestone = followup_stage_change(
            followup=instance.followup,
            stage=instance.stage,
            on=instance.reached_on,
            reason=instance.reason,
            by=self.user,
            today=self.today,
        )
        instance.pk = milestone.pk


class CapitalEntryResource(_FollowUpRowResource):
    """Capital in place: reference, amount, currency, date, kind, note (unverified until
    someone attaches the evidence in the admin and verifies it)."""

    COLUMNS = ["reference", "amount", "currency", "date", "kind", "note"]
    currency = fields.Field(
        attribute="currency", column_name="currency", widget=ChoiceWidget(Currency)
    )
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(CapitalEntry.Kind)
    )
    date = fields.Field(attribute="received_on", column_name="date", widget=DATE)

    class Meta:
        model = CapitalEntry
        name = _("Capital in place")
        fields = ["reference", "amount", "currency", "date", "kind", "note"]
        import_order = ["reference", "amount", "currency", "date", "kind", "note"]
        use_transactions = True
        skip_diff = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.received_on and instance.received_on > self.today:
            errors.setdefault("date", []).append(_("Capital cannot be in place in the future."))
        try:
            instance.full_clean(
                exclude=[*errors.keys(), "received_on", "followup", "evidence", "recorded_by"]
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        entry = capital_entry_record(
            followup=instance.followup,
            amount=instance.amount,
            currency=instance.currency,
            received_on=instance.received_on,
            kind=instance.kind,
            note=instance.note,
            by=self.user,
            today=self.today,
        )
        instance.pk = entry.pk
