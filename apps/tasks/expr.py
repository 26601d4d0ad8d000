"""A small safe arithmetic evaluator for derived report indicators (no eval).

Grammar: numbers, indicator codes (names), + - * / and parentheses, unary minus, and the
functions min(), max(), round(x, n). Division by zero gives None (the value is "not computable"),
as does any missing operand.
"""

import ast
from decimal import Decimal, InvalidOperation

_BIN = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: None if b == 0 else a / b,
}
_FUNCS = {"min": min, "max": max, "round": lambda x, n=0: round(x, int(n))}


class FormulaError(ValueError):
    pass


def parse(formula: str) -> ast.Expression:
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"Công thức không hợp lệ: {formula}") from exc
    for node in ast.walk(tree):
        if not isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.Constant
            | ast.Name
            | ast.Load
            | ast.Call
            | ast.USub
            | ast.UAdd
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div,
        ):
            raise FormulaError(f"Công thức chứa phần tử không được phép: {type(node).__name__}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError("Công thức chỉ được chứa số.")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in _FUNCS):
            raise FormulaError("Chỉ dùng được các hàm min, max, round.")
    return tree


def names(formula: str) -> set[str]:
    tree = parse(formula)
    funcs = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - funcs


def evaluate(formula: str, values: dict) -> Decimal | None:
    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            v = values.get(node.id)
            return None if v is None else Decimal(v)
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            if a is None or b is None:
                return None
            return _BIN[type(node.op)](a, b)
        if isinstance(node, ast.Call):
            args = [ev(a) for a in node.args]
            if any(a is None for a in args):
                return None
            return Decimal(_FUNCS[node.func.id](*args))
        raise FormulaError(type(node).__name__)

    try:
        return ev(parse(formula))
    except (InvalidOperation, TypeError) as exc:
        raise FormulaError(str(exc)) from exc
