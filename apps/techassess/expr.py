"""A small, safe expression language for methodology formulas (no eval).

Expressions are parsed with `ast` and only a fixed set of nodes is accepted: numbers, names of
survey answers or engine variables, + - * / ** (small exponents), comparisons, and/or/not,
`a if c else b`, list literals and calls of the aggregation functions in FUNCTIONS.

Table answers (for example the equipment list) are lists of rows; `table.column` reads one column
as a list (`sum(equipment_list.value)`, `mean(equipment_list.year)`), `count(table)` counts rows,
and `countif(table.column, "value")` / `sumif(table.value, table.column, "value")` compare a choice
column with a quoted choice value (the only place a quoted text is allowed).
"""

import ast
import math
import operator
import statistics


class ExpressionError(ValueError):
    """The expression is not allowed, or cannot be computed for these values."""


def _values(args):
    """The numbers of the arguments (or of one list argument); empty cells of a table are skipped."""
    values = list(args[0]) if len(args) == 1 and isinstance(args[0], list | tuple) else list(args)
    return [v for v in values if v is not None]


def _count(value):
    if not isinstance(value, list | tuple):
        raise ExpressionError("count() needs a table or a column")
    return len(value)


def _countif(column, value):
    if not isinstance(column, list | tuple):
        raise ExpressionError("countif(column, value) needs a table column")
    return sum(1 for v in column if v is not None and str(v) == str(value))


def _sumif(values, column, value):
    if not isinstance(values, list | tuple) or not isinstance(column, list | tuple):
        raise ExpressionError("sumif(values, column, value) needs two columns of the same table")
    if len(values) != len(column):
        raise ExpressionError("sumif(values, column, value) needs two columns of the same table")
    return sum(v for v, c in zip(values, column, strict=True) if v is not None and str(c) == str(value))


def _mean(*args):
    values = _values(args)
    if not values:
        raise ExpressionError("mean() of nothing")
    return sum(values) / len(values)


def _geomean(*args):
    values = _values(args)
    if not values:
        raise ExpressionError("geomean() of nothing")
    if any(v <= 0 for v in values):
        return 0.0
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _wgeomean(values, weights):
    values, weights = list(values), list(weights)
    if len(values) != len(weights) or not values or sum(weights) <= 0:
        raise ExpressionError("wgeomean(values, weights) needs two lists of the same non-zero length")
    if any(v <= 0 for v in values):
        return 0.0
    total = sum(weights)
    return math.exp(sum(w * math.log(v) for v, w in zip(values, weights, strict=True)) / total)


def _wmean(values, weights):
    values, weights = list(values), list(weights)
    if len(values) != len(weights) or not values or sum(weights) <= 0:
        raise ExpressionError("wmean(values, weights) needs two lists of the same non-zero length")
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def _stdev(*args):
    values = _values(args)
    return statistics.pstdev(values) if values else 0.0


def _clamp(value, low, high):
    return max(low, min(high, value))


def _safe_div(a, b, default=0):
    return a / b if b else default


FUNCTIONS = {
    "min": lambda *a: min(_values(a)),
    "max": lambda *a: max(_values(a)),
    "sum": lambda *a: sum(_values(a)),
    "mean": _mean,
    "geomean": _geomean,
    "wgeomean": _wgeomean,
    "wmean": _wmean,
    "stdev": _stdev,
    "abs": abs,
    "sqrt": lambda v: math.sqrt(v) if v >= 0 else 0.0,
    "clamp": _clamp,
    "div": _safe_div,
    "round": lambda v, n=0: round(v, int(n)),
    "count": _count,
    "countif": _countif,
    "sumif": _sumif,
}
# Functions whose last argument may be a quoted choice value.
TEXT_ARGUMENT_FUNCTIONS = {"countif", "sumif"}

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
MAX_LENGTH = 500
MAX_EXPONENT = 10


def parse(text: str) -> ast.Expression:
    """Parse and check an expression; raise ExpressionError naming the first forbidden part."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("empty expression")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error at column {exc.offset}: {exc.msg}") from None
    text_constants = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in TEXT_ARGUMENT_FUNCTIONS
            and node.args
            and isinstance(node.args[-1], ast.Constant)
            and isinstance(node.args[-1].value, str)
        ):
            text_constants.add(id(node.args[-1]))
    for node in ast.walk(tree):
        if id(node) in text_constants:
            continue
        _check_node(node)
    return tree


def _check_node(node):
    allowed = (
        ast.Expression,
        ast.BinOp,
        ast.UnaryOp,
        ast.BoolOp,
        ast.Compare,
        ast.IfExp,
        ast.Call,
        ast.Name,
        ast.Attribute,
        ast.Constant,
        ast.List,
        ast.Tuple,
        ast.Load,
        ast.And,
        ast.Or,
        *_BINARY,
        *_UNARY,
        *_COMPARE,
    )
    if not isinstance(node, allowed):
        raise ExpressionError(f"'{type(node).__name__}' is not allowed in a formula")
    if isinstance(node, ast.Attribute) and (
        not isinstance(node.value, ast.Name)
        or node.attr.startswith("_")
        or not isinstance(node.ctx, ast.Load)
    ):
        raise ExpressionError("only 'table.column' may use a dot")
    if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
        raise ExpressionError(f"constant {node.value!r} is not a number")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = getattr(node.func, "id", "?")
            raise ExpressionError(f"unknown function '{name}' (allowed: {', '.join(sorted(FUNCTIONS))})")
        if node.keywords:
            raise ExpressionError("keyword arguments are not allowed")


def names(text: str) -> set[str]:
    """The variable names an expression reads (function names excluded)."""
    tree = parse(text)
    call_targets = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in call_targets}


def columns(text: str) -> set[tuple[str, str]]:
    """The (table, column) pairs an expression reads."""
    tree = parse(text)
    return {(n.value.id, n.attr) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def evaluate(text: str, variables: dict) -> float:
    """Evaluate `text` with `variables`; raises ExpressionError for unknown names or bad maths."""
    tree = parse(text)
    try:
        value = _eval(tree.body, variables)
    except ExpressionError:
        raise
    except (ZeroDivisionError, OverflowError, ValueError, TypeError) as exc:
        raise ExpressionError(f"cannot compute: {exc}") from None
    if isinstance(value, list | tuple):
        raise ExpressionError("the result is a list, not a number")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ExpressionError("the result is not a finite number")
    return value


def _eval(node, variables):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in variables:
            raise ExpressionError(f"unknown name '{node.id}'")
        value = variables[node.id]
        if value is None:
            raise ExpressionError(f"'{node.id}' has no value")
        return value
    if isinstance(node, ast.Attribute):
        table = _eval(node.value, variables)
        if not isinstance(table, list) or any(not isinstance(row, dict) for row in table):
            raise ExpressionError(f"'{node.value.id}' is not a table")
        return [row.get(node.attr) for row in table]
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, variables), _eval(node.right, variables)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise ExpressionError(f"exponent larger than {MAX_EXPONENT}")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, variables))
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, variables) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, variables)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, variables)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        return _eval(node.body if _eval(node.test, variables) else node.orelse, variables)
    if isinstance(node, ast.List | ast.Tuple):
        return [_eval(e, variables) for e in node.elts]
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*[_eval(a, variables) for a in node.args])
    raise ExpressionError(f"'{type(node).__name__}' is not allowed in a formula")
