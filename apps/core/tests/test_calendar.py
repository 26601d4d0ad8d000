"""Working-day calendar: deadlines as a one-stop officer counts them.

Office hours 07:30–11:30 and 13:30–17:30 (8 hours = 1 working day). Holidays come from
holidays.VN (checked against the dates it actually gives); the override table wins over it.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.throttling import AnonRateThrottle

from apps.core.calendar import workdays
from apps.core.calendar.models import CalendarOverride, CalendarSettings, DayKind
from apps.core.calendar.workdays import (
    add_working_days,
    add_working_days_to_date,
    add_working_hours,
    day_off_name,
    days_off_between,
    is_working_day,
    next_working_moment,
    receipt_start,
    working_days_between,
    working_hours_between,
)

D = dt.date


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    """An aware moment in Asia/Ho_Chi_Minh."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute), timezone.get_default_timezone())


def days(start: D, end: D) -> list[D]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture
def cutoff_15():
    CalendarSettings.objects.update_or_create(pk=1, defaults={"receipt_cutoff": dt.time(15, 0)})


# --- Tết and other holidays from holidays.VN -------------------------------------------------


@pytest.mark.django_db
class TestTet:
    def test_tet_2022_received_friday_before_tet(self):
        # Tết Nhâm Dần: giao thừa 31/01 to mùng 4 04/02/2022; no make-up Saturday.
        for day in days(D(2022, 1, 31), D(2022, 2, 4)):
            assert not is_working_day(day), day
        assert is_working_day(D(2022, 1, 28)) and is_working_day(D(2022, 2, 7))
        # Received Friday 28/01/2022 at 09:00, 5 working days: 2.5 + 4 h on Friday, then
        # 07–10/02 in full, 1.5 h on Friday 11/02.
        assert add_working_days(at(2022, 1, 28, 9), 5) == at(2022, 2, 11, 9)
        assert add_working_days_to_date(D(2022, 1, 28), 5) == D(2022, 2, 11)
        assert day_off_name(D(2022, 2, 1)) == "Tết Nguyên Đán"

    def test_tet_2023_as_holidays_vn_gives_it(self):
        # holidays.VN 2023: 20/01 ("29 Tết", a Friday) to 26/01 (mùng 5), seven days in a row.
        off = days_off_between(D(2023, 1, 19), D(2023, 1, 27))
        assert [day for day, _name in off] == days(D(2023, 1, 20), D(2023, 1, 26))
        assert dict(off)[D(2023, 1, 21)] == "Giao thừa Tết Nguyên Đán"
        assert is_working_day(D(2023, 1, 19)) and is_working_day(D(2023, 1, 27))
        # Received Thursday 19/01/2023 16:00 + 1 working day → Friday 27/01/2023 16:00.
        assert add_working_days(at(2023, 1, 19, 16), 1) == at(2023, 1, 27, 16)
        # 5 working days after 19/01: 27/01, 30/01, 31/01, 01/02, 02/02.
        assert add_working_days_to_date(D(2023, 1, 19), 5) == D(2023, 2, 2)

    def test_tet_2026(self):
        # Tết Bính Ngọ: Monday 16/02 to Friday 20/02/2026, a whole working week.
        for day in days(D(2026, 2, 16), D(2026, 2, 20)):
            assert not is_working_day(day), day
        assert add_working_days(at(2026, 2, 13, 10), 1) == at(2026, 2, 23, 10)
        assert add_working_days_to_date(D(2026, 2, 13), 1) == D(2026, 2, 23)
        assert working_days_between(at(2026, 2, 13, 17, 30), at(2026, 2, 23, 7, 30)) == 0

    def test_hung_kings_2022_with_compensatory_monday(self):
        # Giỗ Tổ 10/03 âm lịch = Sunday 10/04/2022 → Monday 11/04 off (nghỉ bù).
        assert not is_working_day(D(2022, 4, 11))
        assert days_off_between(D(2022, 4, 9), D(2022, 4, 12)) == [
            (D(2022, 4, 10), "Ngày Giỗ Tổ Hùng Vương"),
            (D(2022, 4, 11), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        ]
        # Friday 08/04 14:00: 3.5 h that day, Monday off, 4.5 h on Tuesday → 14:00.
        assert add_working_days(at(2022, 4, 8, 14), 1) == at(2022, 4, 12, 14)
        assert add_working_days_to_date(D(2022, 4, 8), 1) == D(2022, 4, 12)

    def test_other_2022_days_off(self):
        assert not is_working_day(D(2022, 1, 3))  # Tết Dương lịch on Saturday → Monday 03/01
        for day in (D(2022, 5, 2), D(2022, 5, 3), D(2022, 9, 1), D(2022, 9, 2)):
            assert not is_working_day(day), day


# --- Swapped Saturdays ------------------------------------------------------------------------


@pytest.mark.django_db
class TestSwappedDays:
    def test_make_up_saturday_known_to_holidays_vn(self):
        # 2026: Saturday 22/08 is worked in exchange for Monday 31/08 (then 01–02/09 National Day).
        assert is_working_day(D(2026, 8, 22))
        assert not is_working_day(D(2026, 8, 31))
        assert day_off_name(D(2026, 8, 31)) == "Ngày nghỉ (thay cho ngày 22/08/2026)"
        assert add_working_days(at(2026, 8, 21, 16), 1) == at(2026, 8, 22, 16)
        assert add_working_days_to_date(D(2026, 8, 21), 1) == D(2026, 8, 22)
        assert add_working_days_to_date(D(2026, 8, 28), 1) == D(2026, 9, 3)
        # The Saturday is a full working day.
        assert working_hours_between(at(2026, 8, 22), at(2026, 8, 23)) == 8

    def test_override_table_changes_deadlines_and_reverts(self):
        # March 2024 has no holiday: Friday 08/03, Saturday 09/03, Monday 11/03.
        received = at(2024, 3, 8, 16)
        assert add_working_days(received, 1) == at(2024, 3, 11, 16)

        extra_off = CalendarOverride.objects.create(
            date=D(2024, 3, 11),
            kind=DayKind.DAY_OFF,
            reason="Nghỉ thêm",
            legal_basis="Thông báo số 1/TB-UBND",
        )
        assert not is_working_day(D(2024, 3, 11))
        assert add_working_days(received, 1) == at(2024, 3, 12, 16)
        assert add_working_days_to_date(D(2024, 3, 8), 1) == D(2024, 3, 12)
        assert days_off_between(D(2024, 3, 9), D(2024, 3, 12)) == [(D(2024, 3, 11), "Nghỉ thêm")]

        saturday = CalendarOverride.objects.create(
            date=D(2024, 3, 9), kind=DayKind.WORKING_DAY, reason="Làm bù cho ngày 11/03"
        )
        assert is_working_day(D(2024, 3, 9))
        assert add_working_days(received, 1) == at(2024, 3, 9, 16)
        assert add_working_days(received, 2) == at(2024, 3, 12, 16)
        assert working_hours_between(at(2024, 3, 8, 7, 30), at(2024, 3, 12, 17, 30)) == 24

        saturday.delete()
        extra_off.delete()
        assert is_working_day(D(2024, 3, 11)) and not is_working_day(D(2024, 3, 9))
        assert add_working_days(received, 1) == at(2024, 3, 11, 16)

    def test_override_wins_over_holidays_vn(self):
        CalendarOverride.objects.create(date=D(2026, 8, 22), kind=DayKind.DAY_OFF, reason="Không làm bù")
        CalendarOverride.objects.create(date=D(2026, 8, 31), kind=DayKind.WORKING_DAY, reason="Đi làm")
        assert not is_working_day(D(2026, 8, 22))
        assert is_working_day(D(2026, 8, 31))
        assert day_off_name(D(2026, 8, 31)) is None
        assert add_working_days_to_date(D(2026, 8, 21), 1) == D(2026, 8, 24)


@pytest.mark.django_db(transaction=True)
def test_cached_overrides_are_invalidated_by_save_and_delete():
    # Outside a transaction the year's overrides are cached; a save or delete applies at once.
    assert is_working_day(D(2024, 3, 11))
    assert 2024 in workdays._override_cache
    override = CalendarOverride.objects.create(date=D(2024, 3, 11), kind=DayKind.DAY_OFF, reason="Nghỉ")
    assert not is_working_day(D(2024, 3, 11))
    override.reason = "Nghỉ thêm"
    override.save()
    assert day_off_name(D(2024, 3, 11)) == "Nghỉ thêm"
    override.delete()
    assert is_working_day(D(2024, 3, 11))

    # Rows read inside a transaction that is then rolled back never reach the cache.
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarOverride.objects.create(date=D(2024, 3, 12), kind=DayKind.DAY_OFF, reason="Tạm")
        assert not is_working_day(D(2024, 3, 12))
        raise RuntimeError("rollback")
    assert is_working_day(D(2024, 3, 12))


# --- Receipt cut-off ----------------------------------------------------------------------------


@pytest.mark.django_db
class TestReceiptCutoff:
    def test_cutoff_configured(self, cutoff_15):
        # Tuesday 12/03/2024.
        assert receipt_start(at(2024, 3, 12, 14, 59)) == at(2024, 3, 12, 14, 59)
        assert receipt_start(at(2024, 3, 12, 15, 0)) == at(2024, 3, 12, 15, 0)
        assert receipt_start(at(2024, 3, 12, 15, 1)) == at(2024, 3, 13, 7, 30)
        assert add_working_days(receipt_start(at(2024, 3, 12, 14, 59)), 1) == at(2024, 3, 13, 14, 59)
        # Counted from Wednesday 07:30, one day ends at Wednesday 17:30 (not Thursday 07:30).
        assert add_working_days(receipt_start(at(2024, 3, 12, 15, 1)), 1) == at(2024, 3, 13, 17, 30)
        # Friday after the cut-off → Monday morning; Saturday → Monday morning.
        assert receipt_start(at(2024, 3, 8, 15, 1)) == at(2024, 3, 11, 7, 30)
        assert receipt_start(at(2024, 3, 9, 10)) == at(2024, 3, 11, 7, 30)

    def test_no_cutoff_configured(self):
        assert CalendarSettings.current().receipt_cutoff is None  # not a legal rule: empty by default
        assert receipt_start(at(2024, 3, 12, 15, 1)) == at(2024, 3, 12, 15, 1)
        assert add_working_days(receipt_start(at(2024, 3, 12, 15, 1)), 1) == at(2024, 3, 13, 15, 1)

    def test_outside_office_hours(self, cutoff_15):
        assert receipt_start(at(2024, 3, 12, 6)) == at(2024, 3, 12, 7, 30)  # before opening
        assert receipt_start(at(2024, 3, 12, 12)) == at(2024, 3, 12, 13, 30)  # lunch, before cut-off
        assert receipt_start(at(2024, 3, 12, 20)) == at(2024, 3, 13, 7, 30)  # evening (online)
        # Received on a holiday: first working hour after Tết 2026.
        assert receipt_start(at(2026, 2, 17, 9)) == at(2026, 2, 23, 7, 30)


# --- Hours ----------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestWorkingHours:
    def test_next_working_moment(self):
        assert next_working_moment(at(2024, 3, 12, 9)) == at(2024, 3, 12, 9)
        assert next_working_moment(at(2024, 3, 12, 11, 30)) == at(2024, 3, 12, 13, 30)
        assert next_working_moment(at(2024, 3, 12, 17, 30)) == at(2024, 3, 13, 7, 30)
        assert next_working_moment(at(2024, 3, 9, 9)) == at(2024, 3, 11, 7, 30)

    def test_across_lunch(self):
        assert add_working_hours(at(2024, 3, 12, 10, 30), 2) == at(2024, 3, 12, 14, 30)
        assert add_working_hours(at(2024, 3, 12, 12), 1) == at(2024, 3, 12, 14, 30)  # starts at 13:30
        assert add_working_hours(at(2024, 3, 12, 9, 30), 2) == at(2024, 3, 12, 11, 30)  # stays at 11:30
        assert add_working_hours(at(2024, 3, 12, 11), Decimal("0.5")) == at(2024, 3, 12, 11, 30)
        assert add_working_hours(at(2024, 3, 12, 11), 0.75) == at(2024, 3, 12, 13, 45)

    def test_across_weekend(self):
        # Friday 16:30 + 4 h: 1 h on Friday, 3 h on Monday from 07:30.
        assert add_working_hours(at(2024, 3, 8, 16, 30), 4) == at(2024, 3, 11, 10, 30)
        assert add_working_hours(at(2024, 3, 8, 16, 30), 1) == at(2024, 3, 8, 17, 30)
        assert add_working_hours(at(2024, 3, 9, 10), 8) == at(2024, 3, 11, 17, 30)
        # Backwards: two hours before Monday 08:30 is Friday 16:30.
        assert add_working_hours(at(2024, 3, 11, 8, 30), -2) == at(2024, 3, 8, 16, 30)

    def test_friday_afternoon_plus_one_day(self):
        assert add_working_days(at(2024, 3, 8, 16), 1) == at(2024, 3, 11, 16)
        assert add_working_days(at(2024, 3, 11, 7, 30), 1) == at(2024, 3, 11, 17, 30)
        assert add_working_days(at(2024, 3, 11, 7, 30), Decimal("0.5")) == at(2024, 3, 11, 11, 30)

    def test_between_on_a_known_week(self):
        monday, friday = at(2024, 3, 11, 7, 30), at(2024, 3, 15, 17, 30)
        assert working_hours_between(monday, friday) == 40
        assert working_days_between(monday, friday) == 5
        assert working_hours_between(friday, monday) == -40
        assert working_days_between(friday, monday) == -5
        assert working_hours_between(at(2024, 3, 12, 11), at(2024, 3, 12, 14)) == 1
        assert working_hours_between(at(2024, 3, 8, 16), at(2024, 3, 11, 16)) == 8
        assert working_hours_between(at(2024, 3, 12, 9), at(2024, 3, 12, 9, 20)) == Decimal("0.3333")
        assert working_days_between(at(2024, 3, 12, 7, 30), at(2024, 3, 12, 9, 30)) == Decimal("0.25")

    def test_results_are_aware_in_local_time_and_utc_input_is_accepted(self):
        utc_moment = dt.datetime(2024, 3, 8, 9, 0, tzinfo=dt.UTC)  # 16:00 in Hà Nội
        result = add_working_days(utc_moment, 1)
        assert result == at(2024, 3, 11, 16)
        assert result.utcoffset() == dt.timedelta(hours=7)

    @settings(max_examples=60, deadline=None)
    @given(
        moment=st.datetimes(min_value=dt.datetime(2021, 12, 1), max_value=dt.datetime(2026, 12, 31)),
        quarters=st.integers(min_value=0, max_value=4 * 8 * 30),
    )
    def test_adding_then_measuring_gives_back_the_hours(self, moment, quarters):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
        hours = Decimal(quarters) / 4
        start = next_working_moment(moment)
        end = add_working_hours(moment, hours)
        assert working_hours_between(start, end) == hours
        assert add_working_hours(end, -hours) == start or hours == 0


def test_naive_datetimes_are_refused_before_any_database_access():
    naive = dt.datetime(2024, 3, 8, 16)
    with pytest.raises(ValueError, match="naive datetime"):
        add_working_days(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_working_moment(naive)
    with pytest.raises(ValueError, match="naive"):
        working_hours_between(at(2024, 3, 8, 16), naive)
    with pytest.raises(ValueError, match="naive"):
        receipt_start(naive)


# --- API ------------------------------------------------------------------------------------------


@pytest.fixture
def api_url():
    cache.clear()  # the anonymous throttle counts in the cache
    return reverse("core:add_working_days")


@pytest.mark.django_db
class TestAddWorkingDaysApi:
    def test_url(self, api_url):
        assert api_url == "/lich/api/cong-ngay-lam-viec/"

    def test_tet_2022_anonymous(self, client, api_url):
        response = client.get(api_url, {"date": "2022-01-28", "days": 5})
        assert response.status_code == 200
        body = response.json()
        assert body["date"] == "2022-01-28"
        assert body["days"] == 5
        assert body["result"] == "2022-02-11"
        assert body["result_display"] == "11/02/2022"
        assert [item["date"] for item in body["holidays_skipped"]] == [
            "2022-01-31",
            "2022-02-01",
            "2022-02-02",
            "2022-02-03",
            "2022-02-04",
        ]
        assert body["holidays_skipped"][1]["name"] == "Tết Nguyên Đán"
        assert "result_datetime" not in body

    def test_zero_days(self, client, api_url):
        body = client.get(api_url, {"date": "2024-03-09", "days": 0}).json()
        assert body["result"] == "2024-03-09" and body["holidays_skipped"] == []

    def test_with_time_applies_the_cutoff(self, client, api_url, cutoff_15):
        before = client.get(api_url, {"date": "2024-03-12", "days": 1, "at": "14:59"}).json()
        assert before["result"] == "2024-03-13"
        assert before["result_datetime"] == "2024-03-13T14:59:00+07:00"
        assert before["result_datetime_display"] == "14:59 ngày 13/03/2024"
        after = client.get(api_url, {"date": "2024-03-12", "days": 1, "at": "15:01"}).json()
        assert after["clock_starts"] == "2024-03-13T07:30:00+07:00"
        assert after["result_datetime"] == "2024-03-13T17:30:00+07:00"

    def test_with_time_on_the_eve_of_tet_2026(self, client, api_url):
        body = client.get(api_url, {"date": "2026-02-13", "days": 1, "at": "16:00"}).json()
        assert body["result_datetime"] == "2026-02-23T16:00:00+07:00"
        assert [item["date"] for item in body["holidays_skipped"]][0] == "2026-02-16"

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"days": 5}, "date", "Thiếu ngày bắt đầu (tham số date, dạng YYYY-MM-DD)."),
            ({"date": "", "days": 5}, "date", "Ngày bắt đầu không hợp lệ"),
            ({"date": "2022-02-30", "days": 5}, "date", "Ngày bắt đầu không hợp lệ"),
            ({"date": "28/01/2022", "days": 5}, "date", "Ngày bắt đầu không hợp lệ"),
            ({"date": "2022-01-28"}, "days", "Thiếu số ngày làm việc (tham số days)."),
            ({"date": "2022-01-28", "days": "năm"}, "days", "Số ngày làm việc phải là một số nguyên."),
            ({"date": "2022-01-28", "days": -1}, "days", "Số ngày làm việc phải từ 0 đến 365."),
            ({"date": "2022-01-28", "days": 366}, "days", "Số ngày làm việc phải từ 0 đến 365."),
            ({"date": "2022-01-28", "days": 5, "at": "25:00"}, "at", "Giờ tiếp nhận không hợp lệ"),
            ({"date": "9999-12-30", "days": 5}, "date", "Ngày kết quả vượt quá phạm vi của lịch."),
        ],
    )
    def test_bad_input_is_400_in_vietnamese(self, client, api_url, params, field, message):
        response = client.get(api_url, params)
        assert response.status_code == 400
        assert response.json()[field][0].startswith(message)

    def test_anonymous_calls_are_throttled(self, client, api_url, monkeypatch):
        monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
        params = {"date": "2022-01-28", "days": 5}
        assert [client.get(api_url, params).status_code for _ in range(3)] == [200, 200, 429]

    def test_documented_in_the_openapi_schema(self):
        from drf_spectacular.generators import SchemaGenerator

        schema = SchemaGenerator().get_schema(request=None, public=True)
        operation = schema["paths"]["/lich/api/cong-ngay-lam-viec/"]["get"]
        assert {p["name"]: p.get("required", False) for p in operation["parameters"]} == {
            "date": True,
            "days": True,
            "at": False,
        }
        assert operation["summary"] == "Cộng ngày làm việc"


# --- Admin ----------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_2fa(client, django_user_model):
    from conftest import verified_client

    user = django_user_model.objects.create_superuser(username="quantri", password="x", email="qt@example.vn")
    return verified_client(client, user)


@pytest.mark.django_db
class TestAdmin:
    def test_override_list_filters_and_search(self, admin_client_2fa):
        CalendarOverride.objects.create(date=D(2024, 3, 11), kind=DayKind.DAY_OFF, reason="Nghỉ thêm")
        CalendarOverride.objects.create(date=D(2026, 8, 22), kind=DayKind.WORKING_DAY, reason="Làm bù")
        url = reverse("admin:core_calendaroverride_changelist")
        response = admin_client_2fa.get(url, {"year": "2024", "kind": "day_off", "q": "thêm"})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list.values_list("date", flat=True)) == [D(2024, 3, 11)]
        assert admin_client_2fa.get(url, {"year": "2026"}).status_code == 200

    def test_settings_single_row(self, admin_client_2fa):
        admin_client_2fa.get(reverse("admin:core_calendarsettings_changelist"))
        assert admin_client_2fa.get(reverse("admin:core_calendarsettings_add")).status_code == 200
        CalendarSettings.current()
        change = reverse("admin:core_calendarsettings_change", args=[1])
        assert admin_client_2fa.get(reverse("admin:core_calendarsettings_changelist")).url == change
        assert admin_client_2fa.get(reverse("admin:core_calendarsettings_add")).status_code == 403
        assert (
            admin_client_2fa.get(reverse("admin:core_calendarsettings_delete", args=[1])).status_code == 403
        )

    def test_settings_page_offers_to_add_a_day(self, admin_client_2fa, settings):
        """Issue 18 (11): the calendar's settings page, where people look, has the add button."""
        from django.utils import translation

        CalendarSettings.current()
        settings.LANGUAGE_CODE = "vi"
        with translation.override("vi"):
            page = admin_client_2fa.get(reverse("admin:core_calendarsettings_change", args=[1]))
        html = page.content.decode()
        add = reverse("admin:core_calendaroverride_add")
        assert f'href="{add}"' in html and "Thêm ngày nghỉ hoặc ngày làm việc bù" in html
        assert admin_client_2fa.get(add).status_code == 200

    def test_settings_form_keeps_eight_hours(self, admin_client_2fa):
        CalendarSettings.current()
        change = reverse("admin:core_calendarsettings_change", args=[1])
        data = {
            "morning_start": "07:00",
            "morning_end": "11:00",
            "afternoon_start": "13:00",
            "afternoon_end": "17:30",
            "receipt_cutoff": "",
        }
        assert admin_client_2fa.post(change, data).status_code == 200  # 8.5 hours: refused
        assert CalendarSettings.current().morning_start == dt.time(7, 30)
        data["afternoon_end"] = "17:00"
        data["receipt_cutoff"] = "15:00"
        assert admin_client_2fa.post(change, data).status_code == 302
        assert add_working_hours(at(2024, 3, 12, 10, 30), 1) == at(2024, 3, 12, 13, 30)
        assert receipt_start(at(2024, 3, 12, 15, 1)) == at(2024, 3, 13, 7)
