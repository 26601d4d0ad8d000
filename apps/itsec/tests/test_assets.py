import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.core import workflow
from apps.itsec import services
from apps.itsec.models import Asset, AssetClass, AssetStatus, AssetType
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def it(make_user):
    return make_user(Role.IT_OFFICER, username="it")


def test_create_keeps_the_class_version_of_the_purchase_date(it, tree):
    old = factories.computer_class()
    new = AssetClass.objects.create(
        key="may-tinh",
        name="Máy vi tính",
        asset_type="computer",
        useful_life_years=4,
        effective_from=datetime.date(2024, 1, 1),
    )
    a = services.create_asset(
        it,
        code="MT-A",
        asset_type=AssetType.COMPUTER,
        organization=tree["tech"],
        purchase_date=datetime.date(2020, 5, 1),
    )
    b = services.create_asset(
        it,
        code="MT-B",
        asset_type=AssetType.COMPUTER,
        organization=tree["tech"],
        purchase_date=datetime.date(2024, 5, 1),
    )
    assert a.asset_class == old and a.depreciation_end == datetime.date(2025, 5, 1)
    assert b.asset_class == new and b.depreciation_end == datetime.date(2028, 5, 1)
    assert a.status_changes.get().to_state == AssetStatus.IN_USE


def test_transition_table(it, tree):
    a = factories.asset(tree["tech"])
    workflow.apply(a, "break", it, effective_on=datetime.date(2024, 1, 1))
    workflow.apply(a, "use", it, effective_on=datetime.date(2024, 2, 1), note="Đã sửa")
    workflow.apply(a, "dispose", it, effective_on=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError):
        workflow.apply(a, "use", it, effective_on=datetime.date(2024, 4, 1))
    assert [h.to_state for h in a.status_changes.all()] == ["in_use", "broken", "in_use", "disposed"]


def test_transition_before_purchase_is_refused(it, tree):
    a = factories.asset(tree["tech"])
    with pytest.raises(ValidationError):
        workflow.apply(a, "break", it, effective_on=datetime.date(2018, 1, 1))
    assert a.status_changes.count() == 1


def test_it_officer_cannot_manage_another_agency(it, tree):
    a = factories.asset(tree["other_unit"])
    with pytest.raises(PermissionDenied):
        services.update_asset(it, a, location="Kho")
    with pytest.raises(PermissionDenied):
        services.create_asset(
            it,
            code="X",
            asset_type="computer",
            organization=tree["other_unit"],
            purchase_date=datetime.date(2020, 1, 1),
        )


def test_bulk_edit_is_all_or_nothing(it, tree):
    a = factories.asset(tree["tech"], code="A1")
    b = factories.asset(tree["other_unit"], code="B1")  # outside the IT officer's agency
    with pytest.raises(PermissionDenied):
        services.bulk_edit(it, [a, b], location="Phòng 101")
    assert Asset.objects.filter(location="Phòng 101").count() == 0
    services.bulk_edit(it, [a], location="Phòng 101", antivirus_product="Kaspersky")
    a.refresh_from_db()
    assert (a.location, a.antivirus_product) == ("Phòng 101", "Kaspersky")


def test_list_search_export_and_bounded_queries(client, it, tree):
    for i in range(30):
        factories.asset(tree["tech"], code=f"MT-{i:03d}", serial=f"S{i}")
    factories.asset(tree["tech"], code="MC-01", asset_type=AssetType.SERVER)
    c = verified_client(client, it)
    with CaptureQueriesContext(connection) as ctx:
        page = c.get(reverse("itsec:asset_list")).content.decode()
    assert len(ctx.captured_queries) < 25
    assert "MT-000" in page and "MT-029" not in page  # 25 a page
    page = c.get(reverse("itsec:asset_list"), {"asset_type": "server"}).content.decode()
    assert "MC-01" in page and "MT-001" not in page
    page = c.get(reverse("itsec:asset_list"), {"q": "S17"}).content.decode()
    assert "MT-017" in page and "MT-016" not in page
    response = c.get(reverse("itsec:asset_list"), {"export": "xlsx", "asset_type": "computer"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row >= 31 and any(cell.value == "MT-029" for row in ws.iter_rows() for cell in row)


def test_create_edit_transition_and_bulk_through_http(client, it, tree):
    factories.computer_class()
    c = verified_client(client, it)
    response = c.post(
        reverse("itsec:asset_create"),
        {
            "code": "MT-W",
            "asset_type": "computer",
            "organization": tree["tech"].pk,
            "purchase_date": "2020-01-01",
            "purchase_value": "1000",
            "purpose": "work",
            "name": "Máy",
        },
    )
    asset = Asset.objects.get(code="MT-W")
    assert response.status_code == 302
    c.post(
        reverse("itsec:asset_transition", args=[asset.pk]),
        {"to_status": "broken", "effective_on": "2024-01-01"},
    )
    c.post(reverse("itsec:asset_bulk_edit"), {"ids": [asset.pk], "location": "Kho"})
    asset.refresh_from_db()
    assert asset.status == "broken" and asset.location == "Kho"
    page = c.get(reverse("itsec:asset_detail", args=[asset.pk])).content.decode()
    assert "Kho" in page and "01/01/2024" in page


def test_dashboard_shows_plan_figures(client, demo):
    from apps.accounts.models import User

    c = verified_client(client, User.objects.get(username="lanhdao"))
    page = c.get(reverse("itsec:index"), {"at": "2021-10-01"}).content.decode()
    assert "66,23%" in page and "100,00%" in page


def test_the_status_picked_in_the_form_names_one_move():
    from apps.core.workflow import TransitionError
    from apps.itsec.workflow import ASSET, LEVEL

    assert ASSET.action_to(AssetStatus.BROKEN) == "break"
    assert LEVEL.action_to("approved") == "approve"
    with pytest.raises(TransitionError):
        ASSET.action_to("stolen")  # no move leads there: refused, not a KeyError
