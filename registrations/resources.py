"""Registrations out of the admin: the export staff use for name lists."""

from import_export import fields, resources

from .models import Participation


class ParticipationResource(resources.ModelResource):
    """An edition's registrations, for staff: contact details included."""

    edition = fields.Field(attribute="event__title", column_name="edition")
    institution = fields.Field(attribute="organization__name", column_name="institution")
    uscc = fields.Field(attribute="organization__uscc", column_name="uscc")
    sub_venues = fields.Field(column_name="sub_venues")
    status = fields.Field(column_name="status")

    class Meta:
        model = Participation
        fields = [
            "edition",
            "institution",
            "uscc",
            "contact_name",
            "contact_position",
            "contact_email",
            "contact_phone",
            "delegates",
            "sub_venues",
            "listed_publicly",
            "status",
            "created_at",
        ]
        export_order = fields

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("event", "organization").prefetch_related("venues")
        return super().export(queryset=queryset, **kwargs)

    def dehydrate_sub_venues(self, participation):
        return "; ".join(venue.name for venue in participation.venues.all())

    def dehydrate_status(self, participation):
        return participation.get_status_display()
