"""The shape of the code (DESIGN.md section 5): layers whose imports point one way, no
import cycles, and MkDocs imported only by the adapter. Checked by import-linter, whose
contracts live in pyproject.toml, so a wrong import fails CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "plugins" / "peer_review_archive"


def lint_imports(root: Path, package_parent: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                           "lint_imports_command()"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_import_contracts_are_kept():
    done = lint_imports(ROOT, ROOT / "plugins")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path: Path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE, tmp_path / "plugins" / "peer_review_archive",
                    ignore=shutil.ignore_patterns("__pycache__"))
    bad = tmp_path / "plugins" / "peer_review_archive" / "records" / "urls.py"
    bad.write_text(bad.read_text() + "\nfrom ..site import plan  # noqa: E402,F401\n")
    done = lint_imports(tmp_path, tmp_path / "plugins")
    assert done.returncode != 0
    assert "peer_review_archive.records.urls -> peer_review_archive.site.plan" in done.stdout


def test_no_module_imports_itself_back():
    """No import cycles between any two modules of the package."""
    sys.path.insert(0, str(ROOT / "plugins"))
    graph = grimp.build_graph("peer_review_archive")
    modules = sorted(graph.modules)
    cycles = []
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(imported, module):
                cycles.append((module, imported))
    assert cycles == []
