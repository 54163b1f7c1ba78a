"""Meetings out of the admin (every text cell formula-escaped by common.formats)."""

from import_export import fields, resources

from .models import Meeting


class MeetingResource(resources.ModelResource):
    edition = fields.Field(column_name="edition")
    starts = fields.Field(column_name="starts")
    venue = fields.Field(column_name="venue")
    table_number = fields.Field(column_name="table")
    requested_by = fields.Field(column_name="requested by")
    requester_institution = fields.Field(column_name="requester's institution")
    invited = fields.Field(column_name="invited")
    invitee_institution = fields.Field(column_name="invitee's institution")
    status_label = fields.Field(column_name="status")
    source_label = fields.Field(column_name="source")
    agreement_title = fields.Field(column_name="agreement")

    class Meta:
        model = Meeting
        fields = [
            "edition",
            "starts",
            "venue",
            "table_number",
            "requested_by",
            "requester_institution",
            "invited",
            "invitee_institution",
            "status_label",
            "source_label",
            "message",
            "agreement_title",
        ]
        export_order = fields

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related(
                "event",
                "slot__round__venue",
                "table",
                "requester__participation__organization",
                "invitee__participation__organization",
                "agreement",
            )
        return super().export(queryset=queryset, **kwargs)

    def dehydrate_edition(self, meeting):
        return meeting.event.title

    def dehydrate_starts(self, meeting):
        return str(meeting.slot)

    def dehydrate_venue(self, meeting):
        return meeting.slot.round.venue.name

    def dehydrate_table_number(self, meeting):
        return meeting.table.number if meeting.table else ""

    def dehydrate_requested_by(self, meeting):
        return meeting.requester.name

    def dehydrate_requester_institution(self, meeting):
        return meeting.requester.participation.organization.name

    def dehydrate_invited(self, meeting):
        return meeting.invitee.name

    def dehydrate_invitee_institution(self, meeting):
        return meeting.invitee.participation.organization.name

    def dehydrate_status_label(self, meeting):
        return meeting.get_status_display()

    def dehydrate_source_label(self, meeting):
        return meeting.get_source_display()

    def dehydrate_agreement_title(self, meeting):
        return meeting.agreement.title if meeting.agreement else ""
