"""The report to the provincial response team as Word, and the statistics page with its charts."""

import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.itsec import services
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "reporter": make_user(Role.SPECIALIST, username="cv"),
        "it": make_user(Role.IT_OFFICER, username="it"),
        "leader": make_user(Role.LEADER, username="ld"),
    }


def _incident(people, title="Máy tính bị mã độc mã hoá", close=True):
    incident = services.report_incident(
        people["reporter"], title=title, description="Tệp bị đổi đuôi", occurred_at=timezone.now()
    )
    services.triage_incident(people["it"], incident, severity="high", category="malware")
    services.add_step(people["it"], incident, action="Cách ly máy khỏi mạng")
    if close:
        services.close_incident(people["it"], incident, lessons_learned="Sao lưu hằng ngày")
    return incident


def test_report_docx_has_the_steps_and_lessons(client, people):
    from docx import Document

    incident = _incident(people)
    url = reverse("itsec:incident_report_docx", args=[incident.pk])
    response = verified_client(client, people["it"]).get(url)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    tables = " ".join(
        c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells
    )
    assert incident.code in text and "Sao lưu hằng ngày" in text
    assert "Cách ly máy khỏi mạng" in tables
    assert "Đội ứng cứu sự cố" in text + tables
    # The reporter (not the IT officer) may not produce it.
    assert verified_client(client, people["reporter"]).get(url).status_code == 403


def test_statistics_page_embeds_chart_data(client, people):
    _incident(people)
    _incident(people, title="Thư giả mạo", close=False)
    page = verified_client(client, people["leader"]).get(reverse("itsec:incident_stats")).content.decode()
    assert 'id="incident-total">2<' in page
    data = json.loads(re.search(r'id="itsec-incident-chart-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert sum(data["by_month"]) == 2 and len(data["months"]) == 12
    assert sum(data["severity_values"]) == 2
    assert sorted(data["status_values"]) == [1, 1]
    assert "itsec/incident_stats.js" in page and "<script>" not in page.split("</head>")[-1]


def test_the_demo_incident_of_2021_counts_in_2021_with_a_positive_handling_time(client, demo):
    """Issue 18.7: it was counted as reported on the day the demo was seeded, −45.889,2 hours."""
    from apps.accounts.models import User

    leader = verified_client(client, User.objects.get(username="lanhdao"))
    this_year = leader.get(reverse("itsec:incident_stats")).content.decode()
    assert 'id="incident-total">0<' in this_year
    page = leader.get(reverse("itsec:incident_stats"), {"year": 2021}).content.decode()
    assert 'id="incident-total">1<' in page
    assert ">30,5<" in page and "-45" not in page  # 06/09 09:30 → 07/09 16:00
