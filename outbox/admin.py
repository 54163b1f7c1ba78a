"""Admin of the outbox (read-only, re-send action) and of staff jobs (progress, result)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.admin import MalformedFilterMixin

from . import jobs, services
from .models import EmailAttempt, OutboundEmail, StaffJob


class EmailAttemptInline(admin.TabularInline):
    model = EmailAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "finished_at", "outcome", "error", "worker"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(MalformedFilterMixin, admin.ModelAdmin):
    list_display = ["created_at", "to", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to", "subject", "message_id"]
    date_hierarchy = "created_at"
    inlines = [EmailAttemptInline]
    actions = ["resend"]
    fields = [
        "kind",
        "to",
        "subject",
        "body_text",
        "language",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "lease_until",
        "sent_at",
        "body_removed_at",
        "last_error",
        "message_id",
        "dedupe_key",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(
        description=gettext_lazy("Re-send the selected failed e-mails"),
        permissions=["resend"],
    )
    def resend(self, request: HttpRequest, queryset) -> None:
        count = services.emails_resend(emails=queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail was not failed and was left alone.",
                    "%(count)d e-mails were not failed and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("outbox.resend_outboundemail")


class JobKindFilter(admin.SimpleListFilter):
    title = gettext_lazy("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return jobs.job_kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(StaffJob)
class StaffJobAdmin(MalformedFilterMixin, admin.ModelAdmin):
    list_display = ["created_at", "title", "kind_label", "status", "progress_bar", "created_by"]
    list_filter = ["status", JobKindFilter]
    list_select_related = ["created_by"]
    fields = [
        "title",
        "kind_label",
        "status",
        "progress_bar",
        "result_summary",
        "output_link",
        "error_list",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    change_form_template = "outbox/admin/staffjob_change_form.html"
    change_list_template = "outbox/admin/staffjob_change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        shared = jobs.job_kinds_shared_with(user=request.user)
        if (obj is None and shared) or (obj is not None and obj.kind in shared):
            return True
        return super().has_view_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Others' jobs only of shared kinds: an export may hold personal data.
        shared = jobs.job_kinds_shared_with(user=request.user)
        return queryset.filter(Q(created_by=request.user) | Q(kind__in=shared))

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_label(self, job: StaffJob) -> str:
        return jobs.job_kind_label(job.kind)

    @admin.display(description=gettext_lazy("progress"))
    def progress_bar(self, job: StaffJob) -> str:
        progress = jobs.job_progress(job=job)
        url = reverse("admin:outbox_staffjob_progress", args=[job.pk])
        label = _("interrupted") if progress["interrupted"] else job.get_status_display()
        return format_html(
            '<span class="staffjob-progress" data-url="{}" data-status="{}">'
            '<progress max="{}" value="{}"></progress> '
            '<span class="staffjob-count">{} / {}</span> '
            '<span class="staffjob-status">{}</span> <span class="staffjob-message">{}</span>'
            "</span>",
            url,
            job.status,
            progress["total"] or 1,
            progress["done"],
            progress["done"],
            progress["total"] or "?",
            label,
            progress["message"],
        )

    @admin.display(description=gettext_lazy("result"))
    def result_summary(self, job: StaffJob) -> str:
        if not job.result:
            return "–"
        summary = job.result.get("summary") if isinstance(job.result, dict) else None
        if summary:
            return summary
        items = [
            (key, value) for key, value in job.result.items() if not isinstance(value, list | dict)
        ]
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", items))

    @admin.display(description=gettext_lazy("problems found"))
    def error_list(self, job: StaffJob) -> str:
        problems = job.result.get("errors") if isinstance(job.result, dict) else None
        if not problems:
            return "–"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems))
        )

    @admin.display(description=gettext_lazy("result file"))
    def output_link(self, job: StaffJob) -> str:
        if not job.output_file:
            return "–"
        url = reverse("admin:outbox_staffjob_download", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/progress/", view(self.progress_view), name="outbox_staffjob_progress"),
            path("<int:pk>/download/", view(self.download_view), name="outbox_staffjob_download"),
            path("<int:pk>/restart/", view(self.restart_view), name="outbox_staffjob_restart"),
            path("<int:pk>/next/", view(self.next_view), name="outbox_staffjob_next"),
            path("start/<str:kind>/", view(self.start_view), name="outbox_staffjob_start"),
            *super().get_urls(),
        ]

    def _job_or_404(self, request: HttpRequest, pk: int) -> StaffJob:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def progress_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = self._job_or_404(request, pk)
        progress = jobs.job_progress(job=job)
        progress["status_label"] = (
            _("interrupted") if progress["interrupted"] else job.get_status_display()
        )
        return JsonResponse(progress)

    def download_view(self, request: HttpRequest, pk: int):
        from django.http import FileResponse, Http404

        job = self._job_or_404(request, pk)
        if not job.output_file:
            raise Http404
        name = job.output_file.name.rsplit("/", 1)[-1]
        return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=name)

    def restart_view(self, request: HttpRequest, pk: int):
        job = self._job_or_404(request, pk)
        if request.method != "POST" or not jobs.job_may_start(kind=job.kind, user=request.user):
            raise PermissionDenied
        if not jobs.job_is_interrupted(job=job):
            return HttpResponseRedirect(reverse("admin:outbox_staffjob_change", args=[pk]))
        new = jobs.job_restart(job=job, created_by=request.user)
        self.message_user(request, _("The job was started again."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:outbox_staffjob_change", args=[new.pk]))

    @staticmethod
    def _next(job: StaffJob, user) -> dict | None:
        """The follow-up job the result offers (an import after its preview), if allowed."""
        offer = job.result.get("next") if isinstance(job.result, dict) else None
        if job.status != StaffJob.Status.DONE or not isinstance(offer, dict):
            return None
        if not jobs.job_may_start(kind=str(offer.get("kind")), user=user):
            return None
        if StaffJob.objects.filter(params__after=job.pk).exists():
            return None  # started already: once per preview
        return offer

    def start_view(self, request: HttpRequest, kind: str):
        labels = dict(jobs.jobs_startable(user=request.user))
        if request.method != "POST" or kind not in labels:
            raise PermissionDenied
        job = jobs.job_start(kind=kind, created_by=request.user, title=_(labels[kind]))
        self.message_user(request, _("Started: %(label)s.") % {"label": _(labels[kind])})
        return HttpResponseRedirect(reverse("admin:outbox_staffjob_change", args=[job.pk]))

    def changelist_view(self, request, extra_context=None):
        startable = [(kind, _(label)) for kind, label in jobs.jobs_startable(user=request.user)]
        extra_context = {**(extra_context or {}), "jobs_startable": startable}
        return super().changelist_view(request, extra_context)

    def next_view(self, request: HttpRequest, pk: int):
        job = self._job_or_404(request, pk)
        offer = self._next(job, request.user)
        if request.method != "POST" or offer is None:
            raise PermissionDenied
        new = jobs.job_restart(job=job, created_by=request.user, kind=offer["kind"])
        self.message_user(request, _("Started: %(label)s.") % {"label": offer["label"]})
        return HttpResponseRedirect(reverse("admin:outbox_staffjob_change", args=[new.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        offer = job is not None and self._next(job, request.user)
        extra_context = {
            **(extra_context or {}),
            "job_interrupted": job is not None and jobs.job_is_interrupted(job=job),
            "job_next_label": _(offer["label"]) if offer else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)
