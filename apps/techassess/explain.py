"""Formulas of a methodology as an enterprise reads them: labelled quantities, not code.

`Vocabulary(definition)` knows each answer's Vietnamese label and unit (the unit written in
brackets at the end of a number question's label: "Tổng số lao động (người)"). With it,

    describe("div(energy_cost * 100, revenue)")  → "Chi phí năng lượng năm × 100 / Doanh thu năm"
    inputs("equipment_value / employees_total", variables)
        → "Giá trị còn lại của thiết bị = 36.178 triệu đồng; Tổng số lao động = 345 người"

so the result page and the PDF show the quantities an answer → rule → points step used, each with
its label and its value in Vietnamese number format, never a variable name or a function call.
"""

from __future__ import annotations

import ast
import re

from apps.core.formatting.vn import format_number

from . import expr
from .methodology import SURVEY_VARIABLES, questions

_UNIT = re.compile(r"^(?P<name>.*\S)\s*\((?P<unit>[^()]*)\)\s*$")
SURVEY_LABELS = {"survey_year": ("Năm khảo sát", "")}
_OPERATORS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "/", ast.Mod: "mod", ast.Pow: "^"}
_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Mod: 2, ast.Pow: 3}
_COMPARISONS = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠"}
# Functions read as words; {0}, {1}… are the arguments as described.
_FUNCTION_WORDS = {
    "sum": "tổng {0}",
    "mean": "trung bình {0}",
    "geomean": "trung bình nhân {0}",
    "wgeomean": "trung bình nhân của {0} theo trọng số {1}",
    "wmean": "trung bình của {0} theo trọng số {1}",
    "stdev": "độ lệch chuẩn của {0}",
    "abs": "giá trị tuyệt đối của {0}",
    "sqrt": "căn bậc hai của {0}",
    "count": "số dòng của {0}",
}


def split_label(label: str) -> tuple[str, str]:
    """("Tổng số lao động", "người") from "Tổng số lao động (người)"; no brackets → (label, "")."""
    match = _UNIT.match(label or "")
    if match is None:
        return label or "", ""
    return match["name"], match["unit"]


def number(value, *, year: bool = False) -> str:
    """A value as Vietnamese text: 1.234,5; a year keeps its digits together (2017)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        if year and float(value).is_integer():
            return str(int(value))
        if abs(value) >= 1e12:
            return f"{value:.3g}".replace(".", ",")
        if isinstance(value, float) and not value.is_integer():
            return format_number(value, 2)
        return format_number(value)
    return str(value)


def with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _is_year_code(code: str) -> bool:
    return "year" in str(code).split("_")


class Vocabulary:
    """Labels, units and choice texts of a definition's answers and table columns."""

    def __init__(self, definition: dict):
        self.questions = questions(definition)

    def question_label(self, code: str) -> tuple[str, str]:
        if code in SURVEY_LABELS:
            return SURVEY_LABELS[code]
        q = self.questions.get(code)
        if q is None:
            return code, ""
        if q.get("type") in ("number", "integer"):
            return split_label(q.get("label") or code)
        return q.get("label") or code, ""

    def column(self, table: str, column: str) -> dict:
        for c in (self.questions.get(table) or {}).get("columns") or []:
            if c.get("code") == column:
                return c
        return {"code": column, "label": column}

    def column_label(self, table: str, column: str) -> str:
        c = self.column(table, column)
        name = split_label(c.get("label") or column)[0] if c.get("type") in ("number", "integer") else None
        return f"{name or c.get('label') or column} của {self.question_label(table)[0]}"

    def choice_label(self, table: str, column: str, value) -> str:
        for choice in self.column(table, column).get("choices") or []:
            if str(choice.get("value")) == str(value):
                return choice.get("label") or str(value)
        return str(value)

    def is_year(self, code: str) -> bool:
        q = self.questions.get(code)
        if code in SURVEY_VARIABLES:
            return _is_year_code(code)
        return q is not None and q.get("type") == "integer" and _is_year_code(code)

    # --- formulas ------------------------------------------------------------------------------

    def describe(self, text: str, variables: dict | None = None) -> str:
        """The formula in words and symbols, with the answers' labels in place of their codes; with
        the answers given, only the branch of an "a if c else b" that applied."""
        return self._node(_chosen(expr.parse(text).body, variables)[0])

    def _wrap(self, node, parent_precedence: int, right: bool = False) -> str:
        text = self._node(node)
        if isinstance(node, ast.BinOp):
            mine = _PRECEDENCE[type(node.op)]
            if mine < parent_precedence or right and mine == parent_precedence:
                return f"({text})"
        elif isinstance(node, ast.IfExp | ast.Compare | ast.BoolOp):
            return f"({text})"
        return text

    def _node(self, node) -> str:  # noqa: C901 — one branch per kind of node the language allows
        if isinstance(node, ast.Constant):
            return f"«{node.value}»" if isinstance(node.value, str) else number(node.value)
        if isinstance(node, ast.Name):
            return self.question_label(node.id)[0]
        if isinstance(node, ast.Attribute):
            return self.column_label(node.value.id, node.attr)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Mult) and _is_one(node.right):
                return self._node(node.left)
            if isinstance(node.op, ast.Mult) and _is_one(node.left):
                return self._node(node.right)
            precedence = _PRECEDENCE[type(node.op)]
            left = self._wrap(node.left, precedence)
            right = self._wrap(node.right, precedence, right=True)
            return f"{left} {_OPERATORS[type(node.op)]} {right}"
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return f"không {self._wrap(node.operand, 9)}"
            sign = "−" if isinstance(node.op, ast.USub) else "+"
            return f"{sign}{self._wrap(node.operand, 9)}"
        if isinstance(node, ast.BoolOp):
            word = " và " if isinstance(node.op, ast.And) else " hoặc "
            return word.join(self._wrap(v, 9) for v in node.values)
        if isinstance(node, ast.Compare):
            parts = [self._wrap(node.left, 0)]
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                parts += [_COMPARISONS[type(op)], self._wrap(comparator, 0)]
            return " ".join(parts)
        if isinstance(node, ast.IfExp):
            return (
                f"{self._wrap(node.body, 0)} nếu {self._node(node.test)}, "
                f"nếu không thì {self._wrap(node.orelse, 0)}"
            )
        if isinstance(node, ast.List | ast.Tuple):
            return "; ".join(self._node(e) for e in node.elts)
        if isinstance(node, ast.Call):
            return self._call(node.func.id, node.args)
        return ""

    def _call(self, name: str, args: list) -> str:
        described = [self._node(a) for a in args]
        if name == "div" and len(args) >= 2:
            return f"{self._wrap(args[0], 2)} / {self._wrap(args[1], 2, right=True)}"
        if name in ("min", "max") and len(args) == 2 and any(isinstance(a, ast.Constant) for a in args):
            limit, other = (args[0], args[1]) if isinstance(args[0], ast.Constant) else (args[1], args[0])
            word = "tối đa" if name == "min" else "tối thiểu"
            return f"{self._node(other)} ({word} {self._node(limit)})"
        if name in ("min", "max"):
            word = "nhỏ nhất" if name == "min" else "lớn nhất"
            return f"giá trị {word} trong {'; '.join(described)}"
        if name == "clamp" and len(args) == 3:
            return f"{described[0]} (giới hạn trong {described[1]}…{described[2]})"
        if name == "round":
            return f"{described[0]} (làm tròn)"
        if name == "countif" and len(args) == 2 and isinstance(args[0], ast.Attribute):
            table, column = args[0].value.id, args[0].attr
            choice = self.choice_label(table, column, getattr(args[1], "value", ""))
            column_name = self.column(table, column).get("label") or column
            return f"số dòng của {self.question_label(table)[0]} có {column_name} là «{choice}»"
        if name == "sumif" and len(args) == 3 and isinstance(args[1], ast.Attribute):
            table, column = args[1].value.id, args[1].attr
            choice = self.choice_label(table, column, getattr(args[2], "value", ""))
            column_name = self.column(table, column).get("label") or column
            return f"tổng {described[0]} ở các dòng có {column_name} là «{choice}»"
        template = _FUNCTION_WORDS.get(name)
        if template is not None and len(described) >= template.count("{"):
            return template.format(*described)
        return f"{name} của {'; '.join(described)}"

    # --- the quantities a formula read ------------------------------------------------------------

    def used(self, text: str, variables: dict | None = None) -> list[str]:
        """The answers a formula reads, in the order they appear (tables once); with the answers
        given, those of the conditions and of the branch that applied."""
        seen: list[str] = []
        tree = expr.parse(text)
        calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        body, tests = _chosen(tree.body, variables)
        for part in [*tests, body]:
            for node in _in_order(part):
                if isinstance(node, ast.Name) and id(node) not in calls and node.id not in seen:
                    seen.append(node.id)
        return seen

    def quantity(self, code: str, variables: dict) -> str:
        """ "Tổng số lao động = 345 người"; a table: "Danh mục thiết bị chính: 2 dòng"."""
        value = variables.get(code)
        label, unit = self.question_label(code)
        q = self.questions.get(code) or {}
        if q.get("type") == "table":
            return f"{label}: {len(value or [])} dòng"
        if value is None:
            return f"{label}: chưa trả lời"
        if q.get("type") == "boolean":
            return f"{label}: {'có' if value else 'không'}"
        if q.get("type") == "choice":
            choice = next(
                (c.get("label") for c in q.get("choices") or [] if str(c.get("value")) == str(value)), value
            )
            return f"{label}: {choice}"
        return f"{label} = {with_unit(number(value, year=self.is_year(code)), unit)}"

    def inputs(self, text: str, variables: dict) -> str:
        return "; ".join(self.quantity(code, variables) for code in self.used(text, variables))

    def missing(self, text: str, variables: dict) -> list[str]:
        """Labels of the answers a formula reads that have no value."""
        return [self.question_label(c)[0] for c in self.used(text) if variables.get(c) is None]

    def is_bare(self, text: str, variables: dict | None = None) -> bool:
        """The formula (the branch that applied) is one answer, nothing computed."""
        return isinstance(_chosen(expr.parse(text).body, variables)[0], ast.Name)


def _chosen(node, variables: dict | None):
    """(the part of the formula that applied, the conditions that chose it): "a if c else b" is a
    when c holds for these answers, else b (nested choices followed); the whole formula when the
    answers are not given or a condition cannot be computed."""
    tests = []
    while isinstance(node, ast.IfExp) and variables is not None:
        try:
            holds = expr._eval(node.test, variables)
        except (expr.ExpressionError, ZeroDivisionError, TypeError, ValueError, OverflowError):
            break
        tests.append(node.test)
        node = node.body if holds else node.orelse
    return node, tests


def _is_one(node) -> bool:
    return isinstance(node, ast.Constant) and node.value == 1


def _in_order(node):
    """Nodes depth first, left to right (ast.walk is breadth first)."""
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _in_order(child)
