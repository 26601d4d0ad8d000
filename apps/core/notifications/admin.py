"""Admin screens of this capability (imported by apps/core/admin.py)."""

from django import forms
from django.contrib import admin, messages
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import service
from .defaults import variables_help
from .models import MessageStatus, NotificationTemplate, OutboxMessage


class NotificationTemplateForm(forms.ModelForm):
    class Meta:
        model = NotificationTemplate
        fields = ["event", "channel", "subject", "body", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance.event if self.instance.pk else None
        self.fields["body"].help_text = variables_help(event)

    def _check_syntax(self, name):
        source = self.cleaned_data.get(name, "")
        try:
            service.render_text(source, service.base_context())
        except TemplateSyntaxError as exc:
            raise forms.ValidationError(_("Template error: %(error)s") % {"error": exc}) from exc
        return source

    def clean_subject(self):
        return self._check_syntax("subject")

    def clean_body(self):
        return self._check_syntax("body")


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ["event", "channel", "subject", "is_active", "updated_at"]
    list_filter = ["channel", "is_active", "event"]
    list_editable = ["is_active"]
    search_fields = ["event", "subject", "body"]
    ordering = ["event", "channel"]

    def get_readonly_fields(self, request, obj=None):
        # The (event, channel) pair is what senders look up; changing it would orphan the sender.
        return ["event", "channel", "updated_at"] if obj else ["updated_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by notify() and changed only by delivery and "Gửi lại"."""

    list_display = [
        "created_at",
        "event",
        "channel",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient_user"]
    readonly_fields = [
        "event",
        "channel",
        "recipient",
        "recipient_user",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    fields = readonly_fields
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("core.change_outboxmessage")

    @admin.action(description=_("Send again"), permissions=["retry"])  # vi: "Gửi lại"
    def retry(self, request, queryset):
        retried = 0
        for pk in queryset.filter(status=MessageStatus.FAILED).values_list("pk", flat=True):
            if service.retry_failed(pk, actor=request.user) is not None:
                retried += 1
        skipped = queryset.count() - retried
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(n)d failed message was put back in the queue.",
                    "%(n)d failed messages were put back in the queue.",
                    retried,
                )
                % {"n": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d message was not failed and was left as it is.",
                    "%(n)d messages were not failed and were left as they are.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )
