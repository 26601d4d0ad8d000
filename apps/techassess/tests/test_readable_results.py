"""What the enterprise reads (#18.7, #18.9): years as years, labelled quantities instead of
formulas on the result page and in the PDF, and the radar's axes named after the groups."""

import json
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from apps.organizations.roles import Role
from apps.techassess import engine, methodology, reports, services
from conftest import require_component, verified_client

from .golden import MID_MECHANICAL

pytestmark = pytest.mark.django_db

EQUIPMENT = [
    {"name": "Máy tiện CNC", "year": 2016, "origin": "g7", "quantity": 2, "value": 1200},
    {"name": "Máy hàn", "year": 2020, "origin": "asia", "quantity": 1, "value": 300},
]
# What a formula looks like: a code with an underscore, a function call, an operator of the language.
FORMULA_SYNTAX = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:div|min|max|sum|mean|count)\(|\*|\bif\b|\belse\b")


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        yield


@pytest.fixture
def accepted(methods, users, make_user):
    owner = make_user(Role.CITIZEN, username="dn-doc")
    enterprise = services.register_enterprise(
        actor=owner,
        data={"name": "DN Cơ khí Đọc", "tax_code": "6000000777", "vsic_code": "2592", "commune": "Xã A"},
    )
    survey = services.start_survey(actor=owner, enterprise=enterprise, year=2024)
    survey.answers = dict(MID_MECHANICAL)
    survey.save()
    services.submit(survey, actor=owner)
    return owner, services.accept(survey, actor=users[Role.SPECIALIST])


def _formulas(definition) -> list[str]:
    """Every computed formula of the definition's rules (a bare answer code is no formula)."""
    out = []
    for c in definition["criteria"]:
        rule = c["rule"]
        text = rule.get("expression") or rule.get("value")
        if isinstance(text, str) and not text.isidentifier():
            out.append(text)
    return out


def _criteria_text(page: str) -> str:
    start = page.index('id="criteria-title"')
    table = page[start : page.index("</table>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))


LABELLED = [
    # T4: the equipment per worker against the sector benchmark, each input with its label and unit.
    "Giá trị thiết bị trên một lao động = Giá trị còn lại của thiết bị / Tổng số lao động "
    "= 350 triệu đồng/người (Giá trị còn lại của thiết bị = 17.500 triệu đồng; Tổng số lao động = 50 người)",
    # T5: div(energy_cost * 100, revenue) in words.
    "Chi phí năng lượng năm × 100 / Doanh thu năm = 7% (Chi phí năng lượng năm = 3.500 triệu đồng; "
    "Doanh thu năm = 50.000 triệu đồng)",
    # E4: a points formula min(4, div(revenue, equipment_value) * 1).
    "Điểm = Doanh thu năm / Giá trị còn lại của thiết bị (tối đa 4) = 2,86",
]


def test_the_result_page_shows_labelled_quantities_and_no_formula(client, accepted, vietnamese):
    owner, result = accepted
    page = verified_client(client, owner).get(reverse("techassess:result_detail", args=[result.pk]))
    page = page.content.decode()
    text = _criteria_text(page)
    for formula in _formulas(result.methodology.definition):
        assert formula not in page
    assert FORMULA_SYNTAX.search(text) is None, FORMULA_SYNTAX.search(text)
    for quantity in LABELLED:
        assert quantity in text


def test_the_pdf_report_shows_labelled_quantities_and_no_formula(accepted, tmp_path):
    require_component("pdftotext", shutil.which("pdftotext") is not None, "install Debian's poppler-utils")
    _owner, result = accepted
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(reports.result_pdf(result))
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", " ", raw)
    assert "ĐIỂM THEO TỪNG TIÊU CHÍ" in text
    for formula in _formulas(result.methodology.definition):
        assert formula not in text
    assert FORMULA_SYNTAX.search(text) is None, FORMULA_SYNTAX.search(text)
    # Table cells wrap their lines: compare the words.
    for quantity in (
        "Giá trị còn lại của thiết bị = 17.500 triệu đồng",
        "Tổng số lao động = 50 người",
        "Chi phí năng lượng năm × 100 / Doanh thu năm = 7%",
    ):
        assert quantity in text


def test_a_missing_answer_is_named_by_its_label(demo_definition):
    answers = dict(MID_MECHANICAL, energy_cost=None)
    t5 = next(c for c in engine.score(demo_definition, answers, "2592").criteria if c.code == "T5")
    assert t5.points == 0 and t5.explanation == "Thiếu dữ liệu: Chi phí năng lượng năm → 0 điểm."


def test_the_equipment_list_reads_as_the_years_and_the_rule_that_applied(demo_definition):
    answers = dict(MID_MECHANICAL, equipment_avg_age=None, equipment_list=EQUIPMENT)
    t1 = engine.score(demo_definition, answers, "2592", 2024).criteria[0]
    assert t1.explanation.startswith(
        "Tuổi bình quân của thiết bị chính = Năm khảo sát − trung bình Năm sản xuất của Danh mục thiết bị "
        "chính = 6 năm (Danh mục thiết bị chính: 2 dòng; Năm khảo sát = 2024)"
    )


def test_the_radar_axes_are_the_group_names(client, accepted, vietnamese):
    owner, result = accepted
    page = verified_client(client, owner).get(reverse("techassess:result_detail", args=[result.pk]))
    script = re.search(
        r'<script id="radar-data" type="application/json">(.*?)</script>', page.content.decode()
    )
    data = json.loads(script.group(1))
    names = [g["name_vi"] for g in result.methodology.definition["groups"]]
    assert [" ".join(lines) for lines in data["axes"]] == names
    assert "Nhóm hiện trạng công nghệ, thiết bị sản xuất" in names


def test_the_survey_prints_equipment_years_as_years(client, methods, users, vietnamese):
    officer = users[Role.SPECIALIST]
    enterprise = services.register_enterprise(
        actor=officer,
        data={"name": "DN Năm", "tax_code": "6000000778", "vsic_code": "2592", "commune": "Xã A"},
    )
    survey = services.start_survey(actor=officer, enterprise=enterprise, year=2024)
    survey.answers = {**MID_MECHANICAL, "equipment_avg_age": None, "equipment_list": EQUIPMENT}
    survey.save()
    page = verified_client(client, officer).get(reverse("techassess:survey_detail", args=[survey.pk]))
    answers = page.content.decode().split('id="survey-answers"', 1)[1].split("</section>", 1)[0]
    assert "<td>2016</td>" in answers and "<td>2020</td>" in answers
    assert "2.016" not in answers and "2.020" not in answers
    assert "<td>1.200</td>" in answers  # amounts keep their thousands separator
    columns = methodology.questions(survey.methodology.definition)["equipment_list"]["columns"]
    assert columns[1]["code"] == "year"
