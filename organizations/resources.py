"""Institutions in and out of the admin; an imported row matches as a registration does."""

import functools

from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from common.pagecache import SITE, stamps_bump_on_commit
from common.text import validate_multiline, validate_name, validate_single_line

from .models import Organization
from .services import OrganizationIndex
from .validators import normalize_uscc

ORGANIZATION_COLUMNS = [
    "name_en",
    "name_zh_hans",
    "kind",
    "uscc",
    "city_en",
    "city_zh_hans",
    "district_en",
    "district_zh_hans",
    "website",
]


class KindWidget(widgets.Widget):
    """Read a kind as its code or its label in either language; write the code."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return Organization.Kind.OTHER
        if kind := _kinds_by_form().get(text.casefold()):
            return kind
        raise ValueError(
            _("Unknown kind “%(value)s”. Use one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(Organization.Kind.values)}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


@functools.cache
def _kinds_by_form() -> dict[str, str]:
    """Each kind under its code and its label in each language, case-folded."""
    forms = {}
    for kind in Organization.Kind:
        forms[kind.value] = kind.value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                forms[str(kind.label).casefold()] = kind.value
    return forms


class OrganizationResource(resources.ModelResource):
    """Institutions in and out; an imported row updates the institution it matches.

    Matching follows registration: the same USCC, or else the same normalized name.
    """

    kind = fields.Field(attribute="kind", column_name="kind", widget=KindWidget())

    class Meta:
        model = Organization
        fields = ORGANIZATION_COLUMNS
        export_order = ORGANIZATION_COLUMNS
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        headers = {str(h or "").strip() for h in dataset.headers or []}
        if not headers & {"name_en", "name_zh_hans"}:
            raise ValidationError(
                _(
                    "The file needs a name_en or name_zh_hans column. Its columns are: "
                    "%(found)s. Expected columns: %(expected)s."
                )
                % {
                    "found": ", ".join(sorted(headers)) or _("none"),
                    "expected": ", ".join(ORGANIZATION_COLUMNS),
                }
            )
        unknown = headers - set(ORGANIZATION_COLUMNS)
        if unknown:
            raise ValidationError(
                _("Unknown columns: %(unknown)s. Expected columns: %(expected)s.")
                % {
                    "unknown": ", ".join(sorted(unknown)),
                    "expected": ", ".join(ORGANIZATION_COLUMNS),
                }
            )
        self.index = OrganizationIndex(
            (_name(row), normalize_uscc(_cell(row, "uscc"))) for row in dataset.dict
        )

    def get_instance(self, instance_loader, row):
        name = _name(row)
        if not name:
            raise ValidationError(_("Each row needs a name in English or Chinese."))
        return self.index.find_match(name=name, uscc=normalize_uscc(_cell(row, "uscc")))

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # An empty cell never wipes what the institution already has.
        if field.attribute and field.column_name in row and not _cell(row, field.column_name):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)
        if field.attribute == "uscc":
            instance.uscc = normalize_uscc(instance.uscc)

    #: A staff job sets this to ``progress(done, total)`` (outbox.jobs.Progress).
    progress = None

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self.progress is not None:
            self._rows_done = getattr(self, "_rows_done", 0) + 1
            self.progress(self._rows_done)

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.slug = self.index.unique_slug(_name(row))

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            # A preview saves nothing (import-export would save and roll back): each row's
            # validation and the import's index stand for the database's rules, which the
            # import itself still meets on save.
            self.index.remember(instance)
        else:
            super().save_instance(instance, is_create, row, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        self.index.remember(instance)

    def after_import(self, dataset, result, **kwargs):
        """Mark every cached public page out of date once a real import commits.

        The rows' signals already do; this also covers a bulk import, which sends none.
        """
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            stamps_bump_on_commit([SITE])

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Validate as full_clean() does, with the unique rules answered by the import's index.

        The slug is unique by construction (``OrganizationIndex.unique_slug``) and the USCC is
        looked up in the index, so a row costs no query here; the database still enforces both,
        and every CheckConstraint, on save (their rules are also field validators).
        """
        errors = dict(import_validation_errors or {})
        for field in Organization._meta.concrete_fields:
            value = getattr(instance, field.attname)
            if isinstance(value, str) and field.name not in errors:
                check = (
                    validate_multiline
                    if field.get_internal_type() == "TextField"
                    else (validate_single_line)
                )
                try:
                    check(value)
                    if field.name.startswith("name_") and value:
                        validate_name(value)
                except ValidationError as error:
                    errors[field.name] = error.messages
        try:
            instance.full_clean(
                exclude=errors.keys(), validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        owner = self.index.uscc_owner(instance.uscc) if instance.uscc else None
        if owner is not None and owner is not instance and "uscc" not in errors:
            for constraint in Organization._meta.constraints:
                if isinstance(constraint, UniqueConstraint):
                    try:
                        constraint.validate(Organization, instance)
                    except ValidationError as error:
                        errors.setdefault("uscc", []).extend(error.messages)
        if errors:
            raise ValidationError(errors)


def _name(row) -> str:
    return _cell(row, "name_en") or _cell(row, "name_zh_hans")


def _cell(row, column: str) -> str:
    return str(row.get(column) or "").strip()
