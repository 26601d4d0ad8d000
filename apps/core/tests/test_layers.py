"""Dependencies point one way (DESIGN.md): a small AST check over every app's non-test code.

- The foundation is layered core ← audit ← organizations ← accounts: each may import only the
  layers below it.
- A domain app may import the foundation, and of another domain app only its public module
  (`public.py`); figures travel through the `core.indicators` registry, not through imports.
"""

import ast
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[2]
FOUNDATION = ["core", "audit", "organizations", "accounts"]
PUBLIC_MODULES = {"public"}


def _apps() -> list[str]:
    return sorted(p.name for p in APPS.iterdir() if (p / "apps.py").exists())


def _imports(app: str, apps_dir: Path = APPS):
    """(file, line, imported app, module inside it) for every `apps.<x>` import of the app's code."""
    root = apps_dir / app
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in {"tests", "migrations"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from apps.x import public` names the module; `from apps.x.models import A` the path
                top = node.module.count(".") == 1
                names = [f"{node.module}.{a.name}" for a in node.names] if top else [node.module]
            for name in names:
                bits = name.split(".")
                if bits[0] == "apps" and len(bits) > 1 and bits[1] != app:
                    yield path.relative_to(apps_dir), node.lineno, bits[1], bits[2] if len(bits) > 2 else ""


def _allowed(app: str, other: str, module: str) -> bool:
    if app in FOUNDATION:
        return other in FOUNDATION and FOUNDATION.index(other) < FOUNDATION.index(app)
    if other in FOUNDATION:
        return True
    return module in PUBLIC_MODULES


@pytest.mark.parametrize("app", _apps())
def test_imports_point_down_the_layers(app):
    wrong = sorted(
        {
            f"{path}:{line} imports apps.{other}{'.' + module if module else ''}"
            for path, line, other, module in _imports(app)
            if not _allowed(app, other, module)
        }
    )
    assert not wrong, "imports running back up or into another app's private module:\n" + "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    """The check itself must fail on a violation (a test that cannot fail proves nothing)."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "x.py").write_text("from apps.accounts.models import User\n")
    (tmp_path / "dossiers").mkdir()
    (tmp_path / "dossiers" / "y.py").write_text("from apps.procedures import public, selectors\n")
    found = list(_imports("core", tmp_path)) + list(_imports("dossiers", tmp_path))
    verdicts = {(app_module[2], app_module[3]): _allowed(owner, app_module[2], app_module[3])
                for owner, app_module in [("core", found[0]), ("dossiers", found[1]), ("dossiers", found[2])]}
    assert verdicts == {("accounts", "models"): False, ("procedures", "public"): True,
                        ("procedures", "selectors"): False}
