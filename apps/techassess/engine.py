"""The scoring engine: pure functions over a methodology definition and a survey's answers.

    score(definition, answers, vsic) -> Score

No database access: the same inputs always give the same result, which the property tests check.
Every criterion carries its explanation (answer → rule → points) in Vietnamese, because it is
printed as is on the result page and in the PDF report.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, field

from apps.core.formatting.vn import format_number

from . import expr
from .explain import Vocabulary, split_label, with_unit
from .methodology import DEFAULT_SECTOR, benchmark_indicators, questions


@dataclass
class CriterionScore:
    number: int
    code: str
    group: str
    name: str
    max_points: float
    points: float
    rule_type: str
    explanation: str


@dataclass
class Score:
    criteria: list[CriterionScore]
    groups: dict[str, dict]  # code -> {"points", "max", "name"}
    total: float
    coefficient: float
    klass: str
    class_name: str
    sector: str  # the benchmark row used ("" when none was needed)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _num(value, decimals: int = 2) -> str:
    if value is None:
        return "—"
    if abs(value) >= 1e12:  # beyond what a survey answer means; keep the text short
        return f"{value:.3g}".replace(".", ",")
    if isinstance(value, float) and value != int(value):
        return format_number(value, decimals)
    return format_number(value)


def _float(value):
    if value in ("", None) or isinstance(value, bool):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def table_rows(question: dict, value) -> list[dict]:
    """A table answer as rows of formula values (numbers as floats; empty cells as None)."""
    numeric = {c["code"] for c in question.get("columns") or [] if c.get("type") in ("number", "integer")}
    rows = []
    for row in value if isinstance(value, list) else []:
        if not isinstance(row, dict):
            continue
        rows.append(
            {
                c["code"]: _float(row.get(c["code"])) if c["code"] in numeric else row.get(c["code"])
                for c in question.get("columns") or []
            }
        )
    return rows


def answer_variables(definition: dict, answers: dict, year: int | None = None) -> dict:
    """Answers as formula variables: numbers as floats, booleans as 1/0, tables as lists of rows,
    missing as None; plus `survey_year`."""
    out = {"survey_year": float(year) if year else None}
    for code, q in questions(definition).items():
        value = answers.get(code)
        if q.get("type") == "table":
            out[code] = table_rows(q, value)
        elif value in ("", None):
            out[code] = None
        elif q.get("type") in ("number", "integer"):
            out[code] = _float(value)
        elif q.get("type") == "boolean":
            out[code] = 1.0 if value in (True, "true", "True", "1", 1, "yes", "on") else 0.0
        else:
            out[code] = value
    return out


def benchmark_row(definition: dict, vsic: str) -> dict | None:
    """The benchmark row for an industry code: the longest VSIC prefix match, else the default row."""
    sectors = (definition.get("benchmarks") or {}).get("sectors") or []
    vsic = str(vsic or "")
    best = None
    for sector in sectors:
        code = str(sector.get("vsic"))
        if (
            code != DEFAULT_SECTOR
            and vsic.startswith(code)
            and (best is None or len(code) > len(str(best["vsic"])))
        ):
            best = sector
    if best is None:
        best = next((s for s in sectors if str(s.get("vsic")) == DEFAULT_SECTOR), None)
    return best


def band_points(bands: list[dict], value: float) -> tuple[float, dict | None]:
    for band in bands:
        low, high = band.get("min"), band.get("max")
        if (low is None or value >= low) and (high is None or value < high):
            return float(band["points"]), band
    return 0.0, None


def _band_text(band: dict) -> str:
    low, high = band.get("min"), band.get("max")
    if low is None:
        return f"dưới {_num(high)}"
    if high is None:
        return f"từ {_num(low)} trở lên"
    return f"từ {_num(low)} đến dưới {_num(high)}"


def _measured(words: Vocabulary, rule: dict, variables: dict, value: float, name: str, unit: str) -> str:
    """ "Giá trị thiết bị trên một lao động = Giá trị còn lại của thiết bị / Tổng số lao động
    = 104,86 triệu đồng/người (Giá trị còn lại của thiết bị = 36.178 triệu đồng; …)"."""
    formula = rule["value"]
    shown = with_unit(_num(value), unit)
    described = words.describe(formula, variables)
    if words.is_bare(formula, variables):
        label, own_unit = words.question_label(formula) if words.is_bare(formula) else (described, "")
        text = f"{name or label} = {with_unit(_num(value), unit or own_unit)}"
        if name and name != label:  # the answer that applied has a label of its own
            text += f" ({words.inputs(formula, variables)})"
        return text
    text = f"{name} = {described} = {shown}" if name and name != described else f"{described} = {shown}"
    return f"{text} ({words.inputs(formula, variables)})"


def _not_computed(words: Vocabulary, formula: str, variables: dict) -> str:
    missing = words.missing(formula, variables)
    if missing:
        return "Thiếu dữ liệu: " + "; ".join(missing) + " → 0 điểm."
    return (
        f"Không tính được {words.describe(formula)} với số liệu đã khai "
        f"({words.inputs(formula, variables)}) → 0 điểm."
    )


def score_criterion(
    criterion: dict, variables: dict, bench: dict | None, words: Vocabulary | None = None
) -> CriterionScore:
    rule = criterion["rule"]
    words = words or Vocabulary({})
    maximum = float(criterion["max_points"])
    kind = rule["type"]
    points, text = 0.0, ""
    formula = rule.get("expression") if kind == "formula" else rule.get("value")
    try:
        if kind == "choice":
            answer = variables.get(rule["question"])
            table = {str(k): v for k, v in rule["points"].items()}
            if answer is None:
                text = "Chưa trả lời → 0 điểm."
            elif str(answer) in table:
                points = float(table[str(answer)])
                label = next(
                    (
                        c.get("label", c["value"])
                        for c in rule.get("_choices", [])
                        if str(c["value"]) == str(answer)
                    ),
                    answer,
                )
                text = f"Trả lời «{label}» → bảng điểm theo lựa chọn → {_num(points)} điểm."
            else:
                text = f"Trả lời «{answer}» không có trong bảng điểm → 0 điểm."
        elif kind == "formula":
            raw = expr.evaluate(formula, variables)
            points = raw
            described = words.describe(formula, variables)
            text = f"Điểm = {described}" + (f" = {_num(raw)}" if described != _num(raw) else "")
            inputs = words.inputs(formula, variables)
            text += f" ({inputs})" if inputs else ""
        elif kind == "bands":
            value = expr.evaluate(formula, variables)
            points, band = band_points(rule["bands"], value)
            name = rule.get("label") or (split_label(rule["_label"])[0] if rule.get("_label") else "")
            text = _measured(words, rule, variables, value, name, rule.get("unit") or "")
            text += f" → khoảng {_band_text(band)}" if band else " → ngoài các khoảng của bảng điểm"
        elif kind == "benchmark_ratio":
            value = expr.evaluate(formula, variables)
            indicator = rule["benchmark"]
            about = rule.get("_benchmark") or {}
            reference = (bench or {}).get("values", {}).get(indicator)
            if not reference:
                text = f"Không có chuẩn so sánh ngành cho «{about.get('name') or indicator}» → 0 điểm."
            else:
                ratio = value / float(reference)
                points, band = band_points(rule["bands"], ratio)
                sector = bench.get("name") or bench["vsic"]
                unit = about.get("unit") or rule.get("unit") or ""
                text = (
                    f"{_measured(words, rule, variables, value, about.get('name') or '', unit)}; "
                    f"chuẩn ngành ({sector}) = {with_unit(_num(float(reference)), unit)}; "
                    f"tỷ số = {_num(ratio, 3)}"
                )
                text += f" → khoảng {_band_text(band)}" if band else " → ngoài các khoảng của bảng điểm"
    except expr.ExpressionError:
        points, text = 0.0, "Không tính được → 0 điểm."
        if formula:
            with contextlib.suppress(expr.ExpressionError):  # a formula that does not even parse
                text = _not_computed(words, formula, variables)
    clamped = min(max(points, 0.0), maximum)
    if kind != "choice" and text and not text.endswith("điểm."):
        if clamped != points:
            text += f" → giới hạn trong 0…{_num(maximum)}"
        text += f" → {_num(round(clamped, 2))} điểm."
    return CriterionScore(
        number=int(criterion["number"]),
        code=criterion["code"],
        group=criterion["group"],
        name=criterion.get("name_vi") or "",
        max_points=maximum,
        points=round(clamped, 2),
        rule_type=kind,
        explanation=text,
    )


def coefficient(definition: dict, group_points: dict[str, float], group_max: dict[str, float]) -> float:
    variables = {"total": sum(group_points.values())}
    for code, points in group_points.items():
        variables[code] = points
        variables[f"{code}_max"] = group_max[code]
        variables[f"{code}_ratio"] = points / group_max[code] if group_max[code] else 0.0
    try:
        value = expr.evaluate(definition["coefficient"]["expression"], variables)
    except expr.ExpressionError:
        value = 0.0
    return round(min(max(value, 0.0), 1.0), 3)


def classify(definition: dict, total: float, k: float, group_points: dict[str, float]) -> tuple[str, str]:
    """The first rule whose conditions all hold. Validation guarantees the last rule has none."""
    spec = definition["classification"]
    names = {c["code"]: c.get("name_vi", c["code"]) for c in spec.get("classes") or []}
    for rule in spec["rules"]:
        if rule.get("min_total") is not None and total < rule["min_total"]:
            continue
        if rule.get("min_coefficient") is not None and k < rule["min_coefficient"]:
            continue
        if any(group_points.get(g, 0.0) < v for g, v in (rule.get("min_groups") or {}).items()):
            continue
        return rule["class"], names.get(rule["class"], rule["class"])
    raise ValueError("classification rules do not cover this result")  # unreachable for valid definitions


def score(definition: dict, answers: dict, vsic: str = "", year: int | None = None) -> Score:
    variables = answer_variables(definition, answers, year)
    qs = questions(definition)
    bench = benchmark_row(definition, vsic)
    words = Vocabulary(definition)
    measures = benchmark_indicators(definition)
    results = []
    for criterion in definition["criteria"]:
        rule = dict(criterion["rule"])
        if rule["type"] == "choice":
            rule["_choices"] = qs.get(rule["question"], {}).get("choices", [])
        elif rule.get("value") in qs:
            rule["_label"] = qs[rule["value"]].get("label")
        if rule["type"] == "benchmark_ratio":
            rule["_benchmark"] = measures.get(rule.get("benchmark")) or {}
        results.append(score_criterion({**criterion, "rule": rule}, variables, bench, words))
    group_max = {g["code"]: float(g["max_points"]) for g in definition["groups"]}
    group_points = dict.fromkeys(group_max, 0.0)
    for r in results:
        group_points[r.group] = round(group_points[r.group] + r.points, 2)
    total = round(sum(group_points.values()), 2)
    k = coefficient(definition, group_points, group_max)
    klass, class_name = classify(definition, total, k, group_points)
    groups = {
        g["code"]: {
            "points": group_points[g["code"]],
            "max": group_max[g["code"]],
            "name": g.get("name_vi", ""),
        }
        for g in definition["groups"]
    }
    uses_bench = any(c["rule"]["type"] == "benchmark_ratio" for c in definition["criteria"])
    return Score(
        criteria=results,
        groups=groups,
        total=total,
        coefficient=k,
        klass=klass,
        class_name=class_name,
        sector=str(bench["vsic"]) if bench and uses_bench else "",
    )


def weakest_groups(score_groups: dict[str, dict], count: int = 2) -> list[str]:
    """Group codes with the lowest share of their maximum (ties: definition order)."""
    ranked = sorted(score_groups, key=lambda code: score_groups[code]["points"] / score_groups[code]["max"])
    return ranked[:count]


def number_text(value) -> str:
    """A number as Vietnamese text (1.234,5), as printed in explanations."""
    return _num(value)
