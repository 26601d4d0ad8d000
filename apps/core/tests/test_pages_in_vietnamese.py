"""Issue 18.5: the main pages of every role, rendered in Vietnamese on the demo data, show none of
the English words users met (labels left untranslated, class names, raw values)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import verified_client

pytestmark = pytest.mark.django_db

# Words seen on the pages before (issue 18) and the usual untranslated UI words.
ENGLISH = [
    "None", "Common Name", "Organization", "Country", "TOTPDevice", "StaticDevice", "original", "copy",
    "Retired", "draft", "Workspace", "Dashboard", "Search", "Status", "Save", "Cancel", "Submit",
    "Next", "Previous", "Page", "Details", "History", "Created", "Updated", "Yes", "No", "Total",
    "Export", "Filter", "Show", "Edit", "Delete", "Add", "Name", "Date", "Actions", "Download",
    "View", "Back", "Home", "Logout", "Notifications", "Unit", "Code", "Received", "Result",
]  # fmt: skip


def english_words(html: str) -> list[str]:
    html = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", html)
    text = re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html))
    return sorted({w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)})


def test_the_detector_sees_english_words_in_text_not_in_markup():
    found = english_words("<p>Common Name: Đinh Khắc Tuấn</p><p>Trạng thái: None</p>")
    assert found == ["Common Name", "Name", "None"]
    assert english_words('<a class="Status" href="/Save">Lưu</a><script>var Name;</script>') == []


def _pages():
    from apps.documents.models import IncomingDocument, OutgoingDocument
    from apps.dossiers.models import Dossier
    from apps.itsec.models import InformationSystem
    from apps.procedures.models import ProcedureVersion

    dossier = Dossier.objects.exclude(state="draft").order_by("pk").first()
    version = ProcedureVersion.objects.filter(status="published").order_by("pk").first()
    incoming = IncomingDocument.objects.order_by("pk").first()
    outgoing = OutgoingDocument.objects.order_by("pk").first()
    system = InformationSystem.objects.order_by("pk").first()
    return {
        None: [
            "/",
            reverse("procedures:catalogue"),
            reverse("procedures:detail", args=[version.procedure_id]),
            reverse("dossiers:status"),
        ],
        "congdan": [reverse("dossiers:mine"), reverse("core:inbox")],
        "motcua": [reverse("dossiers:inbox"), reverse("dossiers:detail", args=[dossier.pk])],
        "vanthu": [
            reverse("documents:incoming_list"),
            reverse("documents:outgoing_list"),
            reverse("documents:incoming_detail", args=[incoming.pk]),
            reverse("documents:outgoing_detail", args=[outgoing.pk]),
        ],
        "lanhdao": [reverse("core:staff_home"), reverse("dossiers:statistics")],
        "cntt": [
            reverse("itsec:index"),
            reverse("itsec:asset_list"),
            reverse("itsec:incident_stats"),
            reverse("itsec:system_detail", args=[system.pk]),
        ],
        "quantri": [reverse("core:staff_home"), reverse("audit:event_list")],
    }


def test_main_pages_of_every_role_have_no_english_words(client, settings):
    settings.LANGUAGE_CODE = "vi"
    call_command("seed_demo", "--force", verbosity=0)
    from apps.accounts.models import User

    found = {}
    for username, urls in _pages().items():
        c = client if username is None else verified_client(client, User.objects.get(username=username))
        for url in urls:
            response = c.get(url, follow=True)
            assert response.status_code == 200, f"{username} {url} → {response.status_code}"
            if words := english_words(response.content.decode()):
                found[f"{username or 'khách'} {url}"] = words
        client.logout()
    assert not found, found
