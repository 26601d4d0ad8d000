"""The equipment list: a table question with rows added and removed in the form, validated cell by
cell, readable by the reviewer, imported from its own Excel sheet and used by the scoring rules."""

import copy
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from apps.organizations.roles import Role
from apps.techassess import engine, expr, importer, methodology, services
from apps.techassess.forms import clean_table_rows
from apps.techassess.models import Survey
from conftest import verified_client

from .golden import MID_MECHANICAL

pytestmark = pytest.mark.django_db

LIST = [
    {
        "name": "Máy tiện CNC",
        "year": 2016,
        "origin": "g7",
        "quantity": 2,
        "value": 1200,
        "remaining_value": 700,
    },
    {"name": "Máy hàn", "year": 2020, "origin": "asia", "quantity": 1, "value": 300, "remaining_value": None},
]


def equipment_question(definition):
    return methodology.questions(definition)["equipment_list"]


def test_a_rule_reads_the_list_when_it_is_filled_in(demo_definition):
    # Survey 2024, years of manufacture 2016 and 2020: average age 6 years -> band 6…10 -> 3 points.
    with_list = {**MID_MECHANICAL, "equipment_avg_age": None, "equipment_list": LIST}
    score = engine.score(demo_definition, with_list, "2592", year=2024)
    t1 = next(c for c in score.criteria if c.code == "T1")
    assert t1.points == 3 and "= 6 năm" in t1.explanation
    # Newer equipment in the list gives more points, whatever the declared average says.
    newer = [{**row, "year": 2023} for row in LIST]
    t1 = engine.score(demo_definition, {**with_list, "equipment_list": newer}, "2592", year=2024).criteria[0]
    assert t1.points == 5
    # Without a list, the declared average age counts (the golden enterprises rely on it).
    t1 = engine.score(demo_definition, MID_MECHANICAL, "2592", year=2024).criteria[0]
    assert t1.points == 3
    # Neither: no points, and the explanation says the data are missing.
    t1 = engine.score(demo_definition, {**MID_MECHANICAL, "equipment_avg_age": None}, "2592", 2024).criteria[
        0
    ]
    assert t1.points == 0 and "Thiếu dữ liệu" in t1.explanation


def test_table_functions_in_formulas():
    rows = [
        {"origin": "g7", "value": 100.0},
        {"origin": "asia", "value": 50.0},
        {"origin": "g7", "value": None},
    ]
    variables = {"t": rows}
    assert expr.evaluate("sum(t.value)", variables) == 150
    assert expr.evaluate("count(t)", variables) == 3
    assert expr.evaluate('countif(t.origin, "g7")', variables) == 2
    assert expr.evaluate('sumif(t.value, t.origin, "g7") / sum(t.value)', variables) == pytest.approx(2 / 3)
    for text in ['"g7"', "t.__class__", 'countif(t.origin, "g7") + "x"', "t.value.real"]:
        with pytest.raises(expr.ExpressionError):
            expr.evaluate(text, variables)


def test_validation_names_unknown_columns_and_non_tables(demo_definition):
    broken = copy.deepcopy(demo_definition)
    broken["criteria"][0]["rule"]["value"] = "survey_year - mean(equipment_list.built)"
    broken["criteria"][1] = {
        **broken["criteria"][1],
        "rule": {"type": "formula", "expression": "min(5, sum(revenue.value))"},
    }
    found = [str(p) for p in methodology.validate(broken)]
    assert any("refers to unknown column 'built' of equipment_list" in m for m in found), found
    assert any("revenue is not a table" in m for m in found), found
    broken = copy.deepcopy(demo_definition)
    equipment_question(broken)  # present
    for section in broken["sections"]:
        for q in section["questions"]:
            if q["code"] == "equipment_list":
                q["columns"].append({"code": "year", "label": "Trùng", "type": "integer"})
    assert any("column code year is used twice" in str(p) for p in methodology.validate(broken))


def test_rows_are_validated_cell_by_cell(demo_definition):
    question = equipment_question(demo_definition)
    rows, errors = clean_table_rows(
        question,
        [
            {"name": "Máy ép", "year": "2015", "origin": "Trong nước", "quantity": "1", "value": "1.250,5"},
            {"name": "", "year": "năm ngoái", "origin": "mars", "quantity": "0", "value": "10"},
        ],
    )
    assert rows[0]["origin"] == "domestic" and rows[0]["value"] == 1250.5 and rows[0]["year"] == 2015
    assert errors == [
        "Row 2, Tên thiết bị: required.",
        "Row 2, Năm sản xuất: «năm ngoái» is not a number.",
        "Row 2, Xuất xứ: «mars» is not one of the choices.",
        "Row 2, Số lượng: must be at least 1.",
    ]


def start(client, user):
    c = verified_client(client, user)
    c.post(
        reverse("techassess:enterprise_register"),
        {
            "name": "Công ty TNHH Cơ khí Ea Tam",
            "tax_code": "6000000123",
            "vsic_code": "2592",
            "commune": "Xã A",
        },
    )
    enterprise = user.techassess_enterprises.get()
    c.post(reverse("techassess:survey_start", args=[enterprise.pk]), {"year": 2024})
    return c, Survey.objects.get()


def test_rows_added_removed_and_saved_through_the_form(client, methods, make_user):
    c, survey = start(client, make_user(Role.CITIZEN, username="dn"))
    url = reverse("techassess:survey_section", args=[survey.pk, "equipment"])
    page = c.get(url).content.decode()
    assert 'id="id_equipment_list-add"' in page and "<template>" in page and "techassess/table.js" in page
    # Rows 0 and 2 kept, row 1 removed in the browser (its inputs are no longer posted); blank row dropped.
    data = {
        "equipment_list-0-name": "Máy tiện CNC",
        "equipment_list-0-year": "2016",
        "equipment_list-0-origin": "g7",
        "equipment_list-0-quantity": "2",
        "equipment_list-0-value": "1200",
        "equipment_list-2-name": "Máy hàn",
        "equipment_list-2-year": "2020",
        "equipment_list-2-origin": "asia",
        "equipment_list-2-quantity": "1",
        "equipment_list-2-value": "300",
        "equipment_list-3-name": "",
        "save": "1",
    }
    response = c.post(url, data)
    assert response.status_code == 302
    survey.refresh_from_db()
    assert [r["name"] for r in survey.answers["equipment_list"]] == ["Máy tiện CNC", "Máy hàn"]
    assert survey.answers["equipment_list"][0]["year"] == 2016
    # The saved rows come back for the second sitting.
    page = c.get(url).content.decode()
    assert 'value="Máy tiện CNC"' in page and 'name="equipment_list-1-name"' in page
    # A bad cell is refused with its row and column; nothing is saved.
    data["equipment_list-2-year"] = "hai nghìn"
    response = c.post(url, data)
    assert response.status_code == 200
    assert "Row 2, Năm sản xuất: «hai nghìn» is not a number." in response.content.decode()
    survey.refresh_from_db()
    assert survey.answers["equipment_list"][1]["year"] == 2020


def test_list_or_average_age_is_required_before_submission(client, methods, make_user):
    c, survey = start(client, make_user(Role.CITIZEN, username="dn"))
    answers = {k: v for k, v in MID_MECHANICAL.items() if k != "equipment_avg_age"}
    survey.answers = answers
    survey.save()
    missing = dict(services.missing_answers(survey))
    assert (
        "Tuổi bình quân của thiết bị chính (năm), khi không kê khai danh mục"
        in missing["Danh mục thiết bị, công nghệ"]
    )
    survey.answers = {**answers, "equipment_list": LIST}
    survey.save()
    assert services.missing_answers(survey) == []


def test_the_reviewer_reads_the_list_and_the_result_uses_the_survey_year(client, methods, users):
    officer = users[Role.SPECIALIST]
    enterprise = services.register_enterprise(
        actor=officer,
        data={"name": "DN Thiết bị", "tax_code": "6000000124", "vsic_code": "2592", "commune": "Xã A"},
    )
    survey = services.start_survey(actor=officer, enterprise=enterprise, year=2024)
    survey.answers = {**MID_MECHANICAL, "equipment_avg_age": None, "equipment_list": LIST}
    survey.save()
    services.submit(survey, actor=officer)
    page = (
        verified_client(client, officer)
        .get(reverse("techassess:survey_detail", args=[survey.pk]))
        .content.decode()
    )
    assert "Máy tiện CNC" in page and "Các nước công nghiệp phát triển" in page and "1.200" in page
    result = services.accept(survey, actor=officer)
    t1 = next(c for c in result.criteria if c["code"] == "T1")
    assert t1["points"] == 3 and "= 6 năm" in t1["explanation"]


def workbook(definition, rows, equipment_rows):
    book = Workbook()
    sheet = book.active
    questions = methodology.questions(definition)
    header = importer.ENTERPRISE_COLUMNS + [c for c, q in questions.items() if q["type"] != "table"]
    sheet.append(header)
    for r in rows:
        sheet.append([r.get(h) for h in header])
    table = book.create_sheet("equipment_list")
    columns = ["tax_code", "survey_year", *[c["code"] for c in questions["equipment_list"]["columns"]]]
    table.append(columns)
    for r in equipment_rows:
        table.append([r.get(c) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_reads_the_equipment_sheet(demo_definition):
    base = {"name": "DN", "vsic_code": "2592", "commune": "Xã A", "year": 2024, **MID_MECHANICAL}
    base["tech_transfer"] = "Có"
    no_age = {**base, "equipment_avg_age": None}
    rows = [
        {**no_age, "tax_code": "6100000001"},  # row 2: list below
        {**no_age, "tax_code": "6100000002"},  # row 3: neither list nor average age
        {**base, "tax_code": "6100000003"},  # row 4: average age only
    ]
    equipment = [
        {"tax_code": "6100000001", "survey_year": 2024, **LIST[0]},  # sheet row 2
        {
            "tax_code": "6100000001",
            "survey_year": 2024,
            **LIST[1],
            "origin": "sao hỏa",
        },  # sheet row 3: bad cell
        {"tax_code": "6199999999", "survey_year": 2024, **LIST[1]},  # sheet row 4: no such survey
    ]
    cleaned, errors = importer.validate_file(workbook(demo_definition, rows, equipment), demo_definition)
    assert [(e.row, e.column) for e in errors] == [
        (2, "equipment_list!3:origin"),
        (3, "equipment_avg_age"),
        (4, "equipment_list!tax_code"),
    ]
    ok = {number: answers for number, _e, answers, valid in cleaned if valid}
    assert list(ok) == [4] and ok[4]["equipment_list"] == []
    equipment[1]["origin"] = "Các nước châu Á"
    cleaned, errors = importer.validate_file(
        workbook(demo_definition, rows[:1], equipment[:2]), demo_definition
    )
    assert errors == []
    assert [r["origin"] for r in cleaned[0][2]["equipment_list"]] == ["g7", "asia"]


def test_the_import_template_has_the_equipment_sheet(demo_definition):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(importer.template_workbook(demo_definition)))
    assert "equipment_list" in book.sheetnames
    assert "equipment_list" not in [c.value for c in book["Phiếu"][1]]
    assert [c.value for c in book["equipment_list"][1]][:3] == ["tax_code", "survey_year", "name"]
