"""The design card's rules that code review alone would let slip."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OURS = {"sync", "devices", "kiosk", "controller"}
ALLOWED = {"sync": set(), "devices": set(), "kiosk": {"sync", "devices"},
           "controller": {"sync"}}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_packages_import_only_what_the_design_card_allows(package: str) -> None:
    wrong = {}
    for path in (REPO / package).rglob("*.py"):
        foreign = _imported_packages(path) - ALLOWED[package] - {package}
        if foreign:
            wrong[str(path.relative_to(REPO))] = sorted(foreign)
    assert wrong == {}, f"{package} may import only {sorted(ALLOWED[package])}: {wrong}"


def test_paho_is_used_by_one_module_only() -> None:
    users = [str(p.relative_to(REPO)) for pkg in OURS for p in (REPO / pkg).rglob("*.py")
             if "paho" in {n.split(".")[0] for n in _all_imports(p)}]
    assert users == ["sync/mqtt.py"]


def _all_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_sync_and_devices_pass_ruff_and_mypy_strict() -> None:
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "sync", "devices"],
                          cwd=REPO, capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "sync", "devices"],
                          cwd=REPO, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout[-3000:]
