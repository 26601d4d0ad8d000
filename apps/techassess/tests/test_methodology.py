"""Methodology definitions: validation messages, bundled files, activation and import."""

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.organizations.roles import Role
from apps.techassess import methodology, services
from apps.techassess.models import Methodology, MethodologyStatus


def messages(definition):
    return [str(p) for p in methodology.validate(definition)]


def test_demo_definition_is_complete(demo_definition):
    assert methodology.validate(demo_definition) == []
    assert methodology.is_illustrative(demo_definition)
    assert [g["max_points"] for g in demo_definition["groups"]] == [30, 20, 19, 17, 14]
    assert len(demo_definition["criteria"]) == 26


def test_tt17_keeps_the_confirmed_structure_and_lists_what_is_missing():
    tt17 = services.bundled_definition("tt17")
    assert not methodology.is_illustrative(tt17)
    assert [(g["code"], g["max_points"]) for g in tt17["groups"]] == [
        ("T", 30),
        ("E", 20),
        ("O", 19),
        ("R", 17),
        ("I", 14),
    ]
    assert [c["number"] for c in tt17["criteria"]] == list(range(1, 27))
    assert {c["number"] for c in tt17["criteria"] if c.get("uses_sector_benchmark")} == {4, 5, 6, 8}
    problems = methodology.validate(tt17)
    assert problems and all(p.kind == "missing" for p in problems)
    text = "\n".join(str(p) for p in problems)
    for expected in (
        "sections: survey questions (Appendix I) not yet entered.",
        "criteria[4] T4: scoring table not yet entered.",
        "criteria[26] I4: maximum points not yet entered.",
        "benchmarks: sector benchmark table (Appendix II) not yet entered.",
        "coefficient: synchronisation coefficient formula not yet entered.",
        "classification.rules: classification thresholds not yet entered.",
        "aggregation: sector/province aggregation rule not yet entered.",
    ):
        assert expected in text


def test_legacy_tt04_is_kept_apart():
    tt04 = services.bundled_definition("tt04")
    assert [g["code"] for g in tt04["groups"]] == ["T", "H", "I", "O"]
    assert tt04["groups"][2]["name_en"] == "Infoware"
    assert all(p.kind == "missing" for p in methodology.validate(tt04))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["groups"][0].update(max_points=31), "groups: group maxima add up to 101, not 100."),
        (
            lambda d: d["criteria"][0].update(max_points=6),
            "groups T: criterion maxima add up to 31, but the group maximum is 30.",
        ),
        (
            lambda d: d["criteria"][0]["rule"]["bands"][1].update(min=2.5),
            "criteria[1] T1 › rule › bands[2]: overlaps the previous band "
            "(starts at 2,5, previous ends at 3).",
        ),
        (
            lambda d: d["criteria"][0]["rule"]["bands"][1].update(min=3.5),
            "criteria[1] T1 › rule › bands[2]: leaves a gap after the previous band (from 3 to 3,5).",
        ),
        (
            lambda d: d["criteria"][0]["rule"]["bands"][1].update(points=5.5),
            "criteria[1] T1 › rule › bands[2]: 5,5 points is outside 0…5.",
        ),
        (
            lambda d: d["criteria"][0]["rule"]["bands"][2].update(points=4.5),
            "criteria[1] T1 › rule › bands[3]: points are not decreasing from one band to the next.",
        ),
        (
            lambda d: d["criteria"][10]["rule"].update(expression="min(4, turnover / equipment_value)"),
            "criteria[11] E4 › rule: formula 'min(4, turnover / equipment_value)' refers to unknown question "
            "'turnover'.",
        ),
        (
            lambda d: d["criteria"][1]["rule"].update(question="robots"),
            "criteria[2] T2 › rule: refers to unknown question 'robots'.",
        ),
        (
            lambda d: d["benchmarks"]["sectors"][0]["values"].pop("energy_cost_ratio"),
            "benchmarks.sectors[1] 1077: missing benchmark 'energy_cost_ratio'.",
        ),
        (
            lambda d: d["criteria"][3].update(
                rule={
                    "type": "bands",
                    **{k: v for k, v in d["criteria"][3]["rule"].items() if k not in ("type", "benchmark")},
                }
            ),
            "criteria T4: is scored against the sector benchmark, so its rule must be 'benchmark_ratio'.",
        ),
        (
            lambda d: d["classification"]["rules"].pop(),
            "classification.rules[3]: the last rule must have no condition, so that every enterprise gets a "
            "class.",
        ),
        (
            lambda d: d["coefficient"].update(expression="__import__('os')"),
            "coefficient: formula \"__import__('os')\": unknown function '__import__'",
        ),
    ],
)
def test_inconsistent_definitions_are_refused_with_a_precise_message(demo_definition, change, expected):
    broken = copy.deepcopy(demo_definition)
    change(broken)
    found = messages(broken)
    assert any(m.startswith(expected) for m in found), found


def test_bad_yaml_is_reported_with_its_line():
    with pytest.raises(methodology.DefinitionError, match="line 2"):
        methodology.load_yaml("code: X\n  version: : [\n")


def official_tables(tt17: dict, demo: dict) -> dict:
    """Test stand-in for the official tables: the demonstration tables copied into the TT17 skeleton.
    (Only to prove that entering tables through the import makes the definition valid.)"""
    filled = copy.deepcopy(tt17)
    filled["sections"] = demo["sections"]
    filled["criteria"] = [
        {**c, "uses_sector_benchmark": c["number"] in (4, 5, 6, 8)} for c in demo["criteria"]
    ]
    filled["benchmarks"] = demo["benchmarks"]
    filled["coefficient"] = {**filled["coefficient"], "expression": demo["coefficient"]["expression"]}
    filled["classification"]["rules"] = demo["classification"]["rules"]
    filled["aggregation"] = demo["aggregation"]
    return filled


def test_tt17_refuses_activation_until_the_tables_are_imported(methods, users):
    admin = users[Role.ADMINISTRATOR]
    tt17 = methods["tt17"]
    assert tt17.status == MethodologyStatus.DRAFT
    with pytest.raises(ValidationError) as refused:
        services.activate(tt17, actor=admin)
    assert "criteria[4] T4: scoring table not yet entered." in refused.value.messages
    tt17.refresh_from_db()
    assert tt17.status == MethodologyStatus.DRAFT

    filled = official_tables(tt17.definition, methods["demo"].definition)
    imported = services.import_yaml(methodology.dump_yaml(filled), actor=admin)
    assert imported.pk == tt17.pk  # the same draft, now complete
    services.activate(imported, actor=admin)
    imported.refresh_from_db()
    assert imported.status == MethodologyStatus.ACTIVE
    assert services.current_methodology() == imported  # official before illustrative


def test_tables_can_be_entered_through_excel(methods, users):
    admin = users[Role.ADMINISTRATOR]
    filled = official_tables(methods["tt17"].definition, methods["demo"].definition)
    workbook = methodology.to_excel(filled)
    # Start from a skeleton that has the questions but none of the tables, then apply the workbook.
    skeleton = copy.deepcopy(methods["tt17"].definition)
    skeleton["sections"] = filled["sections"]
    skeleton["benchmarks"] = {"indicators": filled["benchmarks"]["indicators"], "sectors": None}
    skeleton["coefficient"]["expression"] = filled["coefficient"]["expression"]
    skeleton["aggregation"] = filled["aggregation"]
    merged = methodology.merge_excel(skeleton, workbook)
    assert methodology.validate(merged) == []
    obj = services.import_definition(merged, actor=admin)
    services.activate(obj, actor=admin)


def test_only_administrators_import_or_activate(methods, users):
    for role in Role:
        if role == Role.ADMINISTRATOR:
            continue
        with pytest.raises(PermissionDenied):
            services.activate(methods["tt04"], actor=users[role])
        with pytest.raises(PermissionDenied):
            services.import_definition(methods["demo"].definition, actor=users[role])


def test_active_versions_are_never_overwritten_and_new_versions_retire_old_ones(methods, users):
    admin = users[Role.ADMINISTRATOR]
    demo = methods["demo"]
    assert demo.status == MethodologyStatus.ACTIVE
    changed = copy.deepcopy(demo.definition)
    changed["title"] = "Sửa đổi"
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.import_definition(changed, actor=admin)
    changed["version"] = "2.0"
    new = services.import_definition(changed, actor=admin)
    services.activate(new, actor=admin)
    demo.refresh_from_db()
    assert demo.status == MethodologyStatus.RETIRED
    assert Methodology.objects.get(pk=new.pk).status == MethodologyStatus.ACTIVE


def test_an_import_with_errors_writes_nothing(methods, users, demo_definition):
    broken = copy.deepcopy(demo_definition)
    broken["version"] = "9"
    broken["groups"][0]["max_points"] = 40
    before = Methodology.objects.count()
    with pytest.raises(ValidationError):
        services.import_definition(broken, actor=users[Role.ADMINISTRATOR])
    assert Methodology.objects.count() == before
