#!/usr/bin/env python
"""Fill a PostgreSQL database with a province-scale dataset, reproducible from a seed.

    .venv/bin/python bench/generate.py                 # 1,000,000 dossiers, 300,000 documents, …
    .venv/bin/python bench/generate.py --scale 0.2     # a fifth of every figure
    .venv/bin/python bench/generate.py --dossiers 50000 --documents 10000 --seed 7

The database (BENCH_DATABASE_URL, default postgres://cqs:cqs@127.0.0.1:5432/cqs_bench) is created
when missing, migrated and seeded with the demo data (its users are the benchmarks' accounts); then
30 agencies, 500 procedures, the dossiers over ten years with their status history, statistics
ledger and counters, the documents with history and recipients, assets, assessed enterprises and
portal news pages are added with COPY. Run it on a fresh database (`--reset` drops it first):
running it twice adds a second dataset.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, setup_env  # noqa: E402

TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh has no DST
START = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - START:7.1f}s] {message}", flush=True)


# --------------------------------------------------------------------------- words
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý H'Nie Y".split()  # noqa: SIM905
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu", "Hoàng", "Kim", "Bảo"]
GIVEN = (  # noqa: SIM905
    "An Anh Bình Châu Cường Dũng Dung Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long Mai Nam Nga "
    "Ngân Phong Phúc Phương Quân Quyên Sơn Tâm Thảo Thắng Trang Trung Tuấn Vân Việt Yến"
).split()
PLACES = [
    "Buôn Ma Thuột",
    "Ea Kar",
    "Krông Pắc",
    "Cư M'gar",
    "Buôn Hồ",
    "Krông Búk",
    "Ea H'leo",
    "Lắk",
    "M'Đrắk",
    "Tuy Hòa",
    "Sông Cầu",
    "Đồng Xuân",
]
AGENCY_NAMES = [
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường",
    "Sở Công Thương",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Quản lý các khu công nghiệp",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Trung tâm Phục vụ hành chính công",
    "Công an tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Cục Thuế tỉnh",
    "Kho bạc Nhà nước khu vực",
    "UBND thành phố Buôn Ma Thuột",
    "UBND thị xã Buôn Hồ",
    "UBND phường Tân Lợi",
    "UBND xã Ea Kao",
    "UBND xã Hòa Thắng",
    "UBND huyện Krông Pắc",
    "UBND huyện Ea Kar",
    "UBND huyện Cư M'gar",
    "UBND huyện Lắk",
]
PROC_VERBS = [
    "Cấp",
    "Cấp lại",
    "Gia hạn",
    "Điều chỉnh",
    "Thu hồi",
    "Đăng ký",
    "Công nhận",
    "Thẩm định",
    "Xác nhận",
    "Phê duyệt",
]
PROC_OBJECTS = [
    "giấy phép hoạt động",
    "giấy chứng nhận đủ điều kiện",
    "giấy phép xây dựng",
    "chứng chỉ hành nghề",
    "đăng ký kinh doanh",
    "giấy phép môi trường",
    "hồ sơ thiết kế",
    "kế hoạch bảo vệ môi trường",
    "giấy phép lao động",
    "danh hiệu văn hóa",
    "giấy chứng nhận quyền sử dụng đất",
    "hồ sơ hỗ trợ doanh nghiệp",
]
PROC_QUALIFIERS = [
    "cho doanh nghiệp",
    "cho hộ kinh doanh",
    "cho tổ chức",
    "cho cá nhân",
    "cấp tỉnh",
    "cấp xã",
    "trong khu công nghiệp",
    "đối với cơ sở giáo dục",
    "đối với cơ sở y tế",
    "đối với dự án đầu tư",
]
DOC_VERBS = [
    "Về việc triển khai",
    "Về việc báo cáo",
    "Về việc tổ chức",
    "Về việc hướng dẫn",
    "Về việc góp ý",
    "Về việc phê duyệt",
    "Về việc đôn đốc",
    "Về việc đề nghị",
    "Kế hoạch thực hiện",
    "Báo cáo kết quả",
]
DOC_TOPICS = [
    "chuyển đổi số",
    "cải cách hành chính",
    "kế hoạch ứng dụng công nghệ thông tin",
    "an toàn thông tin mạng",
    "nhiệm vụ khoa học và công nghệ",
    "đề tài cấp tỉnh",
    "tiêu chuẩn đo lường chất lượng",
    "sở hữu trí tuệ",
    "ngân sách sự nghiệp",
    "công tác thi đua khen thưởng",
    "phòng chống thiên tai",
    "viện nghiên cứu",
    "đầu tư công trung hạn",
    "chương trình nông thôn mới",
    "giải thưởng chất lượng",
]
DOC_SUFFIXES = [
    "năm {y}",
    "quý {q} năm {y}",
    "6 tháng đầu năm {y}",
    "giai đoạn 2021-2025",
    "trên địa bàn tỉnh",
]


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def summary(rng: random.Random, year: int) -> str:
    suffix = rng.choice(DOC_SUFFIXES).format(y=year, q=rng.randint(1, 4))
    return f"{rng.choice(DOC_VERBS)} {rng.choice(DOC_TOPICS)} {suffix}"


def office_moment(rng: random.Random, day: dt.date) -> dt.datetime:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    minutes = rng.randint(7 * 60 + 30, 16 * 60 + 45)
    return dt.datetime(
        day.year, day.month, day.day, minutes // 60, minutes % 60, rng.randint(0, 59), tzinfo=TZ
    )


def ts(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def working_days(start: dt.datetime, end: dt.datetime) -> Decimal:
    return Decimal(max((end - start).total_seconds(), 0) / 86400 * 5 / 7).quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- database
def ensure_database(url: str, reset: bool) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            log(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "CQS_DEMO_MODE": "1"}
    subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, stdout=subprocess.DEVNULL
    )


class Copier:
    """COPY rows into tables through one raw psycopg connection (the Django one, in its transaction)."""

    def __init__(self, connection):
        self.conn = connection
        self.ids: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        if table not in self.ids:
            with self.conn.cursor() as cur:
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
                self.ids[table] = cur.fetchone()[0]
        self.ids[table] += 1
        return self.ids[table]

    def copy(self, table: str, columns: list[str], rows) -> int:
        n = 0
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n

    def fix_sequences(self) -> None:
        with self.conn.cursor() as cur:
            for table in self.ids:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )


# --------------------------------------------------------------------------- organisations and staff
def build_agencies(rng, count: int):
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.documents.models import IssuerCode, Register
    from apps.dossiers.models import DeskSettings
    from apps.organizations.models import Membership, Organization, OrganizationKind
    from apps.organizations.roles import Role

    province = Organization.objects.get(kind=OrganizationKind.PROVINCE)
    home = Organization.objects.get(code="skhcn")
    users = {
        u.username: u for u in User.objects.filter(username__in=["motcua", "chuyenvien", "lanhdao", "vanthu"])
    }
    specialists = list(
        User.objects.filter(username__startswith="cb").order_by("username").values_list("pk", flat=True)
    )
    agencies = [
        {
            "org": home,
            "desk": Organization.objects.get(code="skhcn-vp"),
            "units": list(Organization.objects.filter(parent=home).exclude(code="skhcn-vp")),
            "identifier": DeskSettings.objects.get(organization=home).agency_identifier,
            "issuer": "SKHCN",
            "officer": users["motcua"].pk,
            "leader": users["lanhdao"].pk,
            "leader_name": users["lanhdao"].full_name,
            "clerk": users["vanthu"].pk,
            "specialists": specialists or [users["chuyenvien"].pk],
        }
    ]
    password = make_password(None)
    for i, name in enumerate(AGENCY_NAMES[: count - 1], start=1):
        code = f"bench-a{i:02d}"
        org = Organization.objects.filter(code=code).first()
        if org is None:
            org = Organization(
                name=name, short_name=name[:60], code=code, kind=OrganizationKind.AGENCY, parent=province
            )
            org.save()
            for suffix, unit_name in (
                ("vp", "Văn phòng"),
                ("p1", "Phòng Nghiệp vụ 1"),
                ("p2", "Phòng Nghiệp vụ 2"),
            ):
                Organization(
                    name=f"{unit_name} – {name}",
                    code=f"{code}-{suffix}",
                    kind=OrganizationKind.UNIT,
                    parent=org,
                ).save()
            DeskSettings.objects.create(
                organization=org, agency_identifier=f"000.00.{i:02d}.H22", is_placeholder=True
            )
            IssuerCode.objects.create(organization=org, code=f"CQ{i:02d}")
            for direction in ("incoming", "outgoing"):
                Register.objects.create(
                    organization=org,
                    direction=direction,
                    code=direction,
                    name=f"Sổ đăng ký văn bản {'đến' if direction == 'incoming' else 'đi'}",
                )
            staff = User.objects.bulk_create(
                User(
                    username=f"{code}-{role}-{k}",
                    full_name=person(rng),
                    email=f"{code}-{role}-{k}@example.vn",
                    password=password,
                )
                for role, n in (("desk", 1), ("leader", 1), ("clerk", 1), ("spec", 4))
                for k in range(n)
            )
            units = list(Organization.objects.filter(parent=org).order_by("code"))
            roles = [Role.ONE_STOP_OFFICER, Role.LEADER, Role.CLERK] + [Role.SPECIALIST] * 4
            where = [units[2], org, units[2]] + [units[0], units[0], units[1], units[1]]
            Membership.objects.bulk_create(
                Membership(user=u, organization=o, role=r)
                for u, o, r in zip(staff, where, roles, strict=True)
            )
        units = list(Organization.objects.filter(parent=org).order_by("code"))
        staff = {u.username: u for u in User.objects.filter(username__startswith=f"{code}-")}
        agencies.append(
            {
                "org": org,
                "desk": units[2],
                "units": units[:2],
                "identifier": f"000.00.{i:02d}.H22",
                "issuer": f"CQ{i:02d}",
                "officer": staff[f"{code}-desk-0"].pk,
                "leader": staff[f"{code}-leader-0"].pk,
                "leader_name": staff[f"{code}-leader-0"].full_name,
                "clerk": staff[f"{code}-clerk-0"].pk,
                "specialists": [staff[f"{code}-spec-{k}"].pk for k in range(4)],
            }
        )
    return agencies


# --------------------------------------------------------------------------- procedures
def build_procedures(rng, agencies, total: int):
    from django.utils import timezone

    from apps.core.text import normalize
    from apps.dossiers import catalogue
    from apps.procedures.models import Procedure, ProcedureVersion, VersionStatus

    templates = list(ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("pk"))
    home_units = {u.pk for u in agencies[0]["units"]}
    missing = max(total - len(templates), 0)
    if missing and not Procedure.objects.filter(key__startswith="bench-").exists():
        procedures = Procedure.objects.bulk_create(Procedure(key=f"bench-{i:04d}") for i in range(missing))
        versions = []
        for i, proc in enumerate(procedures):
            t = templates[i % len(templates)]
            agency = agencies[1 + i % (len(agencies) - 1)] if len(agencies) > 1 else agencies[0]
            words = (rng.choice(PROC_VERBS), rng.choice(PROC_OBJECTS), rng.choice(PROC_QUALIFIERS))
            name = f"{' '.join(words)} ({i + 1:03d})"
            code = f"1.{10000 + i:06d}.000.00.00.H22"
            versions.append(
                ProcedureVersion(
                    procedure=proc,
                    number=1,
                    status=VersionStatus.PUBLISHED,
                    code=code,
                    name=name,
                    search_text=normalize(f"{name} {code}"),
                    field_id=t.field_id,
                    competent_unit=rng.choice(agency["units"]),
                    legal_bases=t.legal_bases,
                    processing_days=t.processing_days or Decimal(10),
                    steps=t.steps,
                    documents=t.documents,
                    form_fields=t.form_fields,
                    fee=t.fee,
                    result_type=t.result_type,
                    legacy_level=t.legacy_level,
                    online_level=t.online_level,
                    channels=t.channels,
                    effective_from=dt.date(2016, 1, 1),
                    published_at=timezone.now(),
                )
            )
        ProcedureVersion.objects.bulk_create(versions, batch_size=500)
    rows = []
    for v in (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("field").order_by("pk")
    ):
        if v.competent_unit_id in home_units or v.competent_unit_id is None:
            agency = agencies[0]
        else:
            agency = next(a for a in agencies if v.competent_unit_id in {u.pk for u in a["units"]})
        info = catalogue.get_version(v.pk)
        snapshot = catalogue.snapshot(info)
        fee = (
            Decimal(str((v.fee or {}).get("amount") or 0))
            if (v.fee or {}).get("kind") == "fixed"
            else Decimal(0)
        )
        rows.append(
            {
                "version_id": v.pk,
                "procedure_id": v.procedure_id,
                "code": v.code or "",
                "name": v.name,
                "field": v.field.name if v.field_id else "",
                "legacy_level": v.legacy_level,
                "online_level": v.online_level or "",
                "days": float(v.processing_days or 10),
                "channels": list(v.channels or ["walk_in"]),
                "unit_id": v.competent_unit_id or agency["units"][0].pk,
                "agency": agency,
                "fee": fee,
                "snapshot": json.dumps(snapshot, ensure_ascii=False),
            }
        )
    return rows


# --------------------------------------------------------------------------- dossiers
CHAIN = [
    "submit",
    "receive",
    "transfer",
    "assign",
    "propose",
    "approve",
    "issue_result",
    "return_result",
    "close",
]
MOVES = {
    "submit": ("draft", "submitted"),
    "receive": ("submitted", "received"),
    "transfer": ("received", "in_process"),
    "assign": ("in_process", "in_process"),
    "propose": ("in_process", "review"),
    "approve": ("review", "approved"),
    "issue_result": ("approved", "result_ready"),
    "return_result": ("result_ready", "returned"),
    "close": ("returned", "closed"),
}
STEPS_TO = {  # state → actions of its history
    "submitted": CHAIN[:1],
    "received": CHAIN[:2],
    "in_process": CHAIN[:4],
    "review": CHAIN[:5],
    "approved": CHAIN[:6],
    "result_ready": CHAIN[:7],
    "returned": CHAIN[:8],
    "closed": CHAIN,
    "refused": ["submit", "refuse"],
    "supplement_requested": ["submit", "request_supplement"],
    "withdrawn": ["submit", "receive", "stop"],
    "not_eligible": CHAIN[:4] + ["not_eligible"],
}
EXTRA_MOVES = {
    "refuse": ("submitted", "refused"),
    "request_supplement": ("submitted", "supplement_requested"),
    "stop": ("received", "withdrawn"),
    "not_eligible": ("in_process", "not_eligible"),
}
OLD_STATES = (
    ["closed"] * 880 + ["returned"] * 30 + ["refused"] * 30 + ["withdrawn"] * 20 + ["not_eligible"] * 20
)
RECENT_STATES = (
    ["submitted"] * 8
    + ["supplement_requested"] * 3
    + ["received"] * 6
    + ["in_process"] * 25
    + ["review"] * 8
    + ["approved"] * 5
    + ["result_ready"] * 8
    + ["returned"] * 10
    + ["closed"] * 25
    + ["refused"] * 2
)


DOSSIER_COLUMNS = [
    "id",
    "code",
    "state",
    "version",
    "procedure_version_id",
    "procedure_id",
    "procedure_code",
    "procedure_name",
    "procedure_field",
    "legacy_level",
    "online_level",
    "procedure_snapshot",
    "channel",
    "handled_in_system",
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "form_data",
    "sets",
    "fee",
    "paid",
    "idempotency_key",
    "idempotency_scope",
    "resume_token",
    "draft_step",
    "submitted_at",
    "received_at",
    "clock_start",
    "due_at",
    "original_due_at",
    "extended",
    "paused_at",
    "step_started_at",
    "step_allowance_days",
    "resolved_at",
    "returned_at",
    "closed_at",
    "timeliness",
    "reason",
    "result_number",
    "result_summary",
    "return_method",
    "created_at",
    "updated_at",
    "applicant_user_id",
    "current_handler_id",
    "handling_unit_id",
    "organization_id",
    "received_by_id",
    "result_file_id",
]
HISTORY_COLUMNS = [
    "id",
    "action",
    "from_state",
    "to_state",
    "actor_name",
    "at",
    "note",
    "step_allowance_days",
    "step_hours_spent",
    "step_timeliness",
    "actor_id",
    "dossier_id",
    "handed_to_id",
    "handed_to_unit_id",
]
LEDGER_COLUMNS = [
    "id",
    "kind",
    "at",
    "dossier_ref",
    "organization_id",
    "unit_id",
    "procedure_id",
    "procedure_code",
    "procedure_name",
    "field",
    "legacy_level",
    "online_level",
    "channel",
    "handled_in_system",
    "outcome",
    "timeliness",
    "has_fee",
    "digitised",
    "processing_days",
]


def generate_dossiers(
    rng, copier: Copier, procedures, total: int, now: dt.datetime, citizen_id: int, names: dict
):
    from apps.core.counters.models import Counter

    span = 3650
    # Zipf-like popularity; the demo department's procedures come first (the busiest desk).
    weights = [1 / (rank + 1) ** 0.5 for rank in range(len(procedures))]
    picks = rng.choices(range(len(procedures)), weights=weights, k=total)
    # Growth: density grows linearly over the ten years (√u), sorted so ids follow time.
    offsets = sorted((1 - (rng.random() ** 0.5)) * span for _ in range(total))
    offsets.reverse()
    existing = {(c.organization_id, c.period): c.value for c in Counter.objects.filter(key="dossier_code")}
    counters = defaultdict(int, existing)
    from apps.dossiers.models import Dossier

    taken = set(Dossier.objects.exclude(code=None).values_list("code", flat=True))  # the demo's own codes
    result_counters = defaultdict(int)
    dossier_rows, history_rows, ledger_rows = [], [], []
    stats = defaultdict(int)

    def flush():
        copier.copy("dossiers_dossier", DOSSIER_COLUMNS, dossier_rows)
        copier.copy("dossiers_statuschange", HISTORY_COLUMNS, history_rows)
        copier.copy("dossiers_statisticsentry", LEDGER_COLUMNS, ledger_rows)
        dossier_rows.clear()
        history_rows.clear()
        ledger_rows.clear()

    for n, (offset, pick) in enumerate(zip(offsets, picks, strict=True)):
        p = procedures[pick]
        agency = p["agency"]
        submitted = office_moment(rng, (now - dt.timedelta(days=offset)).date())
        if submitted > now:
            submitted = now - dt.timedelta(hours=1)
        age = (now - submitted).days
        state = rng.choice(OLD_STATES if age > 90 else RECENT_STATES)
        channel = rng.choice(p["channels"])
        actions = STEPS_TO[state]
        # Event times: the resolution against the procedure's time limit, then the return.
        received = submitted + dt.timedelta(hours=rng.uniform(0.5, 30))
        calendar_days = p["days"] * 7 / 5
        due = received + dt.timedelta(days=calendar_days)
        verdict = rng.choices(["early", "on_time", "late"], weights=[62, 30, 8])[0]
        factor = {
            "early": rng.uniform(0.3, 0.85),
            "on_time": rng.uniform(0.86, 0.99),
            "late": rng.uniform(1.05, 1.6),
        }[verdict]
        resolved = received + dt.timedelta(days=calendar_days * factor)
        moments = {
            "submit": submitted,
            "receive": received,
            "transfer": received + dt.timedelta(hours=rng.uniform(1, 8)),
            "assign": received + dt.timedelta(hours=rng.uniform(8, 30)),
            "propose": resolved - dt.timedelta(hours=rng.uniform(10, 30)),
            "approve": resolved - dt.timedelta(hours=rng.uniform(1, 9)),
            "issue_result": resolved,
            "return_result": resolved + dt.timedelta(days=rng.uniform(0.2, 5)),
            "close": resolved + dt.timedelta(days=rng.uniform(5, 8)),
            "refuse": submitted + dt.timedelta(hours=rng.uniform(2, 20)),
            "request_supplement": submitted + dt.timedelta(hours=rng.uniform(2, 20)),
            "stop": received + dt.timedelta(days=rng.uniform(1, 5)),
            "not_eligible": received + dt.timedelta(days=calendar_days * 0.5),
        }
        if moments[actions[-1]] > now:  # a recent dossier: squeeze its moves between submission and now
            step = (now - submitted) / (len(actions) + 1)
            for k, action in enumerate(actions):
                moments[action] = submitted + step * k
            received = moments.get("receive", received)
            due = received + dt.timedelta(days=calendar_days)
            if "issue_result" in actions:
                resolved = moments["issue_result"]
                verdict = (
                    "late" if resolved > due else ("early" if resolved.date() < due.date() else "on_time")
                )
        dossier_id = copier.next_id("dossiers_dossier")
        local_day = submitted.astimezone(TZ).date()
        key = (agency["org"].pk, local_day.isoformat())
        counters[key] += 1
        code = f"{agency['identifier']}-{local_day:%y%m%d}-{counters[key]:04d}"
        while code in taken:
            counters[key] += 1
            code = f"{agency['identifier']}-{local_day:%y%m%d}-{counters[key]:04d}"
        is_received = "receive" in actions
        is_resolved = "issue_result" in actions or state == "not_eligible"
        handler = rng.choice(agency["specialists"]) if "assign" in actions else None
        current_handler = handler if state in ("in_process", "approved") else None
        paid = bool(p["fee"]) and channel == "online" and rng.random() < 0.7
        phone = f"09{rng.randint(10000000, 99999999)}"
        result_number = ""
        if "issue_result" in actions:
            year_key = (agency["org"].pk, resolved.year)
            result_counters[year_key] += 1
            result_number = (
                f"{result_counters[year_key]:03d}/{resolved.year % 100:02d}/KQ-{agency['identifier']}"
            )
        last = moments[actions[-1]]
        dossier_rows.append(
            (
                dossier_id,
                code,
                state,
                len(actions) - 1,
                p["version_id"],
                p["procedure_id"],
                p["code"],
                p["name"],
                p["field"],
                p["legacy_level"],
                p["online_level"],
                p["snapshot"],
                channel,
                True,
                person(rng),
                f"0{rng.randint(10**10, 10**11 - 1)}",
                f"{rng.randint(1, 300)} {rng.choice(PLACES)}",
                phone,
                "",
                "{}",
                1,
                p["fee"],
                paid,
                None,
                "",
                uuid.UUID(int=rng.getrandbits(128), version=4),
                1,
                submitted,
                received if is_received else None,
                received if is_received else None,
                due if is_received else None,
                due if is_received else None,
                False,
                None,
                None,
                None,
                resolved if is_resolved else None,
                moments["return_result"] if "return_result" in actions else None,
                moments["close"] if state == "closed" else None,
                verdict if "issue_result" in actions else "",
                "Không đủ điều kiện" if state in ("refused", "not_eligible") else "",
                result_number,
                "Đã giải quyết" if result_number else "",
                "in_person" if "return_result" in actions else "",
                submitted,
                last,
                citizen_id if channel == "online" and rng.random() < 0.002 else None,
                current_handler,
                p["unit_id"] if "transfer" in actions else None,
                agency["desk"].pk,
                agency["officer"] if is_received else None,
                None,
            )
        )
        for action in actions:
            from_state, to_state = MOVES.get(action) or EXTRA_MOVES[action]
            actor = (
                None
                if action == "submit" and channel == "online"
                else (
                    agency["leader"]
                    if action in ("approve", "transfer")
                    else (handler or agency["officer"])
                    if action in ("propose", "not_eligible")
                    else agency["officer"]
                )
            )
            history_rows.append(
                (
                    copier.next_id("dossiers_statuschange"),
                    action,
                    from_state,
                    to_state,
                    names.get(actor, "") if actor else "",
                    moments[action],
                    "",
                    None,
                    None,
                    "",
                    actor,
                    dossier_id,
                    handler if action == "assign" else None,
                    p["unit_id"] if action == "transfer" else None,
                )
            )
        base = (
            p["procedure_id"],
            p["code"],
            p["name"],
            p["field"],
            p["legacy_level"],
            p["online_level"],
            channel,
            True,
        )
        unit_id = p["unit_id"]
        kinds = [("submitted", submitted, "", "", False, None)]
        if is_received:
            kinds.append(("received", received, "", "", channel == "online", None))
        if state == "refused":
            kinds.append(("refused", moments["refuse"], "refused", "", False, None))
        if state == "withdrawn":
            kinds.append(("withdrawn", moments["stop"], "withdrawn", "", False, None))
        if is_resolved:
            outcome = "not_eligible" if state == "not_eligible" else "result_ready"
            kinds.append(
                (
                    "resolved",
                    resolved,
                    outcome,
                    verdict if outcome == "result_ready" else "",
                    False,
                    working_days(received, resolved),
                )
            )
        if "return_result" in actions:
            kinds.append(("returned", moments["return_result"], "", "", False, None))
        if paid:
            kinds.append(("paid", submitted + dt.timedelta(minutes=5), "", "", False, None))
        for kind, at, outcome, timeliness, digitised, days in kinds:
            ledger_rows.append(
                (
                    copier.next_id("dossiers_statisticsentry"),
                    kind,
                    at,
                    dossier_id,
                    agency["desk"].pk,
                    unit_id,
                    *base,
                    outcome,
                    timeliness,
                    bool(p["fee"]),
                    digitised,
                    days,
                )
            )
        stats[state] += 1
        if len(dossier_rows) >= 20000:
            flush()
            log(f"dossiers {n + 1:,}/{total:,}")
    flush()
    # The counters continue where the generated codes stop (a new dossier gets the next number).
    copier.conn.execute("DELETE FROM core_counter WHERE key IN ('dossier_code', 'dossier_result')")
    copier.copy(
        "core_counter",
        ["id", "key", "organization_id", "period", "value"],
        [
            (copier.next_id("core_counter"), "dossier_code", org, period, value)
            for (org, period), value in counters.items()
        ]
        + [
            (copier.next_id("core_counter"), "dossier_result", org, str(year), value)
            for (org, year), value in result_counters.items()
        ],
    )
    return dict(stats)


# --------------------------------------------------------------------------- documents
INCOMING_COLUMNS = [
    "id",
    "year",
    "arrival_number",
    "arrived_at",
    "sender_name",
    "number_symbol",
    "document_date",
    "summary",
    "urgency",
    "confidentiality",
    "pages",
    "status",
    "instruction",
    "deadline",
    "unit_instruction",
    "completed_at",
    "reminded_on",
    "result_note",
    "search_text",
    "created_at",
    "created_by_id",
    "doc_type_id",
    "handler_id",
    "lead_unit_id",
    "leader_id",
    "main_file_id",
    "organization_id",
    "sender_organization_id",
    "answer_id",
    "source_outgoing_id",
    "register_id",
    "signature_checked_at",
    "signature_report",
    "signature_verdict",
]
OUTGOING_COLUMNS = [
    "id",
    "summary",
    "urgency",
    "confidentiality",
    "status",
    "year",
    "number",
    "number_symbol",
    "issued_date",
    "signer_name",
    "signer_title",
    "digitally_signed",
    "sealed",
    "pages",
    "copies",
    "issued_at",
    "composition",
    "search_text",
    "created_at",
    "answers_id",
    "created_by_id",
    "doc_type_id",
    "drafting_unit_id",
    "organization_id",
    "signed_file_id",
    "signer_id",
    "register_id",
    "recall_reason",
    "recalled_at",
]
IN_CHAIN = [
    ("create", "", "registered"),
    ("submit", "registered", "submitted"),
    ("assign", "submitted", "assigned"),
    ("assign_handler", "assigned", "in_progress"),
    ("complete", "in_progress", "completed"),
]
OUT_CHAIN = [
    ("create", "", "draft"),
    ("submit", "draft", "in_review"),
    ("approve", "in_review", "approved"),
    ("number", "approved", "numbered"),
    ("sign", "numbered", "signed"),
    ("issue", "signed", "issued"),
]


def generate_documents(rng, copier: Copier, agencies, total: int, now: dt.datetime):
    from apps.core.counters.models import Counter
    from apps.core.text import normalize
    from apps.documents.models import DocumentType, Register

    types = list(DocumentType.objects.filter(is_active=True))
    registers = defaultdict(dict)
    for r in Register.objects.all():
        registers[r.organization_id].setdefault((r.direction, r.code), r)
    counters = defaultdict(
        int,
        {
            (c.key, c.organization_id, c.period): c.value
            for c in Counter.objects.filter(key__startswith="documents-")
        },
    )
    weights = [4] + [1] * (len(agencies) - 1)
    incoming_total = total * 6 // 10
    rows, history, recipients = [], [], []
    senders = [a["org"].name for a in agencies] + [
        "UBND tỉnh Đắk Lắk",
        "Bộ Khoa học và Công nghệ",
        "Viện Khoa học Tây Nguyên",
    ]

    def flush(table, columns, history_table):
        copier.copy(table, columns, rows)
        copier.copy(
            history_table,
            ["id", "action", "from_state", "to_state", "note", "at", "actor_id", "document_id"],
            history,
        )
        if recipients:
            copier.copy(
                "documents_recipient",
                ["id", "name", "delivered_at", "delivered_incoming_id", "document_id", "organization_id"],
                recipients,
            )
        rows.clear()
        history.clear()
        recipients.clear()

    moments = sorted(now - dt.timedelta(days=(1 - rng.random() ** 0.5) * 3650) for _ in range(total))
    incoming = set(rng.sample(range(total), incoming_total))
    in_moments = [m for i, m in enumerate(moments) if i in incoming]
    out_moments = [m for i, m in enumerate(moments) if i not in incoming]
    for n, moment in enumerate(in_moments):
        agency = rng.choices(agencies, weights=weights)[0]
        org = agency["org"]
        register = registers[org.pk].get(("incoming", "incoming")) or next(
            r for (d, _c), r in registers[org.pk].items() if d == "incoming"
        )
        arrived = office_moment(rng, moment.astimezone(TZ).date())
        if arrived > now:
            arrived = now - dt.timedelta(hours=1)
        year = arrived.astimezone(TZ).year
        key = (register.counter_key, org.pk, str(year))
        counters[key] += 1
        number = counters[key]
        doc_type = rng.choice(types)
        sender = rng.choice(senders)
        sender_code = normalize(sender).upper().replace(" ", "")[:6]
        symbol = f"{rng.randint(1, 3000)}/{doc_type.abbreviation or 'CV'}-{sender_code}"
        text = summary(rng, year)
        age = (now - arrived).days
        steps = 5 if age > 60 else rng.randint(1, 5)
        status = IN_CHAIN[steps - 1][2]
        filed = age > 60 and rng.random() < 0.15
        if filed:
            steps, status = 1, "filed"
        unit = rng.choice(agency["units"])
        handler = rng.choice(agency["specialists"]) if steps >= 4 else None
        doc_id = copier.next_id("documents_incomingdocument")
        deadline = (arrived + dt.timedelta(days=rng.randint(5, 20))).date() if steps >= 3 else None
        completed = arrived + dt.timedelta(days=rng.uniform(1, 15)) if status == "completed" else None
        search_text = normalize(" ".join([str(number), symbol, sender, text, doc_type.name]))
        rows.append(
            (
                doc_id,
                year,
                number,
                arrived,
                sender,
                symbol,
                (arrived - dt.timedelta(days=rng.randint(1, 5))).date(),
                text,
                "urgent" if rng.random() < 0.05 else "normal",
                "confidential" if rng.random() < 0.03 else "normal",
                rng.randint(1, 12),
                status,
                "Giao phòng chủ trì xử lý" if steps >= 3 else "",
                deadline,
                "",
                completed,
                None,
                "",
                search_text,
                arrived,
                agency["clerk"],
                doc_type.pk,
                handler,
                unit.pk if steps >= 3 else None,
                agency["leader"] if steps >= 2 else None,
                None,
                org.pk,
                None,
                None,
                None,
                register.pk,
                None,
                "[]",
                "",
            )
        )
        chain = [IN_CHAIN[0], ("file", "registered", "filed")] if filed else IN_CHAIN[:steps]
        for k, (action, src, dst) in enumerate(chain):
            at = completed if action == "complete" else arrived + dt.timedelta(hours=4 * k)
            actor = (
                agency["clerk"]
                if action in ("create", "submit", "file")
                else (agency["leader"] if action == "assign" else handler)
            )
            history.append(
                (copier.next_id("documents_incomingstatuschange"), action, src, dst, "", at, actor, doc_id)
            )
        if len(rows) >= 20000:
            flush("documents_incomingdocument", INCOMING_COLUMNS, "documents_incomingstatuschange")
            log(f"incoming {n + 1:,}/{len(in_moments):,}")
    flush("documents_incomingdocument", INCOMING_COLUMNS, "documents_incomingstatuschange")
    for n, moment in enumerate(out_moments):
        agency = rng.choices(agencies, weights=weights)[0]
        org = agency["org"]
        doc_type = rng.choice(types)
        regs = registers[org.pk]
        register = (
            regs.get(("outgoing", "outgoing-cv"))
            if doc_type.is_dispatch and ("outgoing", "outgoing-cv") in regs
            else regs[("outgoing", "outgoing")]
        )
        created = office_moment(rng, moment.astimezone(TZ).date())
        if created > now:
            created = now - dt.timedelta(hours=1)
        age = (now - created).days
        steps = 6 if age > 30 else rng.randint(1, 6)
        status = OUT_CHAIN[steps - 1][2]
        year = number = None
        symbol = ""
        issued = created + dt.timedelta(days=rng.uniform(1, 5)) if steps == 6 else None
        if steps >= 4:
            year = created.astimezone(TZ).year
            key = (register.counter_key, org.pk, str(year))
            counters[key] += 1
            number = counters[key]
            unit_code = "VP"
            symbol = (
                f"{number}/{agency['issuer']}-{unit_code}"
                if doc_type.is_dispatch
                else f"{number}/{doc_type.abbreviation}-{agency['issuer']}"
            )
        text = summary(rng, created.year)
        names = [rng.choice(senders) for _ in range(rng.randint(1, 3))]
        signer = agency["leader"] if steps >= 5 else None
        signer_name = agency["leader_name"] if signer else ""
        doc_id = copier.next_id("documents_outgoingdocument")
        search_text = normalize(" ".join(p for p in [symbol, text, doc_type.name, signer_name, *names] if p))
        rows.append(
            (
                doc_id,
                text,
                "normal",
                "confidential" if rng.random() < 0.03 else "normal",
                status,
                year,
                number,
                symbol,
                issued.date() if issued else None,
                signer_name,
                "Giám đốc" if signer else "",
                bool(signer),
                steps == 6,
                rng.randint(1, 20),
                rng.randint(1, 5),
                issued,
                "{}",
                search_text,
                created,
                None,
                rng.choice(agency["specialists"]),
                doc_type.pk,
                rng.choice(agency["units"]).pk,
                org.pk,
                None,
                signer,
                register.pk,
                "",
                None,
            )
        )
        for k, (action, src, dst) in enumerate(OUT_CHAIN[:steps]):
            at = issued if action == "issue" else created + dt.timedelta(hours=3 * k)
            history.append(
                (
                    copier.next_id("documents_outgoingstatuschange"),
                    action,
                    src,
                    dst,
                    "",
                    at,
                    agency["clerk"],
                    doc_id,
                )
            )
        for name in names:
            recipients.append((copier.next_id("documents_recipient"), name, issued, None, doc_id, None))
        if len(rows) >= 20000:
            flush("documents_outgoingdocument", OUTGOING_COLUMNS, "documents_outgoingstatuschange")
            log(f"outgoing {n + 1:,}/{len(out_moments):,}")
    flush("documents_outgoingdocument", OUTGOING_COLUMNS, "documents_outgoingstatuschange")
    for (key, org, period), value in counters.items():
        copier.conn.execute(
            "INSERT INTO core_counter (id, key, organization_id, period, value) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (key, organization_id, period) "
            "DO UPDATE SET value = GREATEST(core_counter.value, EXCLUDED.value)",
            [copier.next_id("core_counter"), key, org, period, value],
        )
    return {"incoming": len(in_moments), "outgoing": len(out_moments)}


# --------------------------------------------------------------------------- assets, enterprises, pages
def generate_assets(rng, copier: Copier, agencies, total: int, now: dt.datetime):
    from apps.itsec.models import AssetClass

    classes = list(AssetClass.objects.all())
    units = [u for a in agencies for u in a["units"] + [a["desk"]]]
    products = ["Kaspersky Endpoint Security", "BKAV Pro", "Microsoft Defender", ""]
    rows = []
    for i in range(total):
        cls = rng.choice(classes)
        unit = rng.choice(units)
        bought = (now - dt.timedelta(days=rng.randint(30, 3650))).date()
        product = rng.choice(products) if cls.asset_type in ("computer", "server") else ""
        rows.append(
            (
                copier.next_id("itsec_asset"),
                f"TS-{unit.pk:03d}-{i:06d}",
                cls.asset_type,
                f"{cls.name} {i % 97:02d}",
                rng.choice(
                    ["Dell OptiPlex 7090", "HP ProDesk 400", "Lenovo ThinkCentre", "Cisco C9200", "Canon LBP"]
                ),
                f"SN{rng.getrandbits(40):010X}",
                "",
                "Windows 11 Pro" if cls.asset_type == "computer" else "",
                person(rng) if rng.random() < 0.5 else "",
                unit.name[:200],
                bought,
                rng.randint(2, 60) * 1_000_000,
                rng.choices(["in_use", "spare", "broken", "disposed"], weights=[85, 6, 4, 5])[0],
                "work",
                rng.random() < 0.8,
                product,
                "12.0" if product else "",
                (bought + dt.timedelta(days=730)) if product else None,
                (now - dt.timedelta(days=rng.randint(0, 60))).date() if product else None,
                "",
                now,
                now,
                None,
                unit.pk,
                cls.pk,
            )
        )
    columns = [
        "id",
        "code",
        "asset_type",
        "name",
        "model",
        "serial",
        "specification",
        "operating_system",
        "assigned_name",
        "location",
        "purchase_date",
        "purchase_value",
        "status",
        "purpose",
        "internet_connected",
        "antivirus_product",
        "antivirus_version",
        "antivirus_licence_expiry",
        "antivirus_last_update",
        "note",
        "created_at",
        "updated_at",
        "assigned_to_id",
        "organization_id",
        "asset_class_id",
    ]
    return copier.copy("itsec_asset", columns, rows)


def generate_enterprises(rng, copier: Copier, total: int, now: dt.datetime):
    from apps.techassess.models import AssessmentResult

    templates = list(AssessmentResult.objects.select_related("survey", "survey__enterprise"))
    enterprises, surveys, results = [], [], []
    for i in range(total):
        t = rng.choice(templates)
        e = t.survey.enterprise
        eid, sid = copier.next_id("techassess_enterprise"), copier.next_id("techassess_survey")
        year = rng.randint(2019, now.year)
        name = f"Công ty TNHH {rng.choice(GIVEN)} {rng.choice(PLACES)} {i:04d}"
        enterprises.append(
            (
                eid,
                name,
                f"{8100000000 + i}",
                e.vsic_code,
                e.industry_name,
                rng.choice(PLACES),
                f"{rng.randint(1, 500)} {rng.choice(PLACES)}",
                person(rng),
                f"09{rng.randint(10000000, 99999999)}",
                now,
                None,
                e.organization_id,
                None,
                "",
            )
        )
        submitted = dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28), 9, tzinfo=TZ)
        surveys.append(
            (
                sid,
                year,
                "accepted",
                json.dumps(t.survey.answers, ensure_ascii=False),
                json.dumps(t.survey.sections_saved),
                False,
                submitted,
                "",
                submitted,
                submitted,
                None,
                eid,
                t.survey.methodology_id,
                t.survey.organization_id,
                None,
            )
        )
        results.append(
            (
                copier.next_id("techassess_assessmentresult"),
                t.methodology_label,
                t.illustrative,
                year,
                e.vsic_code,
                enterprises[-1][5],
                t.total,
                t.coefficient,
                t.klass,
                t.class_name,
                json.dumps(t.groups, ensure_ascii=False),
                json.dumps(t.criteria, ensure_ascii=False),
                t.benchmark_sector,
                submitted,
                None,
                t.organization_id,
                t.methodology_id,
                sid,
            )
        )
    copier.copy(
        "techassess_enterprise",
        [
            "id",
            "name",
            "tax_code",
            "vsic_code",
            "industry_name",
            "commune",
            "address",
            "representative",
            "phone",
            "created_at",
            "created_by_id",
            "organization_id",
            "owner_id",
            "email",
        ],
        enterprises,
    )
    copier.copy(
        "techassess_survey",
        [
            "id",
            "year",
            "status",
            "answers",
            "sections_saved",
            "entered_on_behalf",
            "submitted_at",
            "review_note",
            "created_at",
            "updated_at",
            "created_by_id",
            "enterprise_id",
            "methodology_id",
            "organization_id",
            "reviewed_by_id",
        ],
        surveys,
    )
    copier.copy(
        "techassess_assessmentresult",
        [
            "id",
            "methodology_label",
            "illustrative",
            "year",
            "vsic_code",
            "commune",
            "total",
            "coefficient",
            "klass",
            "class_name",
            "groups",
            "criteria",
            "benchmark_sector",
            "computed_at",
            "computed_by_id",
            "organization_id",
            "methodology_id",
            "survey_id",
        ],
        results,
    )
    return total


def generate_pages(rng, total: int, now: dt.datetime):
    """News articles under the news index, through treebeard's add_child (correct paths and numchild)."""
    from apps.portal.models import NewsArticlePage, NewsCategory, NewsIndexPage

    index = NewsIndexPage.objects.first()
    categories = list(NewsCategory.objects.all())
    for i in range(total):
        day = (now - dt.timedelta(days=rng.randint(0, 3650))).date()
        title = summary(rng, day.year)
        moment = dt.datetime.combine(day, dt.time(8), tzinfo=TZ)
        page = NewsArticlePage(
            title=f"{title} ({i + 1})",
            slug=f"bench-tin-{i + 1:05d}",
            lead=f"{title}. {person(rng)} thông tin.",
            body=[("paragraph", f"<p>{title}. Nội dung chi tiết của bài viết số {i + 1}.</p>")],
            category=rng.choice(categories) if categories else None,
            date=day,
            authors=person(rng),
            live=True,
            first_published_at=moment,
            last_published_at=moment,
        )
        index.add_child(instance=page)
        index.refresh_from_db(fields=["numchild"])
        if (i + 1) % 500 == 0:
            log(f"pages {i + 1:,}/{total:,}")
    return total


# --------------------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every default size")
    parser.add_argument("--dossiers", type=int)
    parser.add_argument("--documents", type=int)
    parser.add_argument("--assets", type=int)
    parser.add_argument("--enterprises", type=int)
    parser.add_argument("--pages", type=int)
    parser.add_argument("--procedures", type=int, default=500)
    parser.add_argument("--agencies", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    args = parser.parse_args()
    sizes = {
        "dossiers": args.dossiers if args.dossiers is not None else int(1_000_000 * args.scale),
        "documents": args.documents if args.documents is not None else int(300_000 * args.scale),
        "assets": args.assets if args.assets is not None else int(20_000 * args.scale),
        "enterprises": args.enterprises if args.enterprises is not None else int(5_000 * args.scale),
        "pages": args.pages if args.pages is not None else int(2_000 * args.scale),
    }
    url = setup_env("config.settings.base")
    os.environ["CQS_DEMO_MODE"] = "1"
    log(f"database {url.rsplit('@', 1)[-1]}, sizes {sizes}, seed {args.seed}")
    ensure_database(url, args.reset)
    log("migrate")
    manage("migrate", "--noinput")
    log("seed_demo")
    manage("seed_demo", "--force")

    import django

    django.setup()
    import logging

    logging.getLogger("wagtail").setLevel(logging.WARNING)
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.accounts.models import User

    rng = random.Random(args.seed)
    now = timezone.now().astimezone(TZ).replace(microsecond=0)
    summary_counts = {}
    with transaction.atomic():
        log("agencies, staff and registers")
        agencies = build_agencies(rng, args.agencies)
        log(f"{len(agencies)} agencies; procedures")
        procedures = build_procedures(rng, agencies, args.procedures)
        log(f"{len(procedures)} published procedures")
        connection.ensure_connection()
        copier = Copier(connection.connection)
        names = dict(User.objects.values_list("pk", "full_name"))
        citizen = User.objects.get(username="congdan").pk
        summary_counts["dossier_states"] = generate_dossiers(
            rng, copier, procedures, sizes["dossiers"], now, citizen, names
        )
        log("dossiers done; documents")
        summary_counts["documents"] = generate_documents(rng, copier, agencies, sizes["documents"], now)
        log("documents done; assets")
        summary_counts["assets"] = generate_assets(rng, copier, agencies, sizes["assets"], now)
        log("enterprises")
        summary_counts["enterprises"] = generate_enterprises(rng, copier, sizes["enterprises"], now)
        copier.fix_sequences()
    log("portal pages")
    with transaction.atomic():
        summary_counts["pages"] = generate_pages(rng, sizes["pages"], now)
    log("VACUUM ANALYZE")
    connection.close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    log(f"done: {json.dumps(summary_counts, ensure_ascii=False)}; database size {size}")


if __name__ == "__main__":
    main()
