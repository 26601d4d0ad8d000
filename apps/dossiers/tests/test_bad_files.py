"""Infected uploads are refused with the scanner's verdict and leave no dossier behind."""

import pytest
from django.urls import reverse

from apps.core.tests.test_files import clamd, fake_clamd  # noqa: F401 - the core scanner fixtures
from apps.dossiers.models import Dossier
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db


def post_online(client, key):
    data = {
        **APPLICANT,
        "f_purpose": "X",
        "idempotency_key": key,
        "doc_don": upload(),
        "doc_giayphep": upload("b.pdf", "B"),
    }
    return client.post(reverse("dossiers:submit_online", args=[1]), data)


def test_infected_file_is_refused_and_nothing_is_kept(client, users, catalogue, media, fake_clamd):  # noqa: F811
    fake_clamd(b"stream: Eicar-Test-Signature FOUND")
    verified_client(client, users[Role.CITIZEN])
    response = post_online(client, "infected")
    assert response.status_code == 200
    assert "nhiễm mã độc" in response.content.decode()
    assert Dossier.objects.count() == 0
    assert not any(media.rglob("*.pdf")) if media.exists() else True


@pytest.mark.clamav
def test_real_clamd_scans_the_submitted_documents(client, users, catalogue, media, clamd):  # noqa: F811
    verified_client(client, users[Role.CITIZEN])
    assert post_online(client, "clean").status_code == 302
    dossier = Dossier.objects.get()
    assert set(dossier.documents.values_list("file__scan_status", flat=True)) == {"clean"}
