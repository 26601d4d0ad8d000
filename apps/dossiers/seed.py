"""Demo data: the 47 dossiers of 2021 (plan Part I) and a current-year flow in every state.

Plan, Part I.V: up to 04/10/2021, 47 dossiers were received through the one-stop system — level 2:
13, level 3: 26, level 4: 8 — all of them handled through the system. Idempotent: the 2021 rows
are found by their code, the current-year ones by their idempotency key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.core.calendar import workdays
from apps.organizations.models import Organization

from . import catalogue, ledger, result_signing, services
from .models import DeskSettings, Dossier, State, StatusChange, Timeliness
from .notifications import ensure_templates
from .workflow import TransitionError, needs_head_review

FIGURES_2021 = {2: 13, 3: 26, 4: 8}
AS_OF_2021 = dt.date(2021, 10, 4)
# The real electronic identifier of the Sở KH&CN Đắk Lắk is not known: a visible placeholder
# (an administrator replaces it in the one-stop desk settings).
PLACEHOLDER_IDENTIFIER = services.PLACEHOLDER_IDENTIFIER
DEMO_CITIZEN = "congdan"

APPLICANTS = [
    ("Công ty TNHH Cà phê Buôn Ma Thuột", "6000123456", "Số 5 Nguyễn Tất Thành, TP. Buôn Ma Thuột"),
    ("Bệnh viện Đa khoa vùng Tây Nguyên", "6000234567", "184 Trần Quý Cáp, TP. Buôn Ma Thuột"),
    ("Nguyễn Thị Hoa", "066190001234", "Phường Tân Lợi, TP. Buôn Ma Thuột"),
    ("Phòng khám Nha khoa Ea Kar", "6000345678", "Thị trấn Ea Kar, huyện Ea Kar"),
    ("Y Điêng Niê", "066085004321", "Xã Ea Tu, TP. Buôn Ma Thuột"),
    ("Công ty CP Đo lường Tây Nguyên", "6000456789", "Khu công nghiệp Hòa Phú"),
]


def _aware(day: dt.date, hour: int = 8, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _versions_by_level() -> dict[int, list]:
    try:
        versions = catalogue.published_versions()
    except Exception:  # noqa: BLE001 - no catalogue yet: nothing to seed
        return {}
    by_level: dict[int, list] = {}
    for v in versions:
        if v.legacy_level in FIGURES_2021:
            by_level.setdefault(v.legacy_level, []).append(v)
    return by_level


def _staff() -> dict[str, User | None]:
    names = {"desk": "motcua", "specialist": "chuyenvien", "head": "truongphong", "leader": "lanhdao"}
    found = {u.username: u for u in User.objects.filter(username__in=names.values())}
    return {key: found.get(username) for key, username in names.items()}


def seed() -> dict:
    desk = Organization.objects.filter(code="skhcn-vp").first()
    agency = Organization.objects.filter(code="skhcn").first()
    by_level = _versions_by_level()
    if desk is None or agency is None or not all(by_level.get(level) for level in FIGURES_2021):
        return {"skipped_no_catalogue": 1}
    DeskSettings.objects.get_or_create(
        organization=agency, defaults={"agency_identifier": PLACEHOLDER_IDENTIFIER, "is_placeholder": True}
    )
    services.ensure_counters()
    ensure_templates()
    result_signing.write_demo_seal()
    staff = _staff()
    created = {"dossiers_2021": _seed_2021(desk, agency, by_level, staff)}
    created["dossiers_current"] = _seed_current(desk, by_level, staff)
    created["statistics_entries"] = ledger.backfill()
    return created


def _seed_2021(desk, agency, by_level, staff) -> int:
    rng = random.Random(2021)
    identifier = DeskSettings.objects.get(organization=agency).agency_identifier
    plan = [level for level, n in FIGURES_2021.items() for _ in range(n)]
    rng.shuffle(plan)
    start = dt.date(2021, 1, 4)
    span = (AS_OF_2021 - start).days
    days = sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in plan)
    made = 0
    per_day: dict[dt.date, int] = {}
    for level, day in zip(plan, days, strict=True):
        while not workdays.is_working_day(day):
            day -= dt.timedelta(days=1)
        per_day[day] = per_day.get(day, 0) + 1
        code = f"{identifier}-{day:%y%m%d}-{per_day[day]:04d}"
        info = rng.choice(by_level[level])
        name, tax, address = rng.choice(APPLICANTS)
        received = _aware(day, 8 + rng.randrange(8) % 3, 15)
        due = workdays.add_working_days(workdays.receipt_start(received), info.processing_days or Decimal(5))
        resolved = workdays.add_working_days(
            workdays.receipt_start(received), max(Decimal(1), (info.processing_days or 5) - 1)
        )
        dossier, was_created = Dossier.objects.update_or_create(
            code=code,
            defaults={
                "state": State.CLOSED if resolved else State.IN_PROCESS,
                "organization": desk,
                "handling_unit_id": info.competent_unit_id,
                "procedure_version_id": info.version_id,
                "procedure_id": info.procedure_id,
                "procedure_code": info.code,
                "procedure_name": info.name,
                "procedure_field": info.field,
                "legacy_level": level,
                "online_level": info.online_level,
                "procedure_snapshot": catalogue.snapshot(info),
                "channel": "online" if level >= 3 and rng.random() < 0.5 else "walk_in",
                "handled_in_system": True,
                "applicant_name": name,
                "applicant_id_number": tax,
                "applicant_address": address,
                "applicant_phone": f"0262{rng.randrange(1000000, 9999999)}",
                "submitted_at": received,
                "received_at": received,
                "clock_start": workdays.receipt_start(received),
                "due_at": due,
                "original_due_at": due,
                "resolved_at": resolved,
                "returned_at": resolved,
                "closed_at": resolved,
                "timeliness": Timeliness.EARLY if resolved else "",
                "received_by": staff["desk"],
                "current_handler": staff["specialist"],
            },
        )
        if was_created:
            made += 1
            rows = [
                StatusChange(
                    dossier=dossier,
                    action="receive",
                    from_state=State.SUBMITTED,
                    to_state=State.RECEIVED,
                    actor=staff["desk"],
                    actor_name=getattr(staff["desk"], "full_name", ""),
                    at=received,
                )
            ]
            if resolved:
                rows.append(
                    StatusChange(
                        dossier=dossier,
                        action="close",
                        from_state=State.RETURNED,
                        to_state=State.CLOSED,
                        actor=staff["desk"],
                        actor_name=getattr(staff["desk"], "full_name", ""),
                        at=resolved,
                    )
                )
            StatusChange.objects.bulk_create(rows)
    return made


# (key, channel preference, target, days ago received, extra)
CURRENT_FLOW = [
    ("submitted-online", State.SUBMITTED, 1),
    ("submitted-walkin", State.SUBMITTED, 0),
    ("supplement-reception", "supplement_reception", 3),
    ("refused", State.REFUSED, 5),
    ("received", State.RECEIVED, 2),
    ("in-process", State.IN_PROCESS, 4),
    ("supplement-review", "supplement_review", 8),
    ("late-in-process", "late", 40),
    ("review", State.REVIEW, 6),
    ("approved", State.APPROVED, 7),
    ("result-ready", State.RESULT_READY, 9),
    ("returned", State.RETURNED, 12),
    ("closed", State.CLOSED, 20),
    ("closed-late", "closed_late", 45),
    ("withdrawn", State.WITHDRAWN, 10),
    ("not-eligible", State.NOT_ELIGIBLE, 15),
    ("extended", "extended", 9),
    ("head-review", State.HEAD_REVIEW, 5),
]

PATH = [
    ("receive", "desk", {}),
    ("transfer", "desk", {}),
    ("assign", "leader", {"handler": "head"}),
    ("assign", "head", {"handler": "specialist"}),
    ("propose", "specialist", {}),  # straight to the leader, where the procedure has no head review
    ("propose_to_head", "specialist", {}),  # else through the unit head's review
    ("head_submit", "head", {}),
    ("approve", "leader", {}),
    ("issue_result", "specialist", {}),
    ("return_result", "desk", {"method": "in_person"}),
    ("close", "desk", {}),
]
STOP_AFTER = {
    State.SUBMITTED: None,
    "supplement_reception": None,
    State.REFUSED: None,
    State.RECEIVED: "receive",
    State.IN_PROCESS: "assign",
    "supplement_review": "assign",
    "late": "assign",
    "extended": "assign",
    State.HEAD_REVIEW: "propose_to_head",
    State.REVIEW: "propose",  # or "head_submit" through the unit head's review
    State.APPROVED: "approve",
    State.RESULT_READY: "issue_result",
    State.RETURNED: "return_result",
    State.CLOSED: "close",
    "closed_late": "close",
    State.WITHDRAWN: "receive",
    State.NOT_ELIGIBLE: "assign",
}


def _seed_current(desk, by_level, staff) -> int:
    if not all(staff.values()):
        return 0
    rng = random.Random(2026)
    versions = [v for level in sorted(by_level) for v in by_level[level] if v.processing_days]
    # Only procedures whose competent unit the demo's unit head and specialist staff: a dossier
    # transferred elsewhere would wait for people nobody can sign in as.
    staffed = _staffed_units(staff)
    versions = [v for v in versions if v.competent_unit_id in staffed] or versions
    now = timezone.now()
    made = 0
    # The demo citizen (congdan, "Nguyễn Thị Hoa") applied with her account: "Hồ sơ của tôi" lists them.
    citizen = User.objects.filter(username=DEMO_CITIZEN).first()
    for index, (key, target, days_ago) in enumerate(CURRENT_FLOW):
        idem = f"demo-current-{key}"
        if Dossier.objects.filter(idempotency_key=idem).exists():
            continue
        info = versions[index % len(versions)]
        if target in ("late", "closed_late"):  # a short deadline, so that it is surely overdue
            info = min(versions, key=lambda v: v.processing_days)
        channel = (
            "walk_in"
            if "walk_in" in info.channels and key != "submitted-online"
            else sorted(info.channels)[0]
        )
        start_day = (
            workdays.add_working_days_to_date(timezone.localdate(), -days_ago)
            if days_ago
            else timezone.localdate()
        )
        at = _aware(start_day, 8, 10) if days_ago else now - dt.timedelta(minutes=5)
        name, tax, address = APPLICANTS[index % len(APPLICANTS)]
        form = {f.name: _sample(f) for f in info.form_fields}
        dossier = services.create_dossier(
            version_id=info.version_id,
            desk=desk,
            channel=channel,
            applicant={
                "applicant_name": name,
                "applicant_id_number": tax,
                "applicant_address": address,
                "applicant_phone": f"0905{rng.randrange(100000, 999999)}",
                "applicant_email": f"demo{index}@example.vn",
            },
            form_data=form,
            uploads={},
            actor=staff["desk"] if channel != "online" else None,
            applicant_user=citizen if citizen is not None and name == citizen.full_name else None,
            idempotency_key=idem,
            submitter="demo-seed",  # the seeder's own keys (looked up above), whoever the actor is
            at=at,
            check_documents=False,
        )
        made += 1
        _drive(dossier, target, at, staff, now)
    return made


def _staffed_units(staff) -> set[int]:
    """Units where the demo unit head works, with the demo specialist in the same unit's subtree."""
    from apps.organizations.models import Membership
    from apps.organizations.roles import Role

    heads = Membership.objects.filter(user=staff["head"], role=Role.UNIT_HEAD, is_active=True)
    specialist_units = set(
        Membership.objects.filter(user=staff["specialist"], role=Role.SPECIALIST, is_active=True).values_list(
            "organization_id", flat=True
        )
    )
    return {
        m.organization_id
        for m in heads.select_related("organization")
        if specialist_units & set(m.organization.subtree().values_list("pk", flat=True))
    }


def _sample(field) -> str:
    if field.choices:
        return field.choices[0]
    return {"date": "2026-01-15", "number": "1", "email": "demo@example.vn", "phone": "0905000000"}.get(
        field.type, "Nội dung mẫu"
    )


def _drive(dossier, target, at, staff, now) -> None:
    step = dt.timedelta(hours=2)
    moment = at
    if target == "supplement_reception":
        services.act(
            dossier.pk,
            "request_supplement",
            actor=staff["desk"],
            at=at + step,
            note="Hồ sơ thiếu thành phần.",
            items=["Bản sao giấy chứng nhận đăng ký doanh nghiệp"],
        )
        return
    if target == State.REFUSED:
        services.act(
            dossier.pk,
            "refuse",
            actor=staff["desk"],
            at=at + step,
            note="Thủ tục không thuộc thẩm quyền giải quyết của Sở.",
        )
        return
    stop_after = STOP_AFTER[target]
    if stop_after is None:
        return
    late = target in ("late", "closed_late")
    via_head = target == State.HEAD_REVIEW or needs_head_review(dossier)
    for action, who, params in PATH:
        if action in (("propose",) if via_head else ("propose_to_head", "head_submit")):
            continue
        moment = moment + step
        if late and action in ("propose", "propose_to_head"):
            dossier.refresh_from_db()
            moment = max(moment, dossier.due_at + dt.timedelta(days=2))
        moment = min(moment, now - dt.timedelta(minutes=1))
        kwargs = {k: staff[v] if k == "handler" else v for k, v in params.items()}
        services.act(dossier.pk, action, actor=staff[who], at=moment, note="", **kwargs)
        if action == "head_submit" and stop_after == "propose":
            break  # in review for the leader, like a dossier proposed straight to the leader
        if action == stop_after and (action != "assign" or kwargs.get("handler") == staff["specialist"]):
            break
    if target == "supplement_review":
        services.act(
            dossier.pk,
            "request_supplement",
            actor=staff["specialist"],
            at=moment + step,
            note="Cần bổ sung tài liệu kỹ thuật.",
            items=["Bản vẽ bố trí thiết bị"],
        )
    elif target == State.WITHDRAWN:
        services.act(
            dossier.pk,
            "stop",
            actor=staff["desk"],
            at=moment + step,
            note="Người nộp đề nghị dừng giải quyết.",
        )
    elif target == State.NOT_ELIGIBLE:
        services.act(
            dossier.pk,
            "not_eligible",
            actor=staff["specialist"],
            at=moment + step,
            note="Cơ sở chưa đáp ứng điều kiện về nhân lực an toàn bức xạ.",
        )
    elif target == "extended":
        dossier.refresh_from_db()
        with contextlib.suppress(TransitionError):  # too close to the due date: stays in process
            services.act(
                dossier.pk,
                "extend",
                actor=staff["leader"],
                at=moment + step,
                note="Cần lấy ý kiến cơ quan liên quan.",
                new_due=dossier.due_at + dt.timedelta(days=7),
            )
