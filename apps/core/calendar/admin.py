"""Admin screens of this capability (imported by apps/core/admin.py)."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import workdays
from .models import CalendarOverride, CalendarSettings


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarOverride.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "reason", "legal_basis", "package_calendar"]
    list_filter = ["kind", YearListFilter]
    search_fields = ["reason", "legal_basis"]
    ordering = ["date"]
    date_hierarchy = "date"

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj):
        return date_format(obj.date, "l")

    @admin.display(description=_("holiday calendar (package)"))
    def package_calendar(self, obj):
        """What holidays.VN alone says of the day, to spot overrides that repeat or contradict it."""
        holiday = workdays._vn_holidays(obj.date.year)
        name = holiday.get(obj.date)
        if name:
            return name
        return _("working day") if holiday.is_working_day(obj.date) else _("weekend")


class CalendarSettingsForm(forms.ModelForm):
    class Meta:
        model = CalendarSettings
        fields = ["morning_start", "morning_end", "afternoon_start", "afternoon_end", "receipt_cutoff"]

    def clean(self):
        data = super().clean()
        times = [
            data.get(name) for name in ("morning_start", "morning_end", "afternoon_start", "afternoon_end")
        ]
        if None in times:
            return data
        ms, me, as_, ae = times
        if not (ms < me <= as_ < ae):
            raise forms.ValidationError(
                _(
                    "Office hours must be in order: "
                    "morning start < morning end ≤ afternoon start < afternoon end."
                )
            )
        day = dt.date(2000, 1, 1)
        total = sum(
            (
                dt.datetime.combine(day, end) - dt.datetime.combine(day, start)
                for start, end in ((ms, me), (as_, ae))
            ),
            dt.timedelta(0),
        )
        if total != dt.timedelta(hours=int(workdays.HOURS_PER_DAY)):
            raise forms.ValidationError(
                _("One working day is %(hours)s working hours; these office hours add up to %(total)s.")
                % {"hours": workdays.HOURS_PER_DAY, "total": total}
            )
        return data


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(admin.ModelAdmin):
    form = CalendarSettingsForm
    # The calendar's page is where people look for "add a holiday": offer it there.
    change_form_template = "admin/core/calendarsettings/change_form.html"
    list_display = [
        "__str__",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
        "receipt_cutoff",
    ]
    fieldsets = [
        (
            _("Office hours"),
            {"fields": [("morning_start", "morning_end"), ("afternoon_start", "afternoon_end")]},
        ),
        (None, {"fields": ["receipt_cutoff"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CalendarSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "can_add_override": request.user.has_perm("core.add_calendaroverride"),
            "can_view_overrides": request.user.has_perm("core.view_calendaroverride"),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def changelist_view(self, request, extra_context=None):
        # One row: go straight to it.
        obj = CalendarSettings.objects.first()
        if obj is not None and self.has_view_or_change_permission(request, obj):
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        return super().changelist_view(request, extra_context)
