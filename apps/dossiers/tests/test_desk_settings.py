"""The agency identifier that starts dossier codes, set by an administrator in the configuration
screens (issue #18.6): national format checked, placeholder flagged, new dossiers use it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from apps.audit.models import AuditEvent
from apps.dossiers import services
from apps.dossiers.models import DeskSettings
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:dossiers_desksettings_changelist")


@pytest.fixture
def vi(settings):
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        yield


@pytest.fixture
def placeholder(tree):
    return DeskSettings.objects.create(
        organization=tree["agency"], agency_identifier=services.PLACEHOLDER_IDENTIFIER, is_placeholder=True
    )


@pytest.fixture
def admin_client(client, users):
    return verified_client(client, users[Role.ADMINISTRATOR])


def _post(client, row, value):
    url = reverse("admin:dossiers_desksettings_change", args=[row.pk])
    return client.post(url, {"agency_identifier": value})


def test_setup_lists_the_identifier_and_says_the_placeholder_must_be_replaced(admin_client, placeholder, vi):
    page = admin_client.get(CHANGELIST)
    assert page.status_code == 200
    body = page.content.decode()
    assert "000.00.00.X00" in body and 'data-placeholder="1"' in body
    assert "là giá trị tạm" in body and "mã định danh điện tử chính thức" in body
    change = admin_client.get(reverse("admin:dossiers_desksettings_change", args=[placeholder.pk]))
    assert change.status_code == 200 and "là giá trị tạm" in change.content.decode()


def test_a_malformed_identifier_is_refused_in_vietnamese(admin_client, placeholder, vi):
    for wrong in ("000.00.31", "H22.31.00.000", "000.00.31.HH2", "000.00.31.H22 x"):
        page = _post(admin_client, placeholder, wrong)
        assert page.status_code == 200, wrong  # the form again, with the error
        assert "phải có định dạng quốc gia 000.00.00.X00" in page.content.decode()
    placeholder.refresh_from_db()
    assert placeholder.agency_identifier == "000.00.00.X00" and placeholder.is_placeholder
    assert not AuditEvent.objects.filter(verb="dossier_desk_settings_changed").exists()


def test_the_official_identifier_starts_the_new_dossier_codes(admin_client, placeholder, submit, users, vi):
    before = submit()
    assert before.code.startswith("000.00.00.X00-")
    saved = _post(admin_client, placeholder, " 000.00.31.h22 ")
    assert saved.status_code == 302
    placeholder.refresh_from_db()
    assert placeholder.agency_identifier == "000.00.31.H22" and not placeholder.is_placeholder
    event = AuditEvent.objects.get(verb="dossier_desk_settings_changed")
    assert event.actor == users[Role.ADMINISTRATOR]
    assert event.changes == {"agency_identifier": ["000.00.00.X00", "000.00.31.H22"]}
    assert submit().code.startswith("000.00.31.H22-")
    before.refresh_from_db()
    assert before.code.startswith("000.00.00.X00-")  # a code given stays the same
    page = admin_client.get(CHANGELIST)
    assert (
        "là giá trị tạm" not in page.content.decode() and "Mã định danh chính thức" in page.content.decode()
    )


def test_an_administrator_sets_up_another_agency(admin_client, tree, vi):
    add = reverse("admin:dossiers_desksettings_add")
    unit = admin_client.post(add, {"organization": tree["office"].pk, "agency_identifier": "000.00.32.H22"})
    assert unit.status_code == 200  # a unit is not offered: it uses its agency's identifier
    assert not DeskSettings.objects.exists()
    done = admin_client.post(
        add, {"organization": tree["other_agency"].pk, "agency_identifier": "000.00.32.H22"}
    )
    assert done.status_code == 302
    assert services.agency_identifier(tree["other_unit"]) == "000.00.32.H22"


def test_only_an_administrator_may_change_it(client, users, placeholder, tree):
    for role in (Role.LEADER, Role.ONE_STOP_OFFICER):
        with pytest.raises(PermissionDenied):
            services.save_desk_settings(
                actor=users[role], organization=tree["agency"], agency_identifier="000.00.31.H22"
            )
        verified_client(client, users[role])
        assert client.get(CHANGELIST).status_code in (302, 403)
    with pytest.raises(ValidationError):
        services.save_desk_settings(
            actor=users[Role.ADMINISTRATOR], organization=tree["office"], agency_identifier="000.00.31.H22"
        )
    placeholder.refresh_from_db()
    assert placeholder.agency_identifier == "000.00.00.X00"
