"""Staff work on meetings: settings and rounds of an edition, profiles, meetings, the generated
schedule (generate, review, adjust, publish) and the figures."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from common.admin import HistoryAdmin, MalformedFilterMixin
from common.importexport import ExportAdminMixin

from . import selectors, services
from .models import Meeting, MeetingProfile, MeetingRound, MeetingSettings, ScheduleRun
from .resources import MeetingResource


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(HistoryAdmin):
    list_display = [
        "event",
        "requests_open",
        "max_meetings_per_delegate",
        "hold_hours",
        "schedule_published_at",
        "figures_link",
    ]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    readonly_fields = ["schedule_published_at", "last_run"]
    actions = ["generate_schedule", "publish_schedule", "discard_schedule"]

    @admin.display(description=_("figures"))
    def figures_link(self, obj):
        url = reverse("admin:meetings_meetingsettings_figures", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Meetings in figures"))

    @admin.display(description=_("last schedule run"))
    def last_run(self, obj):
        run = obj.event.schedule_runs.first()
        return run.report if run else "—"

    def get_urls(self):
        return [
            path(
                "<int:pk>/figures/",
                self.admin_site.admin_view(self.figures_view),
                name="meetings_meetingsettings_figures",
            ),
            *super().get_urls(),
        ]

    def figures_view(self, request, pk):
        meeting_settings = get_object_or_404(MeetingSettings.objects.select_related("event"), pk=pk)
        if not self.has_view_permission(request, meeting_settings):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Meetings in figures: %(event)s") % {"event": meeting_settings.event},
            "opts": self.model._meta,
            "settings_obj": meeting_settings,
            "stats": selectors.edition_stats(event=meeting_settings.event),
            "runs": meeting_settings.event.schedule_runs.all()[:5],
            "series_agreements": selectors.series_agreements_from_meetings(
                series=meeting_settings.event.series
            ),
        }
        return TemplateResponse(request, "admin/meetings/figures.html", context)

    @admin.action(
        description=_("Generate a draft schedule from the wishes"), permissions=["change"]
    )
    def generate_schedule(self, request, queryset):
        """Start a staff job per edition: on a large one the solver outlasts a request."""
        for meeting_settings in queryset.select_related("event"):
            event = meeting_settings.event
            job, started = services.schedule_generate_start(event=event, by=request.user)
            if started:
                note = gettext("%(event)s: the draft schedule is being generated.")
            else:
                note = gettext("%(event)s: a draft schedule is already being generated.")
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    note % {"event": event},
                    reverse("admin:outbox_staffjob_change", args=[job.pk]),
                    gettext("Progress and result"),
                ),
                messages.SUCCESS if started else messages.WARNING,
            )

    @admin.action(
        description=_("Publish the draft schedule (tells every registrant)"), permissions=["change"]
    )
    def publish_schedule(self, request, queryset):
        for meeting_settings in queryset.select_related("event"):
            count = services.schedule_publish(event=meeting_settings.event)
            self.message_user(
                request,
                gettext("%(event)s: %(count)s meetings published.")
                % {"event": meeting_settings.event, "count": count},
            )

    @admin.action(description=_("Discard the draft schedule"), permissions=["change"])
    def discard_schedule(self, request, queryset):
        for meeting_settings in queryset.select_related("event"):
            count = services.schedule_discard(event=meeting_settings.event)
            self.message_user(
                request,
                gettext("%(event)s: %(count)s draft meetings discarded.")
                % {"event": meeting_settings.event, "count": count},
            )


@admin.register(MeetingRound)
class MeetingRoundAdmin(HistoryAdmin):
    list_display = ["__str__", "event", "slot_minutes", "break_minutes", "tables"]
    list_filter = ["event"]
    list_select_related = ["event", "venue"]
    autocomplete_fields = ["event", "venue"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.round_generate(meeting_round=obj)


@admin.register(MeetingProfile)
class MeetingProfileAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["__str__", "side", "sectors", "stages", "is_hidden", "updated_at"]
    list_filter = ["side", "is_hidden", "participation__event"]
    list_select_related = ["participation__organization"]
    search_fields = ["participation__organization__name", "participation__institution_name_given"]
    autocomplete_fields = ["participation"]
    filter_horizontal = ["delegates"]
    actions = ["hide", "show"]

    @admin.action(description=_("Hide the selected profiles"))
    def hide(self, request, queryset):
        for profile in queryset:
            services.profile_set_hidden(profile=profile, hidden=True)

    @admin.action(description=_("Show the selected profiles again"))
    def show(self, request, queryset):
        for profile in queryset:
            services.profile_set_hidden(profile=profile, hidden=False)


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["slot", "table", "agreement"]


@admin.register(Meeting)
class MeetingAdmin(ExportAdminMixin, HistoryAdmin):
    resource_classes = [MeetingResource]
    form = MeetingAdminForm
    list_display = [
        "slot",
        "table",
        "requester",
        "requester_institution",
        "invitee",
        "invitee_institution",
        "status",
        "source",
        "agreement",
    ]
    list_filter = ["event", "status", "source", "slot__round__venue"]
    list_select_related = [
        "slot__round__venue",
        "table",
        "requester__participation__organization",
        "invitee__participation__organization",
        "agreement",
    ]
    search_fields = [
        "requester__name_zh",
        "requester__name_en",
        "invitee__name_zh",
        "invitee__name_en",
        "requester__participation__organization__name",
        "invitee__participation__organization__name",
    ]
    readonly_fields = [
        "event",
        "requester",
        "invitee",
        "status",
        "source",
        "message",
        "expires_at",
        "created_at",
        "answered_at",
    ]
    autocomplete_fields = ["agreement"]
    actions = ["mark_held", "mark_no_show", "cancel"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("requester's institution"))
    def requester_institution(self, obj):
        return obj.requester.participation.organization

    @admin.display(description=_("invitee's institution"))
    def invitee_institution(self, obj):
        return obj.invitee.participation.organization

    def save_model(self, request, obj, form, change):
        """Changes go through the services: a move checks seats and tables and tells both."""
        stored = Meeting.objects.get(pk=obj.pk)
        try:
            if (stored.slot_id, stored.table_id) != (obj.slot_id, obj.table_id):
                services.meeting_move(meeting=stored, slot=obj.slot, table=obj.table)
            if stored.agreement_id != obj.agreement_id:
                services.meeting_link_agreement(meeting=stored, agreement=obj.agreement)
        except services.MeetingError as error:
            self.message_user(request, str(error), messages.ERROR)

    def _each(self, request, queryset, work):
        done = 0
        for meeting in queryset:
            try:
                work(meeting)
                done += 1
            except services.MeetingError as error:
                self.message_user(request, f"{meeting}: {error}", messages.WARNING)
        self.message_user(request, gettext("%(count)s meetings changed.") % {"count": done})

    @admin.action(description=_("Mark as held"))
    def mark_held(self, request, queryset):
        self._each(request, queryset, lambda m: services.meeting_mark(meeting=m, held=True))

    @admin.action(description=_("Mark as no-show"))
    def mark_no_show(self, request, queryset):
        self._each(request, queryset, lambda m: services.meeting_mark(meeting=m, held=False))

    @admin.action(description=_("Cancel (tells both sides)"))
    def cancel(self, request, queryset):
        self._each(request, queryset, lambda m: services.meeting_cancel(meeting=m))


@admin.register(ScheduleRun)
class ScheduleRunAdmin(MalformedFilterMixin, admin.ModelAdmin):
    list_display = ["event", "created_at", "created_by"]
    list_filter = ["event"]
    readonly_fields = ["event", "created_by", "created_at", "report"]

    def has_add_permission(self, request):
        return False
