"""Agreements out of the admin."""

from import_export import fields, resources

from .models import Agreement


class AgreementResource(resources.ModelResource):
    """Agreements with their parties and amounts."""

    edition = fields.Field(attribute="event__title", column_name="edition")
    kind = fields.Field(column_name="kind")
    parties = fields.Field(column_name="parties")

    class Meta:
        model = Agreement
        fields = ["title", "kind", "edition", "signed_on", "amount_yuan", "parties", "purpose"]
        export_order = fields

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("event").prefetch_related(
                "party_roles__organization"
            )
        return super().export(queryset=queryset, **kwargs)

    def dehydrate_kind(self, agreement):
        return agreement.get_kind_display()

    def dehydrate_parties(self, agreement):
        return "; ".join(
            f"{role.organization} ({role.get_role_display()})"
            for role in agreement.party_roles.all()
        )
