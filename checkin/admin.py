"""The admin of check-in: lists with their entrances and rules, badges, and the scans."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.admin import HistoryAdmin, MalformedFilterMixin
from events.models import Venue
from registrations.models import Delegate

from . import services
from .models import Badge, CheckinList, Entrance, Scan


class CheckinListForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("categories"),
        choices=Delegate.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only these categories pass. None chosen: every category."),
    )

    class Meta:
        model = CheckinList
        fields = ["event", "name", "venue", "categories", "opens_at", "closes_at"]

    def clean(self):
        cleaned = super().clean()
        event, venue = cleaned.get("event"), cleaned.get("venue")
        if venue is not None and event is not None and venue.event_id != event.pk:
            self.add_error("venue", _("Choose a sub-venue of this list's edition."))
        if venue is not None and venue.kind != Venue.Kind.SUB:
            self.add_error("venue", _("Choose a sub-venue, or none for the whole edition."))
        return cleaned


class EntranceInline(admin.TabularInline):
    model = Entrance
    extra = 1
    fields = ["name", "order"]


@admin.register(CheckinList)
class CheckinListAdmin(HistoryAdmin):
    form = CheckinListForm
    list_display = ["name", "event", "venue", "category_list", "opens_at", "closes_at"]
    list_filter = ["event"]
    list_select_related = ["event", "venue"]
    search_fields = ["name"]
    autocomplete_fields = ["event"]
    inlines = [EntranceInline]

    @admin.display(description=gettext_lazy("categories"))
    def category_list(self, obj: CheckinList) -> str:
        return ", ".join(obj.category_labels()) or _("all")


@admin.register(Badge)
class BadgeAdmin(MalformedFilterMixin, admin.ModelAdmin):
    list_display = ["serial", "delegate", "event", "issued_at", "revoked_at"]
    list_filter = ["event"]
    list_select_related = ["delegate", "event"]
    search_fields = ["serial", "delegate__name_zh", "delegate__name_en"]
    readonly_fields = ["serial", "delegate", "event", "issued_at", "revoked_at"]
    actions = ["reissue"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=gettext_lazy("Revoke and issue a new badge"), permissions=["change"])
    def reissue(self, request, queryset):
        count = 0
        for badge in queryset.filter(revoked_at=None).select_related("delegate__participation"):
            services.badge_reissue(delegate=badge.delegate)
            count += 1
        self.message_user(request, _("New badges issued: %(count)d.") % {"count": count})


@admin.register(Scan)
class ScanAdmin(MalformedFilterMixin, admin.ModelAdmin):
    list_display = ["scanned_at", "entrance", "reason", "delegate", "device", "by", "source"]
    list_filter = ["checkin_list__event", "checkin_list", "reason", "source"]
    list_select_related = ["entrance", "delegate", "by"]
    search_fields = ["delegate__name_zh", "delegate__name_en", "device", "code"]
    date_hierarchy = "scanned_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
