"""The dev questions answered from the seeds saved as DOCX, .doc, Word .htm and a portal page (real model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import Assistant
from assistant.evaluation.datasets import normalise_phrase
from indexer.settings import Settings
from tests.support import DEV, ROOT, make_settings

FORMATS = ROOT / "tests" / "data" / "formats"
SUFFIXES = (".docx", ".doc", ".htm", "-portal.html")


def _cited(answer, gold: list[str]) -> bool:
    return any(normalise_phrase(g) in normalise_phrase(c.quote) for c in answer.citations for g in gold)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_dev_answers_match_the_text_seeds(seed_settings: Settings, tmp_path: Path, suffix: str) -> None:
    from indexer.build import build_index

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("kl54", "tb2018"):
        (folder / f"{name}{suffix}").write_bytes((FORMATS / f"{name}{suffix}").read_bytes())
    settings = make_settings(tmp_path / "index")
    build_index([folder], settings)
    as_text, as_format = Assistant(seed_settings), Assistant(settings)
    for item in DEV:
        want, got = as_text.ask(item["q"]), as_format.ask(item["q"])
        assert got.refused == want.refused, (item["id"], got.text)
        assert [c.quote for c in got.citations] == [c.quote for c in want.citations], item["id"]
        if item["gold"]:
            assert _cited(got, item["gold"]), (item["id"], [c.quote[:80] for c in got.citations])
