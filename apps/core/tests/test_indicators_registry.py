"""The indicators contract: every registered key answers, the API publishes the plan's Part I, and
the API, the staff page and its Excel export keep to the caller's organisations."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core import indicators
from apps.core.periods import Period
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db

# Keys whose value is None when there is nothing to divide (a share of zero items, an average of none).
MAY_BE_NONE = {"dossiers.resolved.average_days", "portal.questions.average_days_to_answer"}

# The plan's data cut-off (seed-figures.yaml: dossiers_until); its stock figures hold on that day.
PLAN = {"from": "2021-01-01", "to": "2021-10-04"}


def _may_be_none(key: str) -> bool:
    return key.endswith(".share") or "share_" in key or key in MAY_BE_NONE


@pytest.fixture
def plan_demo():
    """The demo seeders behind the plan's Part I: organisations and accounts, procedures, dossiers, IT."""
    from apps.accounts.demo import seed_foundation
    from apps.dossiers import seed as dossiers_seed
    from apps.itsec import demo as itsec_demo
    from apps.organizations.models import Organization
    from apps.procedures import demo as procedures_demo

    seed_foundation()
    procedures_demo.seed_procedures()
    dossiers_seed.seed()
    itsec_demo.seed()
    return Organization.objects.get(code="skhcn")


def test_every_registered_key_answers_on_the_whole_demo():
    from apps.core.demo import seed
    from apps.organizations.models import Organization

    seed()
    agency = Organization.objects.get(code="skhcn")
    registered = indicators.all_indicators()
    sources = {ind.source for ind in registered}
    assert {
        "accounts",
        "procedures",
        "dossiers",
        "documents",
        "tasks",
        "techassess",
        "itsec",
        "portal",
    } <= sources
    for ind in registered:
        value = ind.value(agency, Period.year(2021))
        assert str(ind.label) and str(ind.unit), ind.key
        if value is None:
            assert _may_be_none(ind.key), f"{ind.key} is None"
        else:
            assert isinstance(value, int | Decimal) and not isinstance(value, bool), ind.key
        if isinstance(value, Decimal) and ind.unit == "%":
            assert value == value.quantize(Decimal("0.01")) and 0 <= value <= 100, ind.key
    # One evaluation gives the same figures as asking key by key.
    evaluated = {ind.key: v for ind, v in indicators.evaluate(agency, Period.year(2021))}
    assert evaluated["accounts.idesk_accounts.active"] == indicators.value(
        "accounts.idesk_accounts.active", agency, Period.year(2021)
    )
    assert evaluated["portal.royalties.paid"] > 0


@pytest.fixture
def leader_client(client, plan_demo):
    from apps.accounts.models import User

    return verified_client(client, User.objects.get(username="lanhdao"))


def _values(response) -> dict:
    assert response.status_code == 200, response.content[:500]
    return {row["key"]: row["value"] for row in response.json()["indicators"]}


def test_the_api_publishes_the_plans_part_one(leader_client, plan_demo):
    response = leader_client.get(reverse("api:indicators"), {"organization": plan_demo.pk, **PLAN})
    v = _values(response)
    assert response.json()["organization"]["code"] == "skhcn"
    assert (v["itsec.computers.for_work"], v["itsec.staff"], v["itsec.servers"]) == (77, 77, 5)
    assert (v["itsec.computers.with_antivirus"], v["itsec.computers.with_broadband"]) == (77, 77)
    assert v["itsec.computers.for_training"] == 42
    assert v["itsec.computers.past_depreciation_share"] > 65  # the plan: "> 65%"
    assert v["itsec.it_staff"] == 4 and (v["itsec.it_staff.master"], v["itsec.it_staff.bachelor"]) == (1, 3)
    accounts = [v[f"accounts.idesk_accounts.{k}"] for k in ("created", "stopped", "active")]
    assert accounts == [97, 29, 68]
    assert v["procedures.total"] == 54
    assert [v[f"procedures.by_level.level_{lv}"] for lv in (2, 3, 4)] == [31, 3, 20]
    # 31/54 = 57.407…%: the plan printed 57,40%; the platform rounds half up, as formatting.vn.share does.
    assert [v[f"procedures.share_by_level.level_{lv}"] for lv in (2, 3, 4)] == [57.41, 5.56, 37.04]
    assert v["dossiers.received.total"] == 47
    assert [v[f"dossiers.received.online_level_{lv}"] for lv in (2, 3, 4)] == [13, 26, 8]
    assert [v[f"dossiers.received.online_level_{lv}.share"] for lv in (2, 3, 4)] == [27.66, 55.32, 17.02]
    assert v["dossiers.handled_in_system.share"] == 100


def test_a_year_and_the_callers_own_agency_by_default(leader_client, plan_demo):
    response = leader_client.get(reverse("api:indicators"), {"year": "2021"})
    v = _values(response)
    assert response.json()["period"] == {"start": "2021-01-01", "end": "2021-12-31"}
    assert response.json()["organization"]["code"] == "skhcn"
    assert (v["accounts.idesk_accounts.active"], v["procedures.total"], v["dossiers.received.total"]) == (
        68,
        54,
        47,
    )
    assert v["itsec.computers.with_antivirus"] == 77
    labels = {row["key"]: row for row in response.json()["indicators"]}
    assert labels["itsec.servers"]["label"] == "Máy chủ" and labels["itsec.servers"]["source"] == "itsec"
    # A stock is counted on the period's last day: the demo's last antivirus update is 28/12/2021.
    later = _values(leader_client.get(reverse("api:indicators"), {"year": "2022"}))
    assert later["itsec.computers.with_antivirus"] == 0
    earlier = _values(leader_client.get(reverse("api:indicators"), {"year": "2016"}))
    assert earlier["accounts.idesk_accounts.created"] < 97


@pytest.mark.parametrize(
    "params",
    [
        {"year": "năm"},
        {"year": "20"},
        {"from": "2021-13-01", "to": "2021-12-31"},
        {"from": "2021-01-01"},
        {"from": "2021-12-31", "to": "2021-01-01"},
        {"year": "2021", "from": "2021-01-01", "to": "2021-02-01"},
    ],
)
def test_bad_periods_are_refused_in_vietnamese(client, users, params):
    verified_client(client, users[Role.LEADER])
    response = client.get(reverse("api:indicators"), params)
    assert response.status_code == 400
    assert any(ch in response.json()["detail"] for ch in "ăâđêôơư")


def test_an_organisation_outside_the_scope_is_not_found(client, users, tree):
    verified_client(client, users[Role.LEADER])
    url = reverse("api:indicators")
    assert client.get(url, {"organization": tree["agency"].pk, "year": 2021}).status_code == 200
    assert client.get(url, {"organization": tree["other_agency"].pk, "year": 2021}).status_code == 404
    assert client.get(url, {"organization": "x", "year": 2021}).status_code == 404
    head = client.get(url, {"year": 2021})  # the default is the leader's own agency
    assert head.json()["organization"]["id"] == tree["agency"].pk


def test_people_without_an_organisation_wide_view_are_refused(client, users, tree):
    for role in (Role.SPECIALIST, Role.CITIZEN):
        verified_client(client, users[role])
        assert client.get(reverse("api:indicators"), {"year": 2021}).status_code == 403
        assert client.get(reverse("organizations:indicators")).status_code == 403
    assert client.logout() is None
    assert client.get(reverse("api:indicators")).status_code in (401, 403)


def _token(tree, scopes, org="agency"):
    from apps.accounts.models import ApiClient

    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name="Tích hợp", organization=tree[org], scopes=scopes, token_prefix=prefix, token_hash=digest
    )
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


def test_tokens_need_the_scope_and_reach_their_subtree(client, tree):
    url = reverse("api:indicators")
    assert client.get(url, {"year": 2021}, **_token(tree, ["itsec:read"])).status_code == 403
    auth = _token(tree, ["indicators:read"])
    own = client.get(url, {"year": 2021}, **auth)
    assert own.status_code == 200 and own.json()["organization"]["id"] == tree["agency"].pk
    assert client.get(url, {"organization": tree["tech"].pk, "year": 2021}, **auth).status_code == 200
    assert client.get(url, {"organization": tree["other_agency"].pk, "year": 2021}, **auth).status_code == 404
    unit = _token(tree, ["indicators:read"], org="tech")
    assert client.get(url, {"organization": tree["agency"].pk, "year": 2021}, **unit).status_code == 404


def test_staff_page_shows_vietnamese_numbers_and_exports_every_key(client, users, tree):
    from apps.itsec.models import StaffHeadcount

    StaffHeadcount.objects.create(
        organization=tree["office"], effective_from=dt.date(2021, 1, 1), headcount=1234
    )
    verified_client(client, users[Role.LEADER])
    page_url = reverse("organizations:indicators")
    page = client.get(page_url, {"organization": tree["agency"].pk, "year": 2021})
    assert page.status_code == 200
    html = page.content.decode()
    assert "1.234" in html and "Xuất Excel" in html and "itsec.staff" in html
    assert (
        client.get(page_url, {"organization": tree["other_agency"].pk}).status_code == 404
    )
    assert client.get(reverse("organizations:indicators"), {"year": "abc"}).status_code == 400

    export = client.get(
        page_url, {"organization": tree["agency"].pk, "year": 2021, "export": "xlsx"}
    )
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {ind.key for ind in indicators.all_indicators()}
    assert rows["itsec.staff"][3] == 1234 and rows["itsec.staff"][2] == "người"


def test_the_endpoint_is_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/indicators/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"organization", "year", "from", "to"}


ORGANISATION_VIEWERS = {Role.ADMINISTRATOR, Role.LEADER, Role.UNIT_HEAD, Role.IT_OFFICER, Role.CLERK}


@pytest.mark.parametrize("role", list(Role))
def test_page_and_api_per_role(client, users, role):
    verified_client(client, users[role])
    expected = 200 if role in ORGANISATION_VIEWERS else 403
    assert client.get(reverse("organizations:indicators"), {"year": 2021}).status_code == expected
    assert client.get(reverse("api:indicators"), {"year": 2021}).status_code == expected
