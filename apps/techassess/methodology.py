"""Methodology definitions as data: parsing, validation, YAML and Excel round trips.

A definition is a plain dict (as loaded from YAML) with: identity (code, version, title,
effective_from, illustrative), `groups`, survey `sections` with their questions (Appendix I),
`criteria` each with one scoring `rule` of a fixed type, sector `benchmarks` by VSIC code, the
synchronisation `coefficient` formula, ordered `classification` rules and the sector/province
`aggregation` rule.

A value left null means "not yet entered" (for example the Circular 17/2019 tables that could not
be confirmed). `validate()` lists what is missing and what is inconsistent; a definition with any
problem cannot be activated.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import yaml
from django.utils.translation import gettext as _

from . import expr

RULE_TYPES = ("choice", "bands", "benchmark_ratio", "formula")
QUESTION_TYPES = ("number", "integer", "choice", "boolean", "text", "table")
COLUMN_TYPES = ("number", "integer", "choice", "text")
RESERVED_COLUMNS = ("tax_code", "survey_year")  # the columns linking a table sheet to its survey
# Engine variables every scoring formula may read besides the answers.
SURVEY_VARIABLES = ("survey_year",)
DIRECTIONS = ("increasing", "decreasing")
AGGREGATION_METHODS = ("mean", "median", "weighted_mean")
TOTAL_POINTS = 100
EPS = 1e-9
DEFAULT_SECTOR = "*"


class DefinitionError(ValueError):
    """The file cannot be read as a methodology definition at all."""


@dataclass(frozen=True)
class Problem:
    kind: str  # "missing" (not yet entered) or "error" (inconsistent)
    where: str  # e.g. "criteria[4] T4 › rule › bands[2]"
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


# --- reading and writing -------------------------------------------------------------------------


def load_yaml(text: str | bytes) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise DefinitionError(_("The file is not valid YAML%(where)s.") % {"where": where}) from None
    if not isinstance(data, dict):
        raise DefinitionError(_("The file does not contain a methodology definition."))
    for key in ("code", "version", "groups", "criteria"):
        if key not in data:
            raise DefinitionError(_("The definition has no '%(key)s' entry.") % {"key": key})
    return _normalise(data)


def normalise(data: dict) -> dict:
    return _normalise(data)


def _normalise(data: dict) -> dict:
    """Dates to ISO strings and versions to strings, so the dict is JSON-serialisable."""

    def fix(value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k) if not isinstance(k, bool) else k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    data = fix(data)
    data["code"] = str(data["code"])
    data["version"] = str(data["version"])
    return data


def dump_yaml(definition: dict) -> str:
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=110)


def is_illustrative(definition: dict) -> bool:
    return bool(definition.get("illustrative"))


# --- lookups -------------------------------------------------------------------------------------


def questions(definition: dict) -> dict[str, dict]:
    out = {}
    for section in definition.get("sections") or []:
        for question in section.get("questions") or []:
            out[question["code"]] = {**question, "section": section.get("code")}
    return out


def benchmark_indicators(definition: dict) -> dict[str, dict]:
    return {i["key"]: i for i in ((definition.get("benchmarks") or {}).get("indicators") or [])}


def group_codes(definition: dict) -> list[str]:
    return [g["code"] for g in definition.get("groups") or []]


def engine_variables(definition: dict) -> set[str]:
    """Names a coefficient formula may read: T, T_max, T_ratio… and total."""
    names = {"total"}
    for code in group_codes(definition):
        names |= {code, f"{code}_max", f"{code}_ratio"}
    return names


# --- validation ----------------------------------------------------------------------------------


def validate(definition: dict) -> list[Problem]:
    problems: list[Problem] = []
    v = _Validator(definition, problems)
    v.identity()
    v.groups()
    v.sections()
    v.criteria()
    v.benchmarks()
    v.coefficient()
    v.classification()
    v.aggregation()
    return problems


def missing(definition: dict) -> list[Problem]:
    return [p for p in validate(definition) if p.kind == "missing"]


class _Validator:
    def __init__(self, definition, problems):
        self.d = definition
        self.p = problems
        self.questions = questions(definition)
        self.group_max = {}

    def missing(self, where, message):
        self.p.append(Problem("missing", where, message))

    def error(self, where, message):
        self.p.append(Problem("error", where, message))

    def identity(self):
        for key in ("title", "effective_from"):
            if not self.d.get(key):
                self.error(key, _("is required."))
        if self.d.get("effective_from"):
            try:
                datetime.date.fromisoformat(str(self.d["effective_from"]))
            except ValueError:
                self.error("effective_from", _("is not a date (YYYY-MM-DD)."))

    def groups(self):
        groups = self.d.get("groups") or []
        if not groups:
            self.error("groups", _("no group is defined."))
            return
        seen = set()
        total = 0.0
        complete = True
        for i, g in enumerate(groups, 1):
            where = f"groups[{i}] {g.get('code', '?')}"
            if not g.get("code"):
                self.error(where, _("has no code."))
            elif g["code"] in seen:
                self.error(where, _("code %(code)s is used twice.") % {"code": g["code"]})
            seen.add(g.get("code"))
            if not g.get("name_vi"):
                self.missing(where, _("Vietnamese name not yet entered."))
            if g.get("max_points") is None:
                self.missing(where, _("maximum points not yet entered."))
                complete = False
            elif not _is_number(g["max_points"]) or g["max_points"] <= 0:
                self.error(where, _("maximum points must be a positive number."))
                complete = False
            else:
                self.group_max[g["code"]] = float(g["max_points"])
                total += float(g["max_points"])
        if complete and abs(total - TOTAL_POINTS) > EPS:
            self.error(
                "groups",
                _("group maxima add up to %(total)s, not %(expected)s.")
                % {"total": _fmt(total), "expected": TOTAL_POINTS},
            )

    def sections(self):
        sections = self.d.get("sections")
        if sections is None:
            self.missing("sections", _("survey questions (Appendix I) not yet entered."))
            return
        seen = set()
        for i, s in enumerate(sections, 1):
            for j, q in enumerate(s.get("questions") or [], 1):
                where = f"sections[{i}] {s.get('code', '?')} › questions[{j}] {q.get('code', '?')}"
                code = q.get("code")
                if not code or not str(code).isidentifier():
                    self.error(where, _("the code must be a name of letters, digits and underscores."))
                elif code in seen:
                    self.error(where, _("question code %(code)s is used twice.") % {"code": code})
                seen.add(code)
                if q.get("type") not in QUESTION_TYPES:
                    self.error(
                        where,
                        _("unknown question type %(type)r (allowed: %(allowed)s).")
                        % {"type": q.get("type"), "allowed": ", ".join(QUESTION_TYPES)},
                    )
                if q.get("type") == "choice" and not q.get("choices"):
                    self.error(where, _("a choice question needs its choices."))
                if q.get("type") == "table":
                    self.table_columns(where, q)
                other = q.get("required_unless")
                if other is not None and other not in self.questions:
                    self.error(where, _("required_unless refers to unknown question %(q)r.") % {"q": other})

    def table_columns(self, where, question):
        columns = question.get("columns") or []
        if not columns:
            self.error(where, _("a table question needs its columns."))
            return
        seen = set()
        for k, column in enumerate(columns, 1):
            here = f"{where} › columns[{k}] {column.get('code', '?')}"
            code = column.get("code")
            if not code or not str(code).isidentifier() or str(code).startswith("_"):
                self.error(here, _("the code must be a name of letters, digits and underscores."))
            elif code in seen:
                self.error(here, _("column code %(code)s is used twice.") % {"code": code})
            elif code in RESERVED_COLUMNS:
                self.error(here, _("column code %(code)s is reserved for the import.") % {"code": code})
            seen.add(code)
            if column.get("type") not in COLUMN_TYPES:
                self.error(
                    here,
                    _("unknown column type %(type)r (allowed: %(allowed)s).")
                    % {"type": column.get("type"), "allowed": ", ".join(COLUMN_TYPES)},
                )
            if column.get("type") == "choice" and not column.get("choices"):
                self.error(here, _("a choice column needs its choices."))

    def criteria(self):
        criteria = self.d.get("criteria") or []
        if not criteria:
            self.error("criteria", _("no criterion is defined."))
            return
        sums: dict[str, float] = {}
        complete_groups = set(self.group_max)
        numbers = set()
        for i, c in enumerate(criteria, 1):
            where = f"criteria[{i}] {c.get('code', '?')}"
            number = c.get("number")
            if number is None:
                self.missing(where, _("number not yet entered."))
            elif number in numbers:
                self.error(where, _("criterion number %(n)s is used twice.") % {"n": number})
            numbers.add(number)
            group = c.get("group")
            if group is None:
                self.missing(where, _("group not yet entered."))
                continue
            if group not in group_codes(self.d):
                self.error(where, _("unknown group %(group)r.") % {"group": group})
                continue
            if not c.get("name_vi"):
                self.missing(where, _("name not yet entered."))
            maximum = c.get("max_points")
            if maximum is None:
                self.missing(where, _("maximum points not yet entered."))
                complete_groups.discard(group)
            elif not _is_number(maximum) or maximum <= 0:
                self.error(where, _("maximum points must be a positive number."))
                complete_groups.discard(group)
            else:
                sums[group] = sums.get(group, 0.0) + float(maximum)
            for q in c.get("questions") or []:
                if q not in self.questions and self.d.get("sections") is not None:
                    self.error(where, _("refers to unknown question %(q)r.") % {"q": q})
            rule = c.get("rule")
            if rule is None:
                self.missing(where, _("scoring table not yet entered."))
            else:
                self.rule(where + " › rule", rule, maximum if _is_number(maximum) else None, c)
        for group, maximum in self.group_max.items():
            if group in complete_groups and abs(sums.get(group, 0.0) - maximum) > EPS:
                self.error(
                    f"groups {group}",
                    _("criterion maxima add up to %(sum)s, but the group maximum is %(max)s.")
                    % {"sum": _fmt(sums.get(group, 0.0)), "max": _fmt(maximum)},
                )

    def expression(self, where, text, allowed: set[str]):
        try:
            used = expr.names(text)
            columns = expr.columns(text)
        except expr.ExpressionError as exc:
            self.error(where, _("formula %(f)r: %(e)s") % {"f": text, "e": exc})
            return
        for name in sorted(used - allowed):
            self.error(where, _("formula %(f)r refers to unknown question %(q)r.") % {"f": text, "q": name})
        for table, column in sorted(columns):
            question = self.questions.get(table)
            if question is None or table not in allowed:
                continue  # already reported as unknown
            if question.get("type") != "table":
                self.error(where, _("formula %(f)r: %(q)s is not a table.") % {"f": text, "q": table})
            elif column not in {c.get("code") for c in question.get("columns") or []}:
                self.error(
                    where,
                    _("formula %(f)r refers to unknown column %(c)r of %(q)s.")
                    % {"f": text, "c": column, "q": table},
                )

    def rule(self, where, rule, maximum, criterion):
        kind = rule.get("type")
        if kind not in RULE_TYPES:
            self.error(
                where,
                _("unknown rule type %(t)r (allowed: %(allowed)s).")
                % {"t": kind, "allowed": ", ".join(RULE_TYPES)},
            )
            return
        known = set(self.questions) | set(SURVEY_VARIABLES)
        if kind == "choice":
            question = self.questions.get(rule.get("question"))
            if question is None:
                self.error(where, _("refers to unknown question %(q)r.") % {"q": rule.get("question")})
            elif question.get("type") == "table":
                self.error(where, _("a table is scored with a formula or bands, not with a choice rule."))
            points = rule.get("points")
            if not isinstance(points, dict) or not points:
                self.missing(where, _("points per answer not yet entered."))
                return
            for answer, value in points.items():
                self._points(f"{where} › points[{answer}]", value, maximum)
                if question and question.get("type") == "choice":
                    choices = {str(ch["value"]) for ch in question.get("choices") or []}
                    if str(answer) not in choices:
                        self.error(where, _("answer %(a)r is not a choice of the question.") % {"a": answer})
            return
        if kind == "formula":
            if not rule.get("expression"):
                self.missing(where, _("formula not yet entered."))
                return
            self.expression(where, rule["expression"], known)
            return
        if not rule.get("value"):
            self.missing(where, _("the measured value (question or formula) not yet entered."))
        else:
            self.expression(where, rule["value"], known)
        if kind == "benchmark_ratio":
            indicator = rule.get("benchmark")
            if not indicator:
                self.missing(where, _("the sector benchmark indicator not yet entered."))
            elif indicator not in benchmark_indicators(self.d):
                self.error(where, _("unknown benchmark indicator %(i)r.") % {"i": indicator})
        self.bands(where, rule, maximum)

    def bands(self, where, rule, maximum):
        bands = rule.get("bands")
        if not bands:
            self.missing(where, _("point bands not yet entered."))
            return
        direction = rule.get("direction")
        if direction not in DIRECTIONS:
            self.error(where, _("direction must be 'increasing' or 'decreasing'."))
        previous = None
        for i, band in enumerate(bands, 1):
            here = f"{where} › bands[{i}]"
            low, high = band.get("min"), band.get("max")
            if low is not None and not _is_number(low) or high is not None and not _is_number(high):
                self.error(here, _("min and max must be numbers or empty."))
                return
            if low is None and i != 1:
                self.error(here, _("only the first band may be open below."))
            if high is None and i != len(bands):
                self.error(here, _("only the last band may be open above."))
            if low is not None and high is not None and low >= high:
                self.error(
                    here, _("min %(min)s is not below max %(max)s.") % {"min": _fmt(low), "max": _fmt(high)}
                )
            self._points(here, band.get("points"), maximum)
            if previous is not None:
                prev_high = previous.get("max")
                if prev_high is not None and low is not None:
                    if low < prev_high - EPS:
                        self.error(
                            here,
                            _("overlaps the previous band (starts at %(min)s, previous ends at %(max)s).")
                            % {"min": _fmt(low), "max": _fmt(prev_high)},
                        )
                    elif low > prev_high + EPS:
                        self.error(
                            here,
                            _("leaves a gap after the previous band (from %(max)s to %(min)s).")
                            % {"min": _fmt(low), "max": _fmt(prev_high)},
                        )
                if (
                    direction in DIRECTIONS
                    and _is_number(band.get("points"))
                    and _is_number(previous.get("points"))
                ):
                    rising = band["points"] >= previous["points"]
                    falling = band["points"] <= previous["points"]
                    if direction == "increasing" and not rising or direction == "decreasing" and not falling:
                        self.error(
                            here,
                            _("points are not %(direction)s from one band to the next.")
                            % {"direction": direction},
                        )
            previous = band

    def _points(self, where, value, maximum):
        if not _is_number(value):
            self.error(where, _("points must be a number."))
        elif value < 0 or maximum is not None and value > maximum + EPS:
            self.error(
                where,
                _("%(points)s points is outside 0…%(max)s.")
                % {"points": _fmt(value), "max": _fmt(maximum or 0)},
            )

    def benchmarks(self):
        used = {
            (c.get("rule") or {}).get("benchmark")
            for c in self.d.get("criteria") or []
            if (c.get("rule") or {}).get("type") == "benchmark_ratio"
        } - {None}
        declared = self.d.get("benchmarks") or {}
        flagged = [c for c in self.d.get("criteria") or [] if c.get("uses_sector_benchmark")]
        for c in flagged:
            rule = c.get("rule")
            if rule is not None and rule.get("type") != "benchmark_ratio":
                self.error(
                    f"criteria {c.get('code')}",
                    _("is scored against the sector benchmark, so its rule must be 'benchmark_ratio'."),
                )
        if not used and not flagged:
            return
        sectors = declared.get("sectors")
        if sectors is None:
            self.missing("benchmarks", _("sector benchmark table (Appendix II) not yet entered."))
            return
        if not sectors:
            self.error("benchmarks", _("the sector benchmark table is empty."))
            return
        seen = set()
        for i, sector in enumerate(sectors, 1):
            code = str(sector.get("vsic", ""))
            where = f"benchmarks.sectors[{i}] {code or '?'}"
            if not code or not (code == DEFAULT_SECTOR or code.isalnum()):
                self.error(where, _("VSIC code must be a code such as 1077, or '*' for the default row."))
            if code in seen:
                self.error(where, _("sector %(code)s appears twice.") % {"code": code})
            seen.add(code)
            values = sector.get("values") or {}
            for indicator in sorted(used):
                value = values.get(indicator)
                if value is None:
                    self.error(where, _("missing benchmark %(i)r.") % {"i": indicator})
                elif not _is_number(value) or value <= 0:
                    self.error(where, _("benchmark %(i)r must be a positive number.") % {"i": indicator})

    def coefficient(self):
        coefficient = self.d.get("coefficient") or {}
        if not coefficient.get("expression"):
            self.missing("coefficient", _("synchronisation coefficient formula not yet entered."))
            return
        self.expression("coefficient", coefficient["expression"], engine_variables(self.d))

    def classification(self):
        spec = self.d.get("classification") or {}
        classes = spec.get("classes") or []
        if not classes:
            self.missing("classification.classes", _("class names not yet entered."))
        class_codes = {c.get("code") for c in classes}
        rules = spec.get("rules")
        if not rules:
            self.missing("classification.rules", _("classification thresholds not yet entered."))
            return
        for i, r in enumerate(rules, 1):
            where = f"classification.rules[{i}]"
            if r.get("class") not in class_codes:
                self.error(where, _("unknown class %(c)r.") % {"c": r.get("class")})
            for key in ("min_total", "min_coefficient"):
                if r.get(key) is not None and not _is_number(r[key]):
                    self.error(where, _("%(key)s must be a number.") % {"key": key})
            for group, value in (r.get("min_groups") or {}).items():
                if group not in self.group_max and group not in group_codes(self.d):
                    self.error(where, _("unknown group %(group)r.") % {"group": group})
                elif not _is_number(value):
                    self.error(where, _("minimum for group %(group)s must be a number.") % {"group": group})
        last = rules[-1]
        if (
            last.get("min_total") is not None
            or last.get("min_coefficient") is not None
            or last.get("min_groups")
        ):
            self.error(
                f"classification.rules[{len(rules)}]",
                _("the last rule must have no condition, so that every enterprise gets a class."),
            )

    def aggregation(self):
        spec = self.d.get("aggregation") or {}
        method = spec.get("method")
        if method is None:
            self.missing("aggregation", _("sector/province aggregation rule not yet entered."))
        elif method not in AGGREGATION_METHODS:
            self.error(
                "aggregation",
                _("unknown method %(m)r (allowed: %(allowed)s).")
                % {"m": method, "allowed": ", ".join(AGGREGATION_METHODS)},
            )


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fmt(value) -> str:
    if value is None:
        return "∞"
    return f"{value:g}".replace(".", ",")


# --- Excel --------------------------------------------------------------------------------------

EXCEL_SHEETS = ("Nhóm", "Tiêu chí", "Chuẩn ngành", "Phân loại")


def to_excel(definition: dict) -> bytes:
    """A workbook for review and editing: one sheet per table; the rule is kept as YAML text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Phương pháp"
    for key in ("code", "version", "title", "effective_from", "illustrative", "source_note"):
        sheet.append([key, str(definition.get(key, "") if definition.get(key) is not None else "")])
    sheet.append(["coefficient", (definition.get("coefficient") or {}).get("expression") or ""])
    sheet.append(["aggregation", (definition.get("aggregation") or {}).get("method") or ""])
    groups = book.create_sheet("Nhóm")
    groups.append(["code", "name_vi", "name_en", "max_points"])
    for g in definition.get("groups") or []:
        groups.append([g.get("code"), g.get("name_vi"), g.get("name_en"), g.get("max_points")])
    criteria = book.create_sheet("Tiêu chí")
    criteria.append(["number", "code", "group", "name_vi", "max_points", "questions", "rule (YAML)"])
    for c in definition.get("criteria") or []:
        criteria.append(
            [
                c.get("number"),
                c.get("code"),
                c.get("group"),
                c.get("name_vi"),
                c.get("max_points"),
                ", ".join(c.get("questions") or []),
                yaml.safe_dump(c["rule"], allow_unicode=True, sort_keys=False) if c.get("rule") else "",
            ]
        )
    bench = book.create_sheet("Chuẩn ngành")
    indicators = list(benchmark_indicators(definition))
    bench.append(["vsic", "name", *indicators])
    for s in (definition.get("benchmarks") or {}).get("sectors") or []:
        bench.append([s.get("vsic"), s.get("name"), *[(s.get("values") or {}).get(i) for i in indicators]])
    classes = book.create_sheet("Phân loại")
    group_list = group_codes(definition)
    classes.append(["class", "min_total", "min_coefficient", *[f"min_{g}" for g in group_list]])
    for r in (definition.get("classification") or {}).get("rules") or []:
        mins = r.get("min_groups") or {}
        classes.append(
            [r.get("class"), r.get("min_total"), r.get("min_coefficient"), *[mins.get(g) for g in group_list]]
        )
    for table in book.worksheets:  # openpyxl takes text starting with "=" for a formula: keep it text
        for row in table.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def merge_excel(definition: dict, content: bytes) -> dict:
    """Apply the tables of an edited workbook (criteria maxima and rules, benchmarks, class rules)
    onto `definition`, returning a new dict. Cells left empty mean "not yet entered"."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable upload is one user error
        raise DefinitionError(_("The file is not an Excel workbook.")) from None
    result = yaml.safe_load(dump_yaml(definition))
    names = set(book.sheetnames)
    if "Tiêu chí" in names:
        by_code = {c["code"]: c for c in result["criteria"]}
        for row_no, row in enumerate(book["Tiêu chí"].iter_rows(min_row=2, values_only=True), 2):
            if not row or not row[1]:
                continue
            c = by_code.get(str(row[1]))
            if c is None:
                raise DefinitionError(
                    _("Sheet 'Tiêu chí', row %(r)s: unknown criterion %(c)r.") % {"r": row_no, "c": row[1]}
                )
            c["name_vi"] = row[3] or c.get("name_vi")
            c["max_points"] = row[4] if row[4] is not None else c.get("max_points")
            if row[5]:
                c["questions"] = [q.strip() for q in str(row[5]).split(",") if q.strip()]
            if row[6]:
                try:
                    c["rule"] = yaml.safe_load(row[6])
                except yaml.YAMLError:
                    raise DefinitionError(
                        _("Sheet 'Tiêu chí', row %(r)s, column G: the rule is not valid YAML.")
                        % {"r": row_no}
                    ) from None
    if "Chuẩn ngành" in names:
        rows = list(book["Chuẩn ngành"].iter_rows(values_only=True))
        if rows:
            header = [str(h) for h in rows[0] if h is not None]
            sectors = []
            for row in rows[1:]:
                if not row or row[0] is None:
                    continue
                values = {header[k]: row[k] for k in range(2, len(header)) if row[k] is not None}
                sectors.append({"vsic": str(row[0]), "name": row[1] or "", "values": values})
            result.setdefault("benchmarks", {})["sectors"] = sectors
    if "Phân loại" in names:
        rows = list(book["Phân loại"].iter_rows(values_only=True))
        if rows:
            header = [str(h) for h in rows[0] if h is not None]
            rules = []
            for row in rows[1:]:
                if not row or not row[0]:
                    continue
                mins = {header[k][4:]: row[k] for k in range(3, len(header)) if row[k] is not None}
                rule = {"class": row[0], "min_total": row[1], "min_coefficient": row[2]}
                if mins:
                    rule["min_groups"] = mins
                rules.append(rule)
            result.setdefault("classification", {})["rules"] = rules
    return _normalise(result)
