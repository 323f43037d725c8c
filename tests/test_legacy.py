"""Legacy font encodings (TCVN3, VNI): detection, conversion, residue.

Test data is real Vietnamese from ../shared (never copied into the repo),
encoded with ``encode_legacy`` and read back as cp1252/latin-1 like a naive
reader would.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.legacy import (
    RESIDUE_LIMIT,
    TCVN3,
    VNI,
    convert_legacy,
    detect_legacy,
    encode_legacy,
    fix_legacy,
    legacy_residue,
)
from tests.support import SHARED

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
PARTY = sorted((SHARED / "data" / "party_docs" / "txt").glob("*.txt"))
ALL_DOCS = SEEDS + PARTY
READERS = ("cp1252", "latin-1")
# The only accented capitals TCVN3 has; every other one comes back lower-case.
TCVN3_CAPITALS = set("ĂÂÊÔƠƯĐ")


def _read(path: Path) -> str:
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))


def _expected(text: str, encoding: str) -> str:
    """What survives a trip through the encoding: TCVN3 loses accented capitals' case."""
    if encoding == VNI:
        return text
    return "".join(
        ch.lower() if ch.isupper() and not ch.isascii() and ch not in TCVN3_CAPITALS else ch
        for ch in text
    )


def _naive_read(text: str, encoding: str, reader: str) -> str:
    return encode_legacy(text, encoding).decode(reader)


# ---- Known spellings --------------------------------------------------------


@pytest.mark.parametrize(
    ("legacy", "encoding", "unicode"),
    [
        ("§¶ng Céng s¶n ViÖt Nam", TCVN3, "Đảng Cộng sản Việt Nam"),
        ("Ban ChÊp hµnh Trung ­¬ng", TCVN3, "Ban Chấp hành Trung ương"),
        ("NGHÞ QUYÕT", TCVN3, "NGHị QUYếT"),
        ("Ñaûng Coäng saûn Vieät Nam", VNI, "Đảng Cộng sản Việt Nam"),
        ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", VNI, "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ("ngöôøi daân ñöôïc thöïc hieän", VNI, "người dân được thực hiện"),
        ("aù aø aû aõ aï aâ aê eá oà ôù öø", VNI, "á à ả ã ạ â ă ế ồ ớ ừ"),
        ("tæ leä, chính trò, kyû luaät, Vieät Nam", VNI, "tỉ lệ, chính trị, kỷ luật, Việt Nam"),
        ("quyeát ñònh, kyø hoïp, yù kieán, ìî", VNI, "quyết định, kỳ họp, ý kiến, ìỵ"),
    ],
)
def test_known_spellings(legacy: str, encoding: str, unicode: str) -> None:
    assert convert_legacy(legacy, encoding) == unicode


def test_latin1_c1_controls_read_as_cp1252() -> None:
    raw = encode_legacy("“Đảng” – Việt Nam…", TCVN3)
    assert convert_legacy(raw.decode("latin-1"), TCVN3) == "“Đảng” – Việt Nam…"
    assert convert_legacy(raw.decode("cp1252"), TCVN3) == "“Đảng” – Việt Nam…"


def test_unknown_encoding_is_rejected() -> None:
    with pytest.raises(ValueError):
        convert_legacy("abc", "VIQR")
    with pytest.raises(ValueError):
        encode_legacy("abc", "VIQR")


def test_tcvn3_loses_exactly_the_case_of_accented_capitals() -> None:
    text = "ĐẢNG ỦY Ăn Ở Ê"
    back = convert_legacy(_naive_read(text, TCVN3, "cp1252"), TCVN3)
    assert back == "ĐảNG ủY Ăn ở Ê"
    assert back == _expected(text, TCVN3)
    assert back.casefold() == text.casefold()


# ---- Real documents ---------------------------------------------------------


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
@pytest.mark.parametrize("reader", READERS)
def test_documents_round_trip(path: Path, encoding: str, reader: str) -> None:
    text = _read(path)
    mojibake = _naive_read(text, encoding, reader)
    assert mojibake != text
    assert detect_legacy(mojibake) == encoding
    fixed, found = fix_legacy(mojibake)
    assert found == encoding
    assert fixed == _expected(text, encoding)
    assert legacy_residue(fixed) == 0.0
    assert legacy_residue(mojibake) > RESIDUE_LIMIT


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_short_excerpts_are_detected(path: Path, encoding: str) -> None:
    for paragraph in _read(path).split("\n\n"):
        if len(paragraph.split()) >= 30:
            assert detect_legacy(_naive_read(paragraph, encoding, "cp1252")) == encoding


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
def test_unicode_documents_pass_through(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    assert detect_legacy(raw) is None
    fixed, found = fix_legacy(raw)
    assert found is None
    assert fixed is raw
    assert legacy_residue(raw) < RESIDUE_LIMIT
    assert detect_legacy(unicodedata.normalize("NFD", raw)) is None


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
@pytest.mark.parametrize("reader", READERS)
def test_utf8_mojibake_is_not_legacy_font(path: Path, reader: str) -> None:
    """UTF-8 read as cp1252 ("Viá»‡t") is another problem, not a legacy font."""
    raw = path.read_text(encoding="utf-8").encode("utf-8")
    assert detect_legacy(raw.decode(reader, errors="replace")) is None


def _cp1258_bytes(text: str) -> bytes:
    """Windows-1258 keeps tones as separate combining characters."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
@pytest.mark.parametrize("reader", [*READERS, "cp1258"])
def test_windows_1258_is_not_legacy_font(path: Path, reader: str) -> None:
    assert detect_legacy(_cp1258_bytes(_read(path)).decode(reader)) is None


# ---- Other languages ----------------------------------------------------------

FOREIGN = [
    "The café served a naïve Señor a crème brûlée; his fiancée's résumé "
    "mentioned Zürich, São Paulo, Øresund, the façade, a piñata and jalapeño.",
    "Où est le garçon ? Il a été naïf, mais à l'île il goûte une crème brûlée. "
    "Le maïs de Noël coûte très cher ; déjà l'hôtel, la fenêtre, le château, "
    "l'été, où, où, où, goût, août, sûr, dû, mûr, haïr, aïeul, ça, même.",
    "El señor Núñez comió piñas en la montaña; ¿dónde está el niño? Sí, "
    "mañana, año, corazón, canción, también, está aquí.",
    "Über die Brücke gingen fünf Mädchen und zwölf Jungen; schön, größer, Öl.",
    "Plain ASCII text only, with numbers 12/2024 and symbols: §3, 30°C, ±2, ½.",
]


@pytest.mark.parametrize("text", FOREIGN)
def test_foreign_text_is_not_legacy(text: str) -> None:
    assert detect_legacy(text) is None
    assert fix_legacy(text) == (text, None)


def test_single_word_is_too_little_evidence() -> None:
    assert detect_legacy("ViÖt") is None
    assert detect_legacy("Vieät") is None
    assert detect_legacy("") is None


def test_mixed_with_unicode_vietnamese_is_left_alone() -> None:
    unicode = "Đảng Cộng sản Việt Nam lãnh đạo toàn diện, tuyệt đối " * 5
    legacy = _naive_read("Nghị quyết của Bộ Chính trị", TCVN3, "cp1252")
    assert detect_legacy(unicode + legacy) is None


# ---- Residue ------------------------------------------------------------------


def test_residue_flags_partial_conversion() -> None:
    text = "§¶ng Céng s¶n ViÖt Nam ¿¯º ÿÿð ¿¯º ÿÿð"
    fixed, found = fix_legacy(text)
    assert found == TCVN3
    assert fixed.startswith("Đảng Cộng sản Việt Nam")
    assert legacy_residue(fixed) > RESIDUE_LIMIT


def test_residue_of_clean_text() -> None:
    assert legacy_residue("") == 0.0
    assert legacy_residue("Đảng Cộng sản Việt Nam, 30°C, «trích dẫn»") == 0.0


# ---- Properties over generated Vietnamese words --------------------------------

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "kh", "l", "m", "n", "ng",
          "ngh", "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
CLOSED_RHYMES = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "iê", "oa", "oă",
                 "oe", "uâ", "uê", "uô", "uy", "ươ", "yê", "uyê"]
OPEN_RHYMES = ["ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi",
               "ua", "ui", "uơ", "ưa", "ưi", "ưu", "iêu", "yêu", "oai", "oay", "uây", "uôi",
               "uya", "ươi", "ươu"]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]


@st.composite
def vietnamese_words(draw: st.DrawFn) -> str:
    rhyme = draw(st.sampled_from(CLOSED_RHYMES + OPEN_RHYMES))
    at = draw(st.integers(0, len(rhyme) - 1))
    toned = rhyme[: at + 1] + draw(st.sampled_from(TONES)) + rhyme[at + 1 :]
    coda = draw(st.sampled_from(CODAS)) if rhyme in CLOSED_RHYMES else ""
    word = draw(st.sampled_from(ONSETS)) + toned + coda
    word = unicodedata.normalize("NFC", word)
    return draw(st.sampled_from([word, word.capitalize(), word.upper()]))


@settings(max_examples=200, deadline=None)
@given(st.lists(vietnamese_words(), min_size=1, max_size=12), st.sampled_from(READERS))
def test_generated_words_round_trip(words: list[str], reader: str) -> None:
    text = " ".join(words)
    for encoding in (TCVN3, VNI):
        assert convert_legacy(_naive_read(text, encoding, reader), encoding) == _expected(
            text, encoding
        )


@settings(max_examples=200, deadline=None)
@given(st.lists(vietnamese_words(), min_size=1, max_size=40))
def test_generated_unicode_is_never_legacy(words: list[str]) -> None:
    text = " ".join(words)
    assert fix_legacy(text) == (text, None)
