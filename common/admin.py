"""Admin layout shared by the apps."""

from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname
from simple_history.admin import SimpleHistoryAdmin


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


class ContentAdmin(SimpleHistoryAdmin, SideBySideTranslationMixin, TranslationAdmin):
    """Admin of a translated model: languages side by side, history with revert."""
