"""indexer.memory: freed heap pages really go back to the system (Linux, glibc: the machines tracuu runs on)."""

from __future__ import annotations

from pathlib import Path

from indexer.memory import give_back, trim


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def test_give_back_returns_freed_heap_pages() -> None:
    blocks = [bytearray(64 * 1024) for _ in range(3_200)]  # 200 MB in heap-sized blocks, every page touched
    for block in blocks:
        block[::4096] = b"\1" * len(block[::4096])
    pin = bytearray(64 * 1024)  # allocated last: glibc cannot return the freed blocks by trimming the heap's top
    held = _rss_mb()
    del blocks
    kept = _rss_mb()
    give_back()
    after = _rss_mb()
    assert held - kept < 50, "glibc returned the blocks by itself: the test no longer shows anything"
    assert held - after > 150, f"RSS {held:.0f} MB -> {after:.0f} MB after give_back"
    assert len(pin) == 64 * 1024


def test_trim_is_safe_to_call_repeatedly() -> None:
    before = _rss_mb()
    for _ in range(100):
        trim()
    assert _rss_mb() <= before + 5
