"""Issue 18, point 3: a specialist opening a dossier not assigned to them is told why."""

import pytest
from django.urls import reverse

from apps.dossiers import services
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db

NOT_ASSIGNED = "Hồ sơ này chưa được giao cho bạn."


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"  # this package's tests run in English; this page is read in Vietnamese


def test_specialist_of_the_agency_is_told_the_dossier_is_not_assigned_yet(client, users, submit, vietnamese):
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])
    verified_client(client, users[Role.SPECIALIST])
    response = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    page = response.content.decode()
    assert response.status_code == 404  # still outside their scope
    assert NOT_ASSIGNED in page and "Hồ sơ chưa được giao cho bạn" in page and "lãnh đạo phòng" in page
    # Nothing of the dossier itself is shown.
    assert dossier.code not in page and "Nguyễn Văn An" not in page and "X-quang" not in page


def test_unit_head_before_the_dossier_reaches_the_unit_gets_the_same_explanation(
    client, users, submit, vietnamese
):
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])
    verified_client(client, users[Role.UNIT_HEAD])
    response = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert response.status_code == 404 and NOT_ASSIGNED in response.content.decode()


def test_specialist_of_another_agency_gets_a_plain_404(client, submit, make_user, users, vietnamese):
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])
    stranger = make_user(Role.SPECIALIST, username="cv-syt", unit="other_unit")
    verified_client(client, stranger)
    response = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert NOT_ASSIGNED not in page and "Không tìm thấy trang" in page and dossier.code not in page


def test_an_unknown_dossier_id_stays_a_plain_404_for_the_specialist(client, users, submit, vietnamese):
    verified_client(client, users[Role.SPECIALIST])
    page = client.get(reverse("dossiers:detail", args=[987654])).content.decode()
    assert NOT_ASSIGNED not in page and "Không tìm thấy trang" in page
