"""Admin of API tokens (created here, shown once) and webhook endpoints."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.admin import MalformedFilterMixin

from . import webhooks
from .models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType
from .services import MAX_TOKEN_LIFETIME, api_token_revoke
from .webhooks import webhook_endpoint_enable, webhook_send_test


def _default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=90)


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = [
            "name",
            "user",
            "can_read_registrations",
            "can_review_registrations",
            "events",
            "expires_at",
        ]

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "expires_at" in self.fields and not self.instance.pk:
            self.fields["expires_at"].initial = _default_expiry
        if "user" in self.fields:
            users = self.fields["user"].queryset.filter(is_staff=True, is_active=True)
            if request is not None and not request.user.is_superuser:
                # Nobody may mint a token acting as someone with more rights.
                users = users.filter(pk=request.user.pk)
            self.fields["user"].queryset = users
            if request is not None and not self.instance.pk:
                self.fields["user"].initial = request.user.pk

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        now = timezone.now()
        if expires_at <= now:
            raise forms.ValidationError(_("Choose a moment in the future."))
        if expires_at > now + MAX_TOKEN_LIFETIME:
            raise forms.ValidationError(_("A token may live at most one year."))
        return expires_at

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("can_read_registrations") or cleaned.get("can_review_registrations")):
            raise forms.ValidationError(_("Give the token at least one scope."))
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(MalformedFilterMixin, admin.ModelAdmin):
    form = ApiTokenForm
    list_display = [
        "name",
        "prefix",
        "user",
        "can_read_registrations",
        "can_review_registrations",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["can_review_registrations", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix"]
    filter_horizontal = ["events"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # A token's rights are fixed once it exists (as in pretalx): revoke and create anew.
            return [
                *self.readonly_fields,
                "user",
                "can_read_registrations",
                "can_review_registrations",
                "events",
                "expires_at",
            ]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            # Shown on the page that answers this request, never stored or put in a cookie.
            request.api_token_secret = obj.set_new_token()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "api_token_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        response = TemplateResponse(
            request,
            "admin/api/apitoken/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "secret": secret,
                "title": _("Copy the new token now"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)


# --- webhooks ---------------------------------------------------------------------------------


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("event types"),
        choices=[c for c in WebhookEventType.choices if c[0] != WebhookEventType.TEST],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter an http or https address."))
        if refusal := webhooks.address_refusal(url):
            raise forms.ValidationError(refusal)
        return url


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(MalformedFilterMixin, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "is_active", "consecutive_failures", "disabled_reason"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["secret", "consecutive_failures", "disabled_reason", "created_at"]
    actions = ["send_test"]
    change_form_template = "admin/api/webhookendpoint/change_form.html"

    def get_urls(self):
        urls = super().get_urls()
        return [
            path(
                "<int:pk>/send-test/",
                self.admin_site.admin_view(self.send_test_view),
                name="api_webhookendpoint_send_test",
            ),
            *urls,
        ]

    @method_decorator(require_POST)
    def send_test_view(self, request, pk: int):
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        if not self.has_change_permission(request, endpoint):
            raise PermissionDenied
        self.send_test(request, WebhookEndpoint.objects.filter(pk=pk))
        return redirect("admin:api_webhookendpoint_change", pk)

    def save_model(self, request, obj, form, change):
        reactivated = change and "is_active" in form.changed_data and obj.is_active
        super().save_model(request, obj, form, change)
        if reactivated:
            webhook_endpoint_enable(endpoint=obj)

    @admin.action(description=gettext_lazy("Send a test message now"))
    def send_test(self, request, queryset):
        for endpoint in queryset[:10]:
            attempt = webhook_send_test(endpoint=endpoint)
            if attempt is None:
                self.message_user(
                    request, _("%(url)s is disabled.") % {"url": endpoint.url}, messages.WARNING
                )
            elif attempt.status_code and 200 <= attempt.status_code < 300:
                self.message_user(
                    request,
                    _("%(url)s answered %(code)s.")
                    % {"url": endpoint.url, "code": attempt.status_code},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("%(url)s failed: %(reason)s.")
                    % {"url": endpoint.url, "reason": attempt.status_code or attempt.error},
                    messages.ERROR,
                )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(MalformedFilterMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "event_type",
        "endpoint",
        "state",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["state", "event_type", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["message_id"]
    readonly_fields = [
        "endpoint",
        "event_type",
        "message_id",
        "payload",
        "state",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "created_at",
    ]
    inlines = [WebhookAttemptInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
