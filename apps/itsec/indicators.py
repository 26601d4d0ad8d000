"""Indicators of digital infrastructure, security and IT skills for (organisation, date).

Each function takes the organisation (its whole subtree counts) and a date `at` (never the clock,
so a figure can be recomputed for the plan's date) and returns named values.

Definitions
- An asset counts at `at` when it was bought on or before `at` and its status on `at` (the
  latest status change effective on or before `at`) is "in use".
- "Computers" in the coverage figures are in-use computers with purpose "work"; training
  computers and servers are counted separately.
- staff: the sum of the units' latest headcount records (StaffHeadcount) effective on or before
  `at` — staff include workers without an account, as the plan counts CBCCVC and workers.
- staff_with_computer: distinct people (account, or name for people without one) to whom an
  in-use work computer is assigned, capped at `staff`.
- computers_with_antivirus: product recorded, licence not expired on `at`, last update no more
  than N days before `at` (N from CoveragePolicy in force on `at`, default 7; a local policy).
- computers_past_depreciation: the useful life of the asset's class version has ended on or before `at`.
- units_with_lan: units of the subtree whose latest UnitNetwork record on or before `at` says yes.
- skills: StaffSkill counts recorded per unit and year against the headcount on 31/12 of the year;
  course_attendees: distinct people who completed a course of the topic ending in the year.
- reviews: information systems by periodic self-assessment state on `at` (scheduled, due within
  scheduled.REVIEW_NOTICE_DAYS, overdue) and remediation tasks open / past their due date on `at`.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery

from apps.core import indicators as registry
from apps.core.formatting.vn import share
from apps.core.periods import Period
from apps.organizations.models import OrganizationKind

from .models import (
    DEFAULT_ANTIVIRUS_MAX_AGE_DAYS,
    Asset,
    AssetStatus,
    AssetStatusChange,
    AssetType,
    CoveragePolicy,
    Incident,
    IncidentStatus,
    ItStaff,
    Purpose,
    StaffHeadcount,
    StaffSkill,
    UnitNetwork,
)


@dataclass(frozen=True)
class Coverage:
    at: datetime.date
    staff: int
    work_computers: int
    staff_with_computer: int
    computers_on_internet: int
    computers_with_antivirus: int
    computers_past_depreciation: int
    servers: int
    training_computers: int
    units_with_lan: int
    units_total: int
    antivirus_max_age_days: int

    @property
    def staff_with_computer_share(self) -> str:
        return share(self.staff_with_computer, self.staff)

    @property
    def internet_share(self) -> str:
        return share(self.computers_on_internet, self.work_computers)

    @property
    def antivirus_share(self) -> str:
        return share(self.computers_with_antivirus, self.work_computers)

    @property
    def past_depreciation_share(self) -> str:
        return share(self.computers_past_depreciation, self.work_computers)

    def as_dict(self) -> dict:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for name in (
            "staff_with_computer_share",
            "internet_share",
            "antivirus_share",
            "past_depreciation_share",
        ):
            data[name] = getattr(self, name)
        return data


def _subtree_ids(organization) -> list[int]:
    return list(organization.subtree().values_list("pk", flat=True))


def in_use_assets(organization, at: datetime.date):
    """Assets of the subtree in use on `at` (status history, not the current status)."""
    status_at = Subquery(
        AssetStatusChange.objects.filter(asset=OuterRef("pk"), effective_on__lte=at)
        .order_by("-effective_on", "-id")
        .values("to_state")[:1]
    )
    return (
        Asset.objects.filter(organization_id__in=_subtree_ids(organization), purchase_date__lte=at)
        .annotate(status_at=status_at)
        .filter(status_at=AssetStatus.IN_USE)
    )


def antivirus_max_age(at: datetime.date) -> int:
    policy = CoveragePolicy.objects.filter(effective_from__lte=at).first()
    return policy.antivirus_max_age_days if policy else DEFAULT_ANTIVIRUS_MAX_AGE_DAYS


def staff(organization, at: datetime.date) -> int:
    """Headcount of the subtree on `at`."""
    total = 0
    for org_id in _subtree_ids(organization):
        row = (
            StaffHeadcount.objects.filter(organization_id=org_id, effective_from__lte=at)
            .order_by("-effective_from")
            .values_list("headcount", flat=True)
            .first()
        )
        total += row or 0
    return total


def staff_of_unit(organization, at: datetime.date) -> int | None:
    """The latest headcount record of this one organisation (not its subtree) on `at`."""
    return (
        StaffHeadcount.objects.filter(organization=organization, effective_from__lte=at)
        .order_by("-effective_from")
        .values_list("headcount", flat=True)
        .first()
    )


def units_with_lan(organization, at: datetime.date) -> tuple[int, int]:
    units = organization.subtree().filter(kind=OrganizationKind.UNIT, is_active=True)
    with_lan = 0
    latest = UnitNetwork.objects.filter(organization=OuterRef("pk"), effective_from__lte=at).order_by(
        "-effective_from"
    )
    for has_lan in units.annotate(has_lan=Subquery(latest.values("has_lan")[:1])).values_list(
        "has_lan", flat=True
    ):
        with_lan += bool(has_lan)
    return with_lan, units.count()


def coverage(organization, at: datetime.date, *, antivirus_max_age_days: int | None = None) -> Coverage:
    """The plan's infrastructure figures (section I.II) for the subtree on `at`."""
    max_age = antivirus_max_age_days if antivirus_max_age_days is not None else antivirus_max_age(at)
    in_use = in_use_assets(organization, at)
    computers = in_use.filter(asset_type=AssetType.COMPUTER)
    work = computers.filter(purpose=Purpose.WORK)
    work_rows = list(
        work.select_related("asset_class").only(
            "purchase_date",
            "assigned_to_id",
            "assigned_name",
            "asset_class__useful_life_years",
            "asset_class_id",
        )
    )
    people = {("u", a.assigned_to_id) for a in work_rows if a.assigned_to_id} | {
        ("n", a.assigned_name.strip().casefold())
        for a in work_rows
        if not a.assigned_to_id and a.assigned_name.strip()
    }
    headcount = staff(organization, at)
    lan, units_total = units_with_lan(organization, at)
    return Coverage(
        at=at,
        staff=headcount,
        work_computers=len(work_rows),
        staff_with_computer=min(len(people), headcount),
        computers_on_internet=work.filter(internet_connected=True).count(),
        computers_with_antivirus=work.exclude(antivirus_product="")
        .filter(
            antivirus_licence_expiry__gte=at,
            antivirus_last_update__gte=at - datetime.timedelta(days=max_age),
        )
        .count(),
        computers_past_depreciation=sum(1 for a in work_rows if a.past_depreciation(at)),
        servers=in_use.filter(asset_type=AssetType.SERVER).count(),
        training_computers=computers.filter(purpose=Purpose.TRAINING).count(),
        units_with_lan=lan,
        units_total=units_total,
        antivirus_max_age_days=max_age,
    )


def incidents(organization, start: datetime.date, end: datetime.date) -> dict:
    """Incidents reported in [start, end]: total, by status, severity and category."""
    qs = Incident.objects.filter(
        organization_id__in=_subtree_ids(organization),
        reported_at__date__gte=start,
        reported_at__date__lte=end,
    )
    result = {"total": qs.count(), "by_status": {}, "by_severity": {}, "by_category": {}}
    for status, severity, category in qs.values_list("status", "severity", "category"):
        result["by_status"][status] = result["by_status"].get(status, 0) + 1
        if severity:
            result["by_severity"][severity] = result["by_severity"].get(severity, 0) + 1
        if category:
            result["by_category"][category] = result["by_category"].get(category, 0) + 1
    result["open"] = qs.exclude(status__in=[IncidentStatus.CLOSED, IncidentStatus.REJECTED]).count()
    return result


def it_staff(organization, at: datetime.date) -> dict:
    """IT staff on `at` by highest qualification (the plan: 4 people, 1 master's, 3 bachelor's)."""
    qs = ItStaff.objects.filter(organization_id__in=_subtree_ids(organization), active_from__lte=at).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=at)
    )
    by_qualification: dict[str, int] = {}
    for q in qs.values_list("qualification", flat=True):
        by_qualification[q] = by_qualification.get(q, 0) + 1
    return {
        "total": qs.count(),
        "by_qualification": by_qualification,
        "dedicated": qs.filter(dedicated=True).count(),
    }


def skills(organization, year: int) -> dict:
    """Staff meeting the basic IT-skills standard and trained in security, against the headcount."""
    rows = StaffSkill.objects.filter(organization_id__in=_subtree_ids(organization), year=year)
    basic = sum(r.basic_it_skills for r in rows)
    security = sum(r.security_trained for r in rows)
    headcount = staff(organization, datetime.date(year, 12, 31))
    return {
        "year": year,
        "staff": headcount,
        "basic_course_attendees": course_attendees(organization, year, "basic_it"),
        "security_course_attendees": course_attendees(organization, year, "security"),
        "basic_it_skills": basic,
        "basic_it_skills_share": share(basic, headcount),
        "security_trained": security,
        "security_trained_share": share(security, headcount),
    }


def course_attendees(organization, year: int, topic: str) -> int:
    """Distinct people who completed a course on `topic` organised by the subtree and ending in `year`."""
    from .models import Attendance

    rows = Attendance.objects.filter(
        course__organization_id__in=_subtree_ids(organization),
        course__topic=topic,
        course__ends_on__year=year,
        passed=True,
    ).values_list("user_id", "full_name")
    return len({("u", u) if u else ("n", n.strip().casefold()) for u, n in rows})


def reviews(organization, at: datetime.date) -> dict:
    """Periodic self-assessments of the subtree's information systems on `at`: scheduled, due, overdue."""
    from .models import InformationSystem, RemediationTask
    from .scheduled import review_state

    ids = _subtree_ids(organization)
    counts = {"scheduled": 0, "due": 0, "overdue": 0, "unscheduled": 0}
    for system in InformationSystem.objects.filter(organization_id__in=ids).only("next_review_on"):
        counts[review_state(system, at) or "unscheduled"] += 1
    open_tasks = RemediationTask.objects.filter(
        answer__assessment__system__organization_id__in=ids,
        answer__assessment__performed_on__lte=at,
    ).filter(Q(done_on__isnull=True) | Q(done_on__gt=at))
    counts["remediation_open"] = open_tasks.count()
    counts["remediation_overdue"] = open_tasks.filter(due_on__lt=at).count()
    return counts


# ---------------------------------------------------------------- the registry (DESIGN.md contract)
# Assets, headcount and IT staff are stocks, counted on the period's last day; skills on the year of
# that day; incidents over the period.

_coverage = registry.shared(lambda organization, period: coverage(organization, period.end))
_it_staff = registry.shared(lambda organization, period: it_staff(organization, period.end))
_skills = registry.shared(lambda organization, period: skills(organization, period.end.year))
_incidents = registry.shared(lambda organization, period: incidents(organization, period.start, period.end))
_reviews = registry.shared(lambda organization, period: reviews(organization, period.end))


def _publish(key, label, unit, getter):
    def fn(organization, period: Period):
        return getter(organization, period)

    fn.__qualname__ = key
    registry.register(key, label, unit, fn)


def _cov(name):
    return lambda o, p: getattr(_coverage(o, p), name)


def _cov_share(part, whole):
    return lambda o, p: registry.percentage(getattr(_coverage(o, p), part), getattr(_coverage(o, p), whole))


_publish("itsec.staff", "Cán bộ, công chức, viên chức và người lao động", "người", _cov("staff"))
_publish("itsec.computers.for_work", "Máy tính phục vụ công việc", "máy", _cov("work_computers"))
_publish("itsec.staff_with_computer", "Cán bộ được trang bị máy tính", "người", _cov("staff_with_computer"))
_publish(
    "itsec.staff_with_computer.share",
    "Tỷ lệ cán bộ được trang bị máy tính",
    "%",
    _cov_share("staff_with_computer", "staff"),
)
_publish(
    "itsec.computers.with_broadband",
    "Máy tính kết nối Internet băng thông rộng",
    "máy",
    _cov("computers_on_internet"),
)
_publish(
    "itsec.computers.with_broadband.share",
    "Tỷ lệ máy tính kết nối Internet băng thông rộng",
    "%",
    _cov_share("computers_on_internet", "work_computers"),
)
_publish(
    "itsec.computers.with_antivirus",
    "Máy tính có phần mềm phòng chống mã độc",
    "máy",
    _cov("computers_with_antivirus"),
)
_publish(
    "itsec.computers.with_antivirus.share",
    "Tỷ lệ máy tính có phần mềm phòng chống mã độc",
    "%",
    _cov_share("computers_with_antivirus", "work_computers"),
)
_publish(
    "itsec.computers.past_depreciation",
    "Máy tính đã hết khấu hao",
    "máy",
    _cov("computers_past_depreciation"),
)
_publish(
    "itsec.computers.past_depreciation_share",
    "Tỷ lệ máy tính đã hết khấu hao",
    "%",
    _cov_share("computers_past_depreciation", "work_computers"),
)
_publish("itsec.servers", "Máy chủ", "máy", _cov("servers"))
_publish(
    "itsec.computers.for_training", "Máy tính phục vụ đào tạo, tập huấn", "máy", _cov("training_computers")
)
_publish("itsec.units_with_lan", "Đơn vị có mạng nội bộ (LAN)", "đơn vị", _cov("units_with_lan"))
_publish("itsec.units_total", "Đơn vị trực thuộc", "đơn vị", _cov("units_total"))
_publish(
    "itsec.it_staff", "Cán bộ chuyên trách, phụ trách CNTT", "người", lambda o, p: _it_staff(o, p)["total"]
)
_publish(
    "itsec.it_staff.dedicated", "Cán bộ CNTT chuyên trách", "người", lambda o, p: _it_staff(o, p)["dedicated"]
)
for _q, _label in (
    ("doctorate", "Cán bộ CNTT trình độ tiến sĩ"),
    ("master", "Cán bộ CNTT trình độ thạc sĩ"),
    ("bachelor", "Cán bộ CNTT trình độ đại học"),
    ("college", "Cán bộ CNTT trình độ cao đẳng"),
    ("certificate", "Cán bộ CNTT có chứng chỉ"),
):
    _publish(
        f"itsec.it_staff.{_q}",
        _label,
        "người",
        lambda o, p, q=_q: _it_staff(o, p)["by_qualification"].get(q, 0),
    )
_publish(
    "itsec.staff.basic_it_skills.share",
    "Tỷ lệ cán bộ đạt chuẩn kỹ năng sử dụng CNTT cơ bản",
    "%",
    lambda o, p: registry.percentage(_skills(o, p)["basic_it_skills"], _skills(o, p)["staff"]),
)
_publish(
    "itsec.staff.security_trained.share",
    "Tỷ lệ cán bộ được tập huấn an toàn thông tin",
    "%",
    lambda o, p: registry.percentage(_skills(o, p)["security_trained"], _skills(o, p)["staff"]),
)
_publish(
    "itsec.incidents.reported",
    "Sự cố an toàn thông tin ghi nhận trong kỳ",
    "sự cố",
    lambda o, p: _incidents(o, p)["total"],
)
_publish(
    "itsec.incidents.open",
    "Sự cố ghi nhận trong kỳ chưa đóng",
    "sự cố",
    lambda o, p: _incidents(o, p)["open"],
)
_publish(
    "itsec.systems.review_overdue",
    "Hệ thống thông tin quá hạn tự đánh giá định kỳ",
    "hệ thống",
    lambda o, p: _reviews(o, p)["overdue"],
)
_publish(
    "itsec.remediation.overdue",
    "Việc khắc phục sau đánh giá quá hạn",
    "việc",
    lambda o, p: _reviews(o, p)["remediation_overdue"],
)
