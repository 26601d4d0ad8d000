"""Public API of the working-day calendar: the portal computes appointment dates with it."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.core import access

from . import workdays

MAX_DAYS = 365


class AddWorkingDaysQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Thiếu ngày bắt đầu (tham số date, dạng YYYY-MM-DD).",
            "null": "Thiếu ngày bắt đầu (tham số date, dạng YYYY-MM-DD).",
            "invalid": "Ngày bắt đầu không hợp lệ: cần một ngày có thật, dạng YYYY-MM-DD (ví dụ 2022-01-28).",
        },
    )
    days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_DAYS,
        error_messages={
            "required": "Thiếu số ngày làm việc (tham số days).",
            "null": "Thiếu số ngày làm việc (tham số days).",
            "invalid": "Số ngày làm việc phải là một số nguyên.",
            "min_value": f"Số ngày làm việc phải từ 0 đến {MAX_DAYS}.",
            "max_value": f"Số ngày làm việc phải từ 0 đến {MAX_DAYS}.",
            "max_string_length": "Số ngày làm việc quá dài.",
        },
    )
    at = serializers.TimeField(
        required=False,
        input_formats=["%H:%M"],
        error_messages={
            "invalid": "Giờ tiếp nhận không hợp lệ: cần dạng HH:MM (ví dụ 15:01).",
            "null": "Giờ tiếp nhận không hợp lệ: cần dạng HH:MM (ví dụ 15:01).",
        },
    )


class HolidaySkippedSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class AddWorkingDaysResultSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Ngày bắt đầu (ngày tiếp nhận).")
    days = serializers.IntegerField(help_text="Số ngày làm việc đã cộng.")
    result = serializers.DateField(help_text="Ngày kết quả (YYYY-MM-DD).")
    result_display = serializers.CharField(help_text="Ngày kết quả dạng dd/mm/YYYY.")
    holidays_skipped = HolidaySkippedSerializer(
        many=True, help_text="Ngày nghỉ lễ, Tết, nghỉ bù và ngày nghỉ điều chỉnh nằm trong khoảng đã tính."
    )
    at = serializers.CharField(required=False, help_text="Giờ tiếp nhận (chỉ khi có tham số at).")
    clock_starts = serializers.DateTimeField(
        required=False, help_text="Thời điểm bắt đầu tính thời hạn, sau khi áp dụng giờ chốt tiếp nhận."
    )
    result_datetime = serializers.DateTimeField(required=False, help_text="Thời điểm hẹn trả (ISO 8601).")
    result_datetime_display = serializers.CharField(
        required=False, help_text="Thời điểm hẹn trả dạng 'HH:MM ngày dd/mm/YYYY'."
    )


class AddWorkingDaysView(APIView):
    """Adds working days to a date (public: the portal shows appointment dates with it)."""

    permission_classes = [AllowAny]
    access_rule = access.PUBLIC
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        summary="Cộng ngày làm việc",
        description=(
            "Tính ngày thứ N làm việc sau một ngày, bỏ qua thứ Bảy, Chủ nhật, ngày lễ, Tết, ngày nghỉ bù "
            "và các ngày nghỉ/làm bù do cơ quan điều chỉnh. Có tham số `at` (giờ tiếp nhận) thì áp dụng "
            "giờ hành chính và giờ chốt tiếp nhận (nếu đã cấu hình), cộng N × 8 giờ làm việc và trả thêm "
            "thời điểm hẹn trả."
        ),
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=True, description="Ngày bắt đầu."
            ),
            OpenApiParameter(
                "days",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=True,
                description=f"Số ngày làm việc cần cộng, từ 0 đến {MAX_DAYS}.",
            ),
            OpenApiParameter(
                "at",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=False,
                pattern=r"^\d{2}:\d{2}$",
                description="Giờ tiếp nhận HH:MM (tuỳ chọn): áp dụng giờ chốt và trả về thời điểm.",
            ),
        ],
        responses={
            200: AddWorkingDaysResultSerializer,
            400: OpenApiResponse(
                description="Tham số không hợp lệ; thông báo lỗi bằng tiếng Việt theo từng tham số."
            ),
            429: OpenApiResponse(description="Gọi quá nhiều lần; thử lại sau."),
        },
        examples=[
            OpenApiExample(
                "Qua Tết Nhâm Dần 2022",
                value={
                    "date": "2022-01-28",
                    "days": 5,
                    "result": "2022-02-11",
                    "result_display": "11/02/2022",
                    "holidays_skipped": [
                        {"date": "2022-01-31", "name": "Giao thừa Tết Nguyên Đán"},
                        {"date": "2022-02-01", "name": "Tết Nguyên Đán"},
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        query = AddWorkingDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start: dt.date = query.validated_data["date"]
        days: int = query.validated_data["days"]
        at: dt.time | None = query.validated_data.get("at")
        data: dict = {"date": start.isoformat(), "days": days}
        try:
            if at is None:
                result = workdays.add_working_days_to_date(start, days)
                skipped = workdays.days_off_between(start + dt.timedelta(days=1), result)
            else:
                received = timezone.make_aware(
                    dt.datetime.combine(start, at), timezone.get_default_timezone()
                )
                clock_starts = workdays.receipt_start(received)
                due = timezone.localtime(workdays.add_working_days(clock_starts, days))
                result = due.date()
                skipped = workdays.days_off_between(start, result)
                data.update(
                    at=at.strftime("%H:%M"),
                    clock_starts=timezone.localtime(clock_starts).isoformat(),
                    result_datetime=due.isoformat(),
                    result_datetime_display=f"{due:%H:%M} ngày {due:%d/%m/%Y}",
                )
        except OverflowError:
            return Response({"date": ["Ngày kết quả vượt quá phạm vi của lịch."]}, status=400)
        data.update(
            result=result.isoformat(),
            result_display=f"{result:%d/%m/%Y}",
            holidays_skipped=[{"date": day.isoformat(), "name": name} for day, name in skipped],
        )
        return Response(data)
