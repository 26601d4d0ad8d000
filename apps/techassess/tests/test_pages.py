"""Methodology screens, aggregates and exports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.organizations.roles import Role
from apps.techassess import methodology, services
from apps.techassess.models import MethodologyStatus
from conftest import verified_client

from .golden import MID_MECHANICAL, STRONG_COFFEE, WEAK_WOOD
from .test_methodology import official_tables

pytestmark = pytest.mark.django_db


def test_tt17_screen_lists_exactly_what_is_missing_and_refuses_activation(client, methods, users):
    c = verified_client(client, users[Role.ADMINISTRATOR])
    tt17 = methods["tt17"]
    page = c.get(reverse("techassess:methodology_detail", args=[tt17.pk])).content.decode()
    missing = methodology.missing(tt17.definition)
    for problem in missing:
        assert str(problem).replace("'", "&#x27;") in page
    assert page.count("<li>") >= len(missing)
    response = c.post(reverse("techassess:methodology_activate", args=[tt17.pk]), follow=True)
    assert "cannot be activated" in response.content.decode() or "không thể" in response.content.decode()
    tt17.refresh_from_db()
    assert tt17.status == MethodologyStatus.DRAFT


def test_importing_the_tables_through_the_screen_makes_tt17_valid(client, methods, users):
    c = verified_client(client, users[Role.ADMINISTRATOR])
    filled = official_tables(methods["tt17"].definition, methods["demo"].definition)
    f = SimpleUploadedFile("tt17.yaml", methodology.dump_yaml(filled).encode())
    response = c.post(reverse("techassess:methodology_list"), {"file": f})
    assert response.url == reverse("techassess:methodology_detail", args=[methods["tt17"].pk])
    c.post(reverse("techassess:methodology_activate", args=[methods["tt17"].pk]))
    methods["tt17"].refresh_from_db()
    assert methods["tt17"].status == MethodologyStatus.ACTIVE


def test_a_broken_yaml_upload_shows_the_problem(client, methods, users):
    c = verified_client(client, users[Role.ADMINISTRATOR])
    broken = dict(methods["demo"].definition, version="3")
    broken["groups"] = [dict(g) for g in broken["groups"]]
    broken["groups"][0]["max_points"] = 35
    f = SimpleUploadedFile("x.yaml", methodology.dump_yaml(broken).encode())
    page = c.post(reverse("techassess:methodology_list"), {"file": f}, follow=True).content.decode()
    assert "group maxima add up to 105, not 100." in page


def test_methodology_exports_round_trip(client, methods, users):
    c = verified_client(client, users[Role.SPECIALIST])
    demo = methods["demo"]
    text = c.get(reverse("techassess:methodology_export", args=[demo.pk, "yaml"])).content.decode()
    assert methodology.load_yaml(text) == demo.definition
    xlsx = c.get(reverse("techassess:methodology_export", args=[demo.pk, "xlsx"])).content
    assert load_workbook(io.BytesIO(xlsx)).sheetnames[:3] == ["Phương pháp", "Nhóm", "Tiêu chí"]


@pytest.fixture
def scored(methods, users, make_user):
    owner = make_user(Role.CITIZEN, username="dn-agg")
    officer = users[Role.SPECIALIST]
    out = []
    for i, (answers, vsic, commune) in enumerate(
        [(STRONG_COFFEE, "1077", "Xã A"), (MID_MECHANICAL, "1077", "Xã A"), (WEAK_WOOD, "1610", "Xã B")]
    ):
        enterprise = services.register_enterprise(
            actor=owner,
            data={"name": f"DN {i}", "tax_code": f"600000010{i}", "vsic_code": vsic, "commune": commune},
        )
        survey = services.start_survey(actor=owner, enterprise=enterprise, year=2024)
        survey.answers = dict(answers)
        survey.save()
        services.submit(survey, actor=owner)
        out.append(services.accept(survey, actor=officer))
    return out


def test_aggregates_by_industry_and_commune_with_excel(client, scored, users):
    c = verified_client(client, users[Role.LEADER])
    page = c.get(reverse("techassess:aggregates")).content.decode()
    assert 'id="aggregate-data"' in page and "Minh họa" in page
    # Coffee: the mean of 100 and 57,36 (the mid enterprise scored against the coffee benchmark).
    assert float(scored[0].total) == 100 and float(scored[1].total) == 57.36
    assert "78,68" in page and "1077 Sản xuất" not in page
    assert "<td>1077</td>" in page or "<td>1077 " in page
    xlsx = c.get(reverse("techassess:aggregates"), {"export": "xlsx", "year": 2024})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert any(row[0] == "Toàn tỉnh" and row[2] == 3 for row in values)
    assert any(row[0] == "Xã, phường" and row[1] == "Xã B" and row[2] == 1 for row in values)


def test_result_page_compares_with_the_sector_and_suggests_improvements(client, scored, users):
    c = verified_client(client, users[Role.SPECIALIST])
    page = c.get(reverse("techassess:result_detail", args=[scored[1].pk])).content.decode()
    assert "Sector average over 2 enterprises" in page or "2 doanh nghiệp" in page
    assert "R — Nhóm năng lực nghiên cứu phát triển" in page  # weakest groups of the mid enterprise
