"""Asset change history (every field, from edits, bulk edits and imports) and bulk status changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core import workflow
from apps.itsec import services
from apps.itsec.models import Asset, AssetStatus
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def it(make_user, tree):
    return make_user(Role.IT_OFFICER, username="it")


def _history(c, asset):
    page = c.get(reverse("itsec:asset_detail", args=[asset.pk])).content.decode()
    return page[page.index('id="asset-history"') :]


def test_every_field_change_is_shown_with_labels(client, it, tree):
    asset = factories.asset(tree["tech"], code="MT-H1", internet_connected=False)
    services.update_asset(
        it,
        asset,
        operating_system="Windows 11",
        internet_connected=True,
        antivirus_licence_expiry=datetime.date(2026, 12, 31),
        organization=tree["office"],
    )
    services.bulk_edit(it, [asset], location="Phòng 204")
    c = verified_client(client, it)
    history = _history(c, asset)
    for text in ("Windows 11", "31/12/2026", "Phòng 204", "Văn phòng Sở", "Phòng Quản lý Công nghệ"):
        assert text in history
    # Field names are labels, not code names; yes/no, not True/False.
    assert "antivirus_licence_expiry" not in history and "internet_connected" not in history
    assert "True" not in history and "False" not in history


def test_import_changes_appear_in_the_asset_history(client, it, tree, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.itsec import importer
    from apps.itsec.demo import ensure_mappings
    from apps.itsec.models import ImportMapping

    ensure_mappings()
    asset = factories.asset(tree["tech"], code="PC-H2", operating_system="Windows 10")
    csv = "Tên thiết bị,Hệ điều hành\nPC-H2,Windows 11 Pro\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        importer.start(
            it,
            uploaded=SimpleUploadedFile("c.csv", csv),
            mapping=ImportMapping.objects.get(key="kaspersky-ksc"),
            organization=tree["tech"],
        )
    history = _history(verified_client(client, it), asset)
    assert "Windows 10" in history and "Windows 11 Pro" in history and "c.csv" in history


def test_bulk_status_change_follows_the_transition_table(it, tree):
    a = factories.asset(tree["tech"], code="B-1")
    b = factories.asset(tree["tech"], code="B-2")
    workflow.apply(b, "dispose", it, effective_on=datetime.date(2024, 1, 1))
    # A disposed asset cannot become spare: nothing changes, the error names the asset.
    with pytest.raises(ValidationError, match="B-2"):
        services.bulk_edit(
            it,
            [a, b],
            status=AssetStatus.SPARE,
            status_effective_on=datetime.date(2024, 6, 1),
            location="Kho",
        )
    a.refresh_from_db()
    assert (a.status, a.location) == (AssetStatus.IN_USE, "")
    n = services.bulk_edit(
        it, [a], status=AssetStatus.SPARE, status_effective_on=datetime.date(2024, 6, 1), location="Kho"
    )
    a.refresh_from_db()
    assert n == 1 and (a.status, a.location) == (AssetStatus.SPARE, "Kho")
    assert a.status_changes.last().effective_on == datetime.date(2024, 6, 1)


def test_bulk_status_through_http(client, it, tree):
    a = factories.asset(tree["tech"], code="B-3")
    b = factories.asset(tree["tech"], code="B-4")
    c = verified_client(client, it)
    # A status without its date is refused.
    c.post(reverse("itsec:asset_bulk_edit"), {"ids": [a.pk, b.pk], "status": "broken"})
    assert not Asset.objects.filter(status="broken").exists()
    c.post(
        reverse("itsec:asset_bulk_edit"),
        {"ids": [a.pk, b.pk], "status": "broken", "status_effective_on": "2024-02-01"},
    )
    assert set(Asset.objects.filter(status="broken").values_list("code", flat=True)) == {"B-3", "B-4"}
