"""Admin of API tokens (created here, shown once) and webhook endpoints."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiToken
from .services import MAX_TOKEN_LIFETIME, api_token_revoke


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
class ApiTokenAdmin(admin.ModelAdmin):
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
