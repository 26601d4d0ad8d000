"""Issue #18.2: the incoming and outgoing documents' history panels read as a Vietnamese timeline."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.tests.readable_pages import assert_readable, history_panel
from apps.documents import services
from conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        yield


def test_incoming_history_reads_as_a_timeline(client, actors, tree, doc_types, vietnamese):
    doc = services.register_incoming(
        actors["clerk"],
        organization=tree["agency"],
        doc_type=doc_types["Công văn"],
        sender_name="UBND tỉnh",
        summary="Đề nghị báo cáo",
        number_symbol="12/UBND-VX",
        document_date=dt.date(2022, 1, 5),
    )
    services.submit_to_leader(actors["clerk"], doc, leader=actors["leader"], note="Kính trình")
    html = verified_client(client, actors["leader"]).get(reverse("documents:incoming_detail", args=[doc.pk]))
    found = assert_readable(history_panel(html.content.decode()))
    assert "Ngày văn bản" in found and "05/01/2022" in found  # a field's label and a Vietnamese date
    assert "Kính trình" in found
    assert "Trạng thái:" in found and " → " in found
    assert actors["clerk"].full_name in found and "Văn thư, Văn phòng Sở" in found


def test_outgoing_history_reads_as_a_timeline(client, actors, tree, doc_types, vietnamese):
    doc = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["KH"],
        summary="Kế hoạch chuyển đổi số",
        composition={"body": "Nội dung có dấu: Đắk Lắk"},
    )
    services.submit_for_review(actors["specialist"], doc, reviewers=[actors["head"]])
    html = verified_client(client, actors["head"]).get(reverse("documents:outgoing_detail", args=[doc.pk]))
    found = assert_readable(history_panel(html.content.decode()))
    assert "Đắk Lắk" in found  # JSON read as text, not \\u escapes
    assert "Trạng thái:" in found
