"""Staff screens for reporting regimes and templates (validation, versioning) and ad-hoc requests."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.organizations.roles import Role
from apps.tasks import reporting
from apps.tasks.models import ReportPeriod, ReportRegime, ReportTemplate, UnitReportStatus
from conftest import verified_client

pytestmark = pytest.mark.django_db
D = datetime.date


def row(code, label=None, kind="integer", formula="", source_key="", **extra):
    return {
        "code": code,
        "label": label or code,
        "kind": kind,
        "unit": "",
        "required": True,
        "min_value": None,
        "max_value": None,
        "formula": formula,
        "source_key": source_key,
        "order": None,
        **extra,
    }


def messages_of(exc):
    return " | ".join(exc.value.messages)


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([row("a"), row("r", formula="a / b * 100")], "do not exist: b"),
        ([row("a", formula="b + 1"), row("b", formula="a + 1")], "loop: a → b → a"),
        ([row("a", formula="a + 1")], "loop: a → a"),
        ([row("a"), row("a")], "used twice"),
        ([row("May-tinh")], "lower-case letters"),
        ([row("t", kind="text"), row("r", formula="t * 2")], "text indicators: t"),
        ([row("a"), row("r", kind="text", formula="a")], "must be a number"),
        ([row("a", source_key="khong.co")], "unknown pre-fill source"),
        ([row("a"), row("r", formula="a +")], "formula is not valid"),
        ([row("a", min_value=Decimal(10), max_value=Decimal(1))], "minimum is above the maximum"),
        ([], "at least one indicator"),
    ],
)
def test_template_validation_refuses(rows, expected):
    with pytest.raises(ValidationError) as exc:
        reporting.validate_indicators(rows)
    assert expected in messages_of(exc)


def test_derived_of_derived_is_computed_in_dependency_order():
    rows = [row("pct", formula="share * 100"), row("share", formula="b / a"), row("a"), row("b")]
    reporting.validate_indicators(rows)

    class Ind:
        def __init__(self, r):
            self.code, self.formula = r["code"], r["formula"]

    values = reporting.with_derived([Ind(r) for r in rows], {"a": Decimal(8), "b": Decimal(6)})
    assert values["share"] == Decimal("0.75") and values["pct"] == 75


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER, username="lanhdao")


@pytest.fixture
def leader_client(client, leader):
    return verified_client(client, leader)


def regime_post(tree, **over):
    data = {
        "code": "cds-quy",
        "name": "Báo cáo CĐS hằng quý",
        "legal_basis": "Nghị định 09/2019/NĐ-CP",
        "frequency": "quarterly",
        "cutoff_day": "15",
        "deadline_workdays": "3",
        "open_days_before_cutoff_end": "5",
        "receiver": str(tree["agency"].pk),
        "reporters": [str(tree["tech"].pk), str(tree["office"].pk)],
        "is_active": "on",
    }
    data.update(over)
    return data


def template_post(name, effective_from, rows):
    data = {
        "t-name": name,
        "t-effective_from": effective_from,
        "ind-TOTAL_FORMS": str(len(rows)),
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for i, r in enumerate(rows):
        for key, value in r.items():
            data[f"ind-{i}-{key}"] = value
    return data


ROWS = [
    {"code": "may_tinh", "label": "Số máy tính", "kind": "integer", "unit": "máy", "required": "on"},
    {"code": "co_av", "label": "Số máy có diệt mã độc", "kind": "integer", "unit": "máy", "required": "on"},
    {
        "code": "ty_le",
        "label": "Tỷ lệ có diệt mã độc",
        "kind": "percent",
        "unit": "%",
        "formula": "co_av / may_tinh * 100",
    },
    {"code": "tai_khoan", "label": "Tài khoản", "kind": "integer", "source_key": "accounts.active_at_end"},
]


def test_leader_sets_up_regime_and_template_on_screens_then_versions_it(
    leader_client, leader, tree, make_user, monkeypatch
):
    from apps.tasks import selectors

    monkeypatch.setattr(selectors, "today", lambda: D(2022, 1, 10))
    c = leader_client
    response = c.post(reverse("tasks:regime_create"), regime_post(tree, deadline_workdays="0"))
    assert response.status_code == 200 and not ReportRegime.objects.exists()  # at least one working day
    response = c.post(reverse("tasks:regime_create"), regime_post(tree))
    regime = ReportRegime.objects.get(code="cds-quy")
    assert response.status_code == 302 and set(regime.reporters.all()) == {tree["tech"], tree["office"]}

    page = c.get(reverse("tasks:regime_detail", args=[regime.pk])).content.decode()
    assert (
        "15/12/2021 – 14/03/2022" in page and "17/03/2022" in page
    )  # the schedule preview follows Decree 09/2019 Art. 12
    assert "Reporting regime created" in page  # the regime's own history

    # a formula naming an indicator that does not exist is refused with a message; nothing saved
    bad = [*ROWS[:2], {**ROWS[2], "formula": "co_av / so_may * 100"}]
    response = c.post(
        reverse("tasks:template_create", args=[regime.pk]), template_post("Biểu CĐS", "2022-01-01", bad)
    )
    assert "refers to indicators that do not exist: so_may" in response.content.decode()
    assert not ReportTemplate.objects.exists()

    response = c.post(
        reverse("tasks:template_create", args=[regime.pk]), template_post("Biểu CĐS", "2022-01-01", ROWS)
    )
    assert response.status_code == 302
    v1 = ReportTemplate.objects.get()
    assert [i.code for i in v1.indicators.all()] == ["may_tinh", "co_av", "ty_le", "tai_khoan"]
    assert v1.indicators.get(code="tai_khoan").source_key == "accounts.active_at_end"

    # an unused template is corrected in place
    c.post(
        reverse("tasks:template_edit", args=[v1.pk]), template_post("Biểu số liệu CĐS", "2022-01-01", ROWS)
    )
    v1.refresh_from_db()
    assert v1.name == "Biểu số liệu CĐS" and ReportTemplate.objects.count() == 1

    q1 = reporting.open_due_periods(D(2022, 3, 10))[0]
    assert q1.template == v1

    # once a period uses it, a change becomes version 2 from a later date; Q1 keeps version 1
    edit_page = c.get(reverse("tasks:template_edit", args=[v1.pk])).content.decode()
    assert 'id="new-version-notice"' in edit_page and "co_av / may_tinh * 100" in edit_page
    more = [*ROWS, {"code": "van_ban_ky_so", "label": "Văn bản ký số", "kind": "integer"}]
    response = c.post(
        reverse("tasks:template_edit", args=[v1.pk]), template_post("Biểu CĐS", "2022-01-01", more)
    )
    assert "must take effect after 01/01/2022" in response.content.decode()
    c.post(reverse("tasks:template_edit", args=[v1.pk]), template_post("Biểu CĐS 2", "2022-04-01", more))
    v2 = ReportTemplate.objects.get(version=2)
    assert v2.indicators.count() == 5 and v1.indicators.count() == 4
    q1.refresh_from_db()
    assert q1.template == v1
    q2 = reporting.open_due_periods(D(2022, 6, 10))[0]
    assert q2.template == v2

    # a specialist cannot reach the screens; a leader of another agency cannot see this regime
    specialist = make_user(Role.SPECIALIST, username="cv", unit="tech")
    c2 = verified_client(type(c)(), specialist)
    assert c2.get(reverse("tasks:regime_list")).status_code == 403
    outsider = make_user(Role.LEADER, username="ld-khac", unit="other_agency")
    c3 = verified_client(type(c)(), outsider)
    assert c3.get(reverse("tasks:regime_detail", args=[regime.pk])).status_code == 404
    assert c3.get(reverse("tasks:template_edit", args=[v1.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        reporting.save_template(outsider, regime, name="x", effective_from=D(2023, 1, 1), indicators=ROWS)


def test_frequency_of_a_regime_with_periods_cannot_change(leader_client, tree):
    leader_client.post(reverse("tasks:regime_create"), regime_post(tree))
    regime = ReportRegime.objects.get()
    leader_client.post(
        reverse("tasks:template_create", args=[regime.pk]), template_post("Biểu", "2022-01-01", ROWS[:1])
    )
    reporting.open_due_periods(D(2022, 3, 10))
    response = leader_client.post(
        reverse("tasks:regime_edit", args=[regime.pk]), regime_post(tree, frequency="monthly")
    )
    assert "its frequency cannot change" in response.content.decode()
    regime.refresh_from_db()
    assert regime.frequency == "quarterly"


def test_leader_opens_an_ad_hoc_request_for_chosen_units(leader_client, leader, tree, make_user, monkeypatch):
    from apps.tasks import selectors

    monkeypatch.setattr(selectors, "today", lambda: D(2022, 5, 3))
    leader_client.post(reverse("tasks:regime_create"), regime_post(tree))
    regime = ReportRegime.objects.get()
    leader_client.post(
        reverse("tasks:template_create", args=[regime.pk]), template_post("Biểu", "2022-01-01", ROWS[:3])
    )
    template = ReportTemplate.objects.get()
    q1 = reporting.open_due_periods(D(2022, 3, 10))[0]

    url = reverse("tasks:ad_hoc_period")
    form = {
        "template": str(template.pk),
        "label": "Báo cáo đột xuất về sự cố mã độc",
        "units": [str(tree["office"].pk)],
        "cutoff_from": "2022-04-01",
        "cutoff_to": "2022-04-30",
        "due_date": "2022-04-29",
    }
    response = leader_client.post(url, form)
    assert "cannot be before the end of the data window" in response.content.decode()
    response = leader_client.post(url, {**form, "due_date": "2022-05-06"})
    period = ReportPeriod.objects.get(is_ad_hoc=True)
    assert response.status_code == 302 and response["Location"] == reverse(
        "tasks:period_summary", args=[period.pk]
    )
    assert period.label == "Báo cáo đột xuất về sự cố mã độc" and period.due_date == D(2022, 5, 6)
    assert [r.organization for r in period.unit_reports.all()] == [tree["office"]]  # only the chosen unit

    # the scheduled quarters still open with their own numbers, and compare with each other
    q2 = reporting.open_due_periods(D(2022, 6, 10))[0]
    assert q2.index == 2 and reporting.previous_period(q2) == q1

    staff = make_user(Role.SPECIALIST, username="cv-vp", unit="office")
    report = period.unit_reports.get()
    reporting.save_values(staff, report, {"may_tinh": "4", "co_av": "3"}, submit=True)
    report.refresh_from_db()
    assert report.status == UnitReportStatus.SUBMITTED
    assert reporting.aggregate(period)["totals"]["ty_le"] == 75

    head = make_user(Role.UNIT_HEAD, username="tp", unit="tech")
    assert verified_client(type(leader_client)(), head).get(url).status_code == 403


def test_other_modules_figures_prefill_a_template(leader, tree):
    from apps.tasks import services

    sources = reporting.indicator_sources()
    for key in ("itsec.work_computers", "itsec.computers_with_antivirus", "documents.issued_signed"):
        assert sources[key](tree["tech"], D(2022, 3, 15), D(2022, 6, 14)) == 0  # the real functions answer
    regime = ReportRegime.objects.create(code="q", name="Quý", frequency="quarterly", receiver=tree["agency"])
    regime.reporters.set([tree["tech"], tree["office"]])
    reporting.save_template(
        leader,
        regime,
        name="Biểu",
        effective_from=D(2022, 1, 1),
        indicators=[row("giao", source_key="tasks.assigned"), row("may", source_key="itsec.work_computers")],
    )
    services.assign_task(
        leader, title="Nhiệm vụ quý 2", due_date=D(2022, 6, 30), units=[tree["tech"]], on=D(2022, 4, 5)
    )
    period = reporting.open_due_periods(D(2022, 6, 10))[0]
    tech = period.unit_reports.get(organization=tree["tech"]).values.get(indicator__code="giao")
    office = period.unit_reports.get(organization=tree["office"]).values.get(indicator__code="giao")
    assert (tech.number, tech.prefilled, office.number) == (1, True, 0)


@pytest.mark.parametrize("role", list(Role))
def test_setup_pages_per_role(client, users, tree, role):
    regime = ReportRegime.objects.create(code="q", name="Quý", frequency="quarterly", receiver=tree["agency"])
    template = ReportTemplate.objects.create(regime=regime, name="Biểu", effective_from=D(2022, 1, 1))
    c = verified_client(client, users[role])
    allowed = role in (Role.LEADER, Role.ADMINISTRATOR)
    for name, args in [
        ("tasks:regime_list", ()),
        ("tasks:regime_create", ()),
        ("tasks:regime_detail", (regime.pk,)),
        ("tasks:regime_edit", (regime.pk,)),
        ("tasks:template_create", (regime.pk,)),
        ("tasks:template_edit", (template.pk,)),
        ("tasks:ad_hoc_period", ()),
    ]:
        status = c.get(reverse(name, args=args)).status_code
        assert status == (200 if allowed else 403), (name, role, status)
    response = c.post(reverse("tasks:regime_edit", args=[regime.pk]), regime_post(tree, name="Đổi tên"))
    regime.refresh_from_db()
    assert (regime.name == "Đổi tên") == allowed and response.status_code == (302 if allowed else 403)


def test_admin_keeps_a_template_in_use_read_only(client, tree, django_user_model):
    regime = ReportRegime.objects.create(code="q", name="Quý", frequency="quarterly", receiver=tree["agency"])
    regime.reporters.set([tree["tech"]])
    used = ReportTemplate.objects.create(regime=regime, name="Biểu", effective_from=D(2022, 1, 1))
    used.indicators.create(code="a", label="A")
    reporting.open_due_periods(D(2022, 3, 10))
    fresh = ReportTemplate.objects.create(regime=regime, name="Biểu 2", effective_from=D(2023, 1, 1))
    admin = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "Mật-khẩu-123")
    c = verified_client(client, admin)
    page = c.get(reverse("admin:tasks_reporttemplate_change", args=[used.pk])).content.decode()
    assert 'name="indicators-0-code"' not in page and 'name="name"' not in page
    page = c.get(reverse("admin:tasks_reporttemplate_change", args=[fresh.pk])).content.decode()
    assert 'name="name"' in page
