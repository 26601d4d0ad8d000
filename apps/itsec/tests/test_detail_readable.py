"""Issue #18.2: an information system's history panel reads as a Vietnamese timeline."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core import workflow
from apps.core.tests.readable_pages import assert_readable, history_panel
from apps.itsec import services
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db


def test_system_history_reads_as_a_timeline(client, make_user, tree, settings):
    settings.LANGUAGE_CODE = "vi"
    it = make_user(Role.IT_OFFICER, username="it")
    system = factories.system(
        tree["tech"],
        name="Cổng dịch vụ công",
        kind="citizen",
        facts={"information": ["public", "personal"], "online_service_level": 3},
        user_count=12000,
    )
    services.propose_level(it, system)
    workflow.apply(system, "submit", it, note="233/SKHCN-TTTK", reference="233/SKHCN-TTTK")
    with translation.override("vi"):
        html = verified_client(client, it).get(reverse("itsec:system_detail", args=[system.pk]))
    found = assert_readable(history_panel(html.content.decode()))
    assert "Trạng thái cấp độ: Dự thảo → Đã trình thẩm định" in found
    assert "12.000" in found  # a count in Vietnamese digits
    assert "233/SKHCN-TTTK" in found
    assert "itsec.SecurityLevelChange" not in found
