"""Admin layout shared by the apps."""

import datetime
import logging
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, models
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .bilingual import missing_languages, missing_translation_q

logger = logging.getLogger(__name__)


class StorageErrorMixin:
    """Turn a failed write of an uploaded file (disk full, folder not writable) into a message.

    The save runs in one transaction, so nothing of the form is stored; the editor sees why and
    the same form again, instead of a server error.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as error:
            logger.exception("Could not store an uploaded file in %s", request.path)
            self.message_user(
                request,
                _(
                    "The uploaded file could not be stored (%(reason)s), so nothing was saved. "
                    "The disk may be full or the media folder not writable: please tell the "
                    "site's operator, then try again."
                )
                % {"reason": error.strerror or type(error).__name__},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class SideBySideTranslationMixin:
    """Show the languages of each translated field on one row, English next to Chinese.

    Use with modeltranslation's TranslationAdmin or its translation inlines, which by
    themselves list the language variants one under the other.
    """

    def get_fieldsets(self, request, obj=None):
        variants = {
            build_localized_fieldname(field, lang): field
            for field in self.trans_opts.fields
            for lang in mt_settings.AVAILABLE_LANGUAGES
        }
        return [
            (title, {**options, "fields": _pair_languages(options["fields"], variants)})
            for title, options in super().get_fieldsets(request, obj)
        ]


def _pair_languages(fields, variants: dict[str, str]) -> list:
    """Group consecutive language variants of one field into a tuple (one admin row)."""
    rows: list = []
    for field in fields:
        base = variants.get(field) if isinstance(field, str) else None
        previous = rows[-1] if rows else None
        if base and isinstance(previous, tuple) and variants.get(previous[0]) == base:
            rows[-1] = (*previous, field)
        else:
            rows.append((field,) if base else field)
    return rows


class MalformedFilterMixin:
    """Answer a malformed filter in a list's address with 400, not a server error (every admin
    of the project's apps has it, through HistoryAdmin or directly: tests/test_admin.py)."""

    def changelist_view(self, request, extra_context=None):
        """The list, with a malformed filter in the address (``?event__id__exact=abc``, an id
        beyond 64 bits) answered 400 rather than with a server error. The page is rendered here,
        so errors of its lazily run queries are caught too."""
        try:
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()
        except (ValueError, OverflowError, ValidationError, DataError):
            logger.info("Malformed admin list filter: %s", request.get_full_path())
            return HttpResponseBadRequest(
                _("This list cannot be filtered that way: check the address."),
                content_type="text/plain; charset=utf-8",
            )
        return response


class WordedChanges(HistoricalRecordContextHelper):
    """The changes between versions in the reader's words: a choice by its label (已举行, not
    held), yes or no (not True and False), a time as the site prints one, in Beijing time, and
    nothing as a dash (not None)."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None:
            return "–"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime.datetime):
            return formats.localize(timezone.localtime(value))
        if isinstance(value, datetime.date):
            return formats.localize(value)
        if field.choices and isinstance(value, str | int):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(MalformedFilterMixin, SimpleHistoryAdmin):
    """simple-history's admin with writes through the history pages held to the change right.

    simple-history shows an earlier version to anyone who may view the object and saves the
    posted form without asking again: a view-only user could revert. Here a POST to a version's
    page needs the model's change permission, like the change form, and a version that is not a
    number is a 404 instead of a server error. Every admin of the project derives from this
    class, so it also answers malformed list filters with 400.
    """

    def get_historical_record_context_helper(self, request, historical_record):
        return WordedChanges(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            # The list prints a reason never given as "None"; staff are not asked for one.
            record.history_change_reason = record.history_change_reason or ""

    def _valid_pk_or_404(self, object_id) -> None:
        try:
            self.model._meta.pk.to_python(object_id)
        except ValidationError as error:
            raise Http404 from error

    def history_view(self, request, object_id, extra_context=None):
        self._valid_pk_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._valid_pk_or_404(object_id)
        if not str(version_id).isdigit():
            raise Http404
        # A deleted object has no row: reverting it back needs the right to change the model.
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, object_id)
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class PlainDecimalInput(forms.NumberInput):
    """A decimal without the padding zeros of its column: 1500000000000, not
    1500000000000.0000."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            value = f"{value.normalize():f}"
        return super().format_value(value)


class MissingTranslationFilter(admin.SimpleListFilter):
    """Records with a text in one language and not in the other."""

    title = gettext_lazy("translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            (code, _("%(language)s missing") % {"language": _(str(name))})
            for code, name in settings.LANGUAGES
        ]

    def queryset(self, request, queryset):
        codes = {code for code, _name in settings.LANGUAGES}
        if self.value() in codes:
            return queryset.filter(missing_translation_q(queryset.model, self.value()))
        return queryset


class ContentAdmin(StorageErrorMixin, HistoryAdmin, SideBySideTranslationMixin, TranslationAdmin):
    """Admin of a translated model: languages side by side, history with revert, uploads that
    fail to be stored reported as a message, and what is still untranslated shown: a list
    filter and a badge at the top of the change form."""

    change_form_template = "admin/translated_change_form.html"
    formfield_overrides = {models.DecimalField: {"widget": PlainDecimalInput}}

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), MissingTranslationFilter]

    def render_change_form(self, request, context, **kwargs):
        # Django passes add, change, form_url and obj by keyword.
        obj = kwargs.get("obj")
        if obj is not None:
            names = dict(settings.LANGUAGES)
            context["missing_translations"] = [
                _(str(names[code])) for code in missing_languages(obj)
            ]
        return super().render_change_form(request, context, **kwargs)
