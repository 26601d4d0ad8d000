"""Blank form files of document components: attached to a draft, downloadable from the public page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.organizations.roles import Role
from apps.procedures import services
from apps.procedures.public import get_version
from conftest import verified_client

from .factories import make_published

pytestmark = pytest.mark.django_db

DOCX_MAGIC = b"PK\x03\x04"


def _pdf():
    from weasyprint import HTML

    return SimpleUploadedFile("mau-don.pdf", HTML(string="<p>Mau don</p>").write_pdf(), "application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = ""


def test_manager_attaches_a_blank_form_that_the_public_downloads(client, users, media):
    published = make_published()
    admin = verified_client(client, users[Role.ADMINISTRATOR])
    draft = services.create_draft(users[Role.ADMINISTRATOR], published.procedure)
    url = reverse("procedures:staff_attach_template", args=[draft.pk, "don"])
    assert admin.post(url, {"file": _pdf()}).status_code == 302
    draft.refresh_from_db()
    assert draft.documents[0]["template_file_id"]
    assert get_version(draft.pk).documents[0].template_file_id == draft.documents[0]["template_file_id"]

    # Not public until the draft is published.
    public = reverse("procedures:template_file", args=[draft.procedure_id, "don"])
    client.logout()
    assert client.get(public).status_code == 404
    services.publish(None, draft)
    page = client.get(reverse("procedures:detail", args=[draft.procedure_id])).content.decode()
    assert 'data-template="don"' in page
    response = client.get(public)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "mau-don.pdf" in response["Content-Disposition"]


def test_published_versions_are_frozen_and_bad_files_refused(client, users, media):
    published = make_published()
    admin = verified_client(client, users[Role.ADMINISTRATOR])
    url = reverse("procedures:staff_attach_template", args=[published.pk, "don"])
    page = admin.post(url, {"file": _pdf()}, follow=True)
    assert "Only a draft can be edited" in page.content.decode()
    published.refresh_from_db()
    assert published.documents[0]["template_file_id"] is None

    draft = services.create_draft(users[Role.ADMINISTRATOR], published.procedure)
    disguised = SimpleUploadedFile("mau.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    admin.post(reverse("procedures:staff_attach_template", args=[draft.pk, "don"]), {"file": disguised})
    draft.refresh_from_db()
    assert draft.documents[0]["template_file_id"] is None


def test_only_managers_attach_blank_forms(client, users, media):
    draft = services.create_draft(None, make_published().procedure)
    url = reverse("procedures:staff_attach_template", args=[draft.pk, "don"])
    verified_client(client, users[Role.LEADER])
    assert client.post(url, {"file": _pdf()}).status_code == 403
    draft.refresh_from_db()
    assert draft.documents[0]["template_file_id"] is None
